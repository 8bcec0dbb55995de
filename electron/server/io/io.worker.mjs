// The import and export worker's entry when Towerline runs from source (web host, tests, benchmarks):
// a worker thread starts without the parent's TypeScript loader, so it registers tsx first.
// The desktop app's bundle builds io.worker.ts into an entry of its own instead.
import { register } from 'tsx/esm/api';

register();
await import('./io.worker.ts');
