/**
 * The restore check's worker (a worker thread; see inspect.ts): runs SQLite's integrity check and
 * reads the migrations of a copy of a would-be backup on a connection of its own, so a check of a
 * large datastore (about a minute for 200 MB) never blocks the back end's main thread.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { inspectDatastoreFile } from '../db/backup';
import type { InspectAnswer, InspectSetup } from './inspect';

const { file } = workerData as InspectSetup;
let answer: InspectAnswer;
try {
  answer = { report: inspectDatastoreFile(file), threadId };
} catch (error) {
  answer = { error: error instanceof Error ? error.message : String(error) };
}
parentPort!.postMessage(answer);
