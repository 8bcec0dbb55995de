// The load generator's worker entry: a worker thread starts without the parent's TypeScript
// loader, so it registers tsx, runs the load and posts the result.
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const { generateLoad } = await import('./load.ts');
try {
  parentPort.postMessage({ ok: true, result: await generateLoad(workerData) });
} catch (error) {
  parentPort.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
