import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A worker thread's entry when Towerline runs from source (tsx, vitest, the web host): the `.mjs`
 * bootstrap named `file` beside the module at `base` (its import.meta.url), which registers tsx
 * before loading the worker's TypeScript. Null when it is not there, as in the desktop bundle,
 * which names its own built entries instead.
 */
export function sourceWorkerEntry(base: string, file: string): URL | null {
  const url = new URL(file, base);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}
