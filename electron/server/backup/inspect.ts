/**
 * Inspecting a would-be backup (integrity check, migrations) off the main thread: `PRAGMA
 * integrity_check` reads every page and takes about a minute for a 200 MB datastore, during which
 * the API would answer nobody. A worker thread runs it on its own connection (better-sqlite3 works
 * in workers); where no worker can start (no entry), it runs inline as before.
 */
import { sourceWorkerEntry } from '../platform/worker-entry';
import { Worker } from 'node:worker_threads';
import { type DatastoreFileReport, inspectDatastoreFile } from '../db/backup';

/** What the worker is started with (its workerData). */
export interface InspectSetup {
  file: string;
}

/** The worker's one answer; `threadId` says where the check ran. */
export type InspectAnswer = { report: DatastoreFileReport; threadId: number } | { error: string };

/** From source, the bootstrap beside this file (registers tsx); the desktop bundle names its own built entry. */
let entry: URL | null = sourceWorkerEntry(import.meta.url, './inspect.worker.mjs');

/** Sets the worker's entry file; null checks on the calling thread. */
export function useInspectWorker(url: URL | null): void {
  entry = url;
}

/** Inspects `file` (a copy: it is opened for writing) in a worker thread; resolves with the report and the thread that made it. */
export function inspectOffThread(file: string): Promise<{ report: DatastoreFileReport; threadId: number }> {
  if (!entry) return Promise.resolve({ report: inspectDatastoreFile(file), threadId: 0 });
  const url = entry;
  return new Promise((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData: { file } satisfies InspectSetup });
    } catch {
      resolve({ report: inspectDatastoreFile(file), threadId: 0 });
      return;
    }
    worker.once('message', (answer: InspectAnswer) => {
      settled = true;
      if ('error' in answer) reject(new Error(answer.error));
      else resolve(answer);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The integrity check's worker stopped (exit code ${code}) before answering.`));
      settled = true;
    });
  });
}
