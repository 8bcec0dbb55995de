import { config } from 'zod';

/**
 * Imported first by main.tsx, before any contract schema is built: zod's JIT probes `new Function`,
 * which the renderer's CSP forbids (and reports as a violation even though zod catches it).
 */
config({ jitless: true });
