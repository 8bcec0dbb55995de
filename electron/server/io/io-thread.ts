/**
 * Spreadsheet work in a worker thread (io.worker.ts), beside the datastore work on the main thread:
 *  - an import's file is parsed there and its rows handed over as they come, so exceljs's XML
 *    parsing runs on the second core while the import checks and writes rows;
 *  - an export's rows are read here and written into the workbook there, so the queries and
 *    exceljs's XML writing overlap instead of taking turns.
 * Either side holds only a few batches the other has not taken yet: a 100,000-row file never
 * queues up in memory. One worker serves every import and export and stays up a while after the
 * last (a dry run is usually followed by its import); where no worker can start, the work is
 * done on the calling thread as before.
 */
import { Worker } from 'node:worker_threads';
import { sourceWorkerEntry } from '../platform/worker-entry';
import type { MoneyFormat } from '../../../shared/domain/money';
import { SheetError, type SheetReading, type SheetRow, readSheet, sheetKindOf } from './sheet';
import { type OutColumn, type OutValue, writeXlsx } from './writer';

export type IoRequest =
  | { type: 'read'; id: number; name: string; bytes: Uint8Array }
  /** The import took one batch of rows: the worker may send another. */
  | { type: 'taken'; id: number }
  | { type: 'write'; id: number; sheetName: string; columns: OutColumn[]; money: MoneyFormat }
  | { type: 'rows'; id: number; rows: OutValue[][] }
  | { type: 'end'; id: number }
  | { type: 'cancel'; id: number };

export type IoReply =
  | { type: 'rows'; id: number; rows: SheetRow[]; progress: number }
  | { type: 'end'; id: number; notes: string[] }
  /** The writer took one batch of rows: another may be sent. */
  | { type: 'taken'; id: number }
  | { type: 'file'; id: number; bytes: Uint8Array }
  | { type: 'error'; id: number; message: string; row: number };

/** Batches one side may hold that the other has not taken yet. */
export const MAX_UNTAKEN = 4;
/** Export rows per message. */
const WRITE_BATCH_ROWS = 500;
/** How long an idle worker is kept for the next import or export. */
const IDLE_MS = 3 * 60_000;

/** From source, the bootstrap beside this file (registers tsx); the desktop bundle names its own built entry. */
let entry: URL | null = sourceWorkerEntry(import.meta.url, './io.worker.mjs');

/** Sets the worker's entry file; null does every import and export on the calling thread. */
export function useIoWorker(url: URL | null): void {
  entry = url;
  void stopIoWorker();
}

let worker: Worker | null = null;
let nextId = 1;
const listeners = new Map<number, { onReply(reply: IoReply): void; onGone(error: Error): void }>();
let idleTimer: NodeJS.Timeout | null = null;

function startWorker(): Worker | null {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (worker) {
    // A job holds the process open until it ends (a script awaiting an import would otherwise exit).
    worker.ref();
    return worker;
  }
  if (!entry) return null;
  let w: Worker;
  try {
    w = new Worker(entry);
  } catch {
    return null;
  }
  w.on('message', (reply: IoReply) => listeners.get(reply.id)?.onReply(reply));
  const gone = (error: Error) => {
    if (worker === w) worker = null;
    for (const l of [...listeners.values()]) l.onGone(error);
    listeners.clear();
  };
  w.on('error', gone);
  w.on('exit', (code) => gone(new Error(`the spreadsheet worker stopped (exit code ${code})`)));
  worker = w;
  return w;
}

/** The worker's thread id while one runs (tests see the work really left this thread). */
export function ioWorkerThreadId(): number | null {
  return worker?.threadId ?? null;
}

/** Stops the worker (tests, shutdown); the next import or export starts another. */
export async function stopIoWorker(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}

function done(id: number): void {
  listeners.delete(id);
  if (listeners.size === 0 && worker) {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void stopIoWorker(), IDLE_MS);
    idleTimer.unref();
    // An idle worker never keeps the process alive (a script exits once its work is done).
    worker.unref();
  }
}

/** Replies of one job, awaited one at a time. */
function mailbox(id: number) {
  const queue: IoReply[] = [];
  let wake: (() => void) | null = null;
  const push = (reply: IoReply) => {
    queue.push(reply);
    wake?.();
    wake = null;
  };
  listeners.set(id, { onReply: push, onGone: (error) => push({ type: 'error', id, message: error.message, row: 0 }) });
  return {
    async next(): Promise<IoReply> {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return queue.shift()!;
    },
  };
}

/**
 * Reads a file as readSheet does (same rows, notes, errors and progress), in the worker when there
 * is one. What is plainly not a spreadsheet is refused here, before any worker is involved. The
 * reading must be iterated to its end (or stopped with `return`), which also releases the worker.
 */
export function readSheetOffThread(name: string, bytes: Buffer): SheetReading {
  sheetKindOf(name, bytes);
  const started = startWorker();
  if (!started) return readSheet(name, bytes);
  const w: Worker = started;
  const id = nextId++;
  const replies = mailbox(id);
  let progress = 0;
  const notes: string[] = [];
  w.postMessage({ type: 'read', id, name, bytes } satisfies IoRequest);

  async function* rows(): AsyncGenerator<SheetRow> {
    let finished = false;
    try {
      for (;;) {
        const reply = await replies.next();
        if (reply.type === 'error') {
          finished = true;
          throw new SheetError(reply.message.startsWith('the spreadsheet worker') ? `The file could not be read (${reply.message}).` : reply.message, reply.row);
        }
        if (reply.type === 'end') {
          finished = true;
          notes.push(...reply.notes);
          return;
        }
        if (reply.type !== 'rows') continue;
        progress = reply.progress;
        w.postMessage({ type: 'taken', id } satisfies IoRequest);
        for (const row of reply.rows) yield row;
      }
    } finally {
      // An import that stops early (a refused mapping) tells the reader to stop too.
      if (!finished) w.postMessage({ type: 'cancel', id } satisfies IoRequest);
      done(id);
    }
  }
  return { rows: rows(), notes, progress: () => progress };
}

/** Writes an XLSX table as writeXlsx does, its rows read here and the workbook written in the worker when there is one. */
export async function writeXlsxOffThread(sheetName: string, columns: readonly OutColumn[], rows: AsyncIterable<OutValue[]>, money: MoneyFormat): Promise<Buffer> {
  const w = startWorker();
  if (!w) return writeXlsx(sheetName, columns, rows, money);
  const id = nextId++;
  const replies = mailbox(id);
  const failed = (reply: IoReply & { type: 'error' }) => new Error(`The workbook could not be written: ${reply.message}`);
  let untaken = 0;
  let finished = false;
  w.postMessage({ type: 'write', id, sheetName, columns: [...columns], money } satisfies IoRequest);
  try {
    const send = async (batch: OutValue[][]) => {
      w.postMessage({ type: 'rows', id, rows: batch } satisfies IoRequest);
      untaken++;
      while (untaken >= MAX_UNTAKEN) {
        const reply = await replies.next();
        if (reply.type === 'taken') untaken--;
        else if (reply.type === 'error') throw failed(reply);
      }
    };
    let batch: OutValue[][] = [];
    for await (const row of rows) {
      batch.push(row);
      if (batch.length >= WRITE_BATCH_ROWS) {
        await send(batch);
        batch = [];
      }
    }
    if (batch.length) await send(batch);
    w.postMessage({ type: 'end', id } satisfies IoRequest);
    for (;;) {
      const reply = await replies.next();
      if (reply.type === 'file') {
        finished = true;
        return Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
      }
      if (reply.type === 'error') throw failed(reply);
    }
  } finally {
    if (!finished) w.postMessage({ type: 'cancel', id } satisfies IoRequest);
    done(id);
  }
}
