/**
 * The import and export worker (a worker thread; see io-thread.ts): parses uploaded files with the
 * same reader as the main thread (sheet.ts) and sends their rows back in batches, and writes export
 * workbooks from rows the main thread reads (writer.ts). Each side holds at most a few batches the
 * other has not taken.
 */
import { parentPort } from 'node:worker_threads';
import { MAX_UNTAKEN, type IoReply, type IoRequest } from './io-thread';
import { SheetError, type SheetRow, readSheet } from './sheet';
import { type OutValue, writeXlsx } from './writer';

/** Rows per message: few enough messages to be cheap, small enough to start the checks early. */
const READ_BATCH_ROWS = 250;

interface Job {
  cancelled: boolean;
  /** Reading: batches sent and not yet taken. */
  untaken: number;
  /** Writing: batches received and not yet written, and whether the last has come. */
  batches: OutValue[][][];
  ended: boolean;
  wake: (() => void) | null;
}
const jobs = new Map<number, Job>();
const port = parentPort!;
const send = (reply: IoReply) => port.postMessage(reply);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function newJob(id: number): Job {
  const job: Job = { cancelled: false, untaken: 0, batches: [], ended: false, wake: null };
  jobs.set(id, job);
  return job;
}

function nudge(job: Job): void {
  job.wake?.();
  job.wake = null;
}

const sleep = (job: Job) => new Promise<void>((resolve) => (job.wake = resolve));

async function read(id: number, name: string, bytes: Buffer): Promise<void> {
  const job = newJob(id);
  try {
    const reading = readSheet(name, bytes);
    let batch: SheetRow[] = [];
    const flush = async () => {
      send({ type: 'rows', id, rows: batch, progress: reading.progress() });
      batch = [];
      job.untaken++;
      while (job.untaken >= MAX_UNTAKEN && !job.cancelled) await sleep(job);
    };
    for await (const row of reading.rows) {
      if (job.cancelled) return;
      batch.push(row);
      if (batch.length >= READ_BATCH_ROWS) await flush();
    }
    if (job.cancelled) return;
    if (batch.length) await flush();
    send({ type: 'end', id, notes: reading.notes });
  } catch (error) {
    if (error instanceof SheetError) send({ type: 'error', id, message: error.message, row: error.row });
    else send({ type: 'error', id, message: `The file could not be read: ${messageOf(error)}`, row: 0 });
  } finally {
    jobs.delete(id);
  }
}

async function write(id: number, m: IoRequest & { type: 'write' }): Promise<void> {
  const job = newJob(id);
  class Cancelled extends Error {}
  async function* rows(): AsyncGenerator<OutValue[]> {
    for (;;) {
      if (job.cancelled) throw new Cancelled();
      const batch = job.batches.shift();
      if (batch) {
        yield* batch;
        send({ type: 'taken', id });
      } else if (job.ended) return;
      else await sleep(job);
    }
  }
  try {
    const bytes = await writeXlsx(m.sheetName, m.columns, rows(), m.money);
    // The file's memory moves to the main thread rather than being copied.
    // (A small Buffer may share Node's pool, which must not move: that one is copied first.)
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? new Uint8Array(bytes.buffer, 0, bytes.byteLength) : new Uint8Array(bytes);
    port.postMessage({ type: 'file', id, bytes: own } satisfies IoReply, [own.buffer as ArrayBuffer]);
  } catch (error) {
    if (!(error instanceof Cancelled)) send({ type: 'error', id, message: messageOf(error), row: 0 });
  } finally {
    jobs.delete(id);
  }
}

port.on('message', (m: IoRequest) => {
  switch (m.type) {
    case 'read':
      void read(m.id, m.name, Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
      return;
    case 'write':
      void write(m.id, m);
      return;
  }
  const job = jobs.get(m.id);
  if (!job) return;
  if (m.type === 'cancel') job.cancelled = true;
  else if (m.type === 'taken') job.untaken--;
  else if (m.type === 'rows') job.batches.push(m.rows);
  else if (m.type === 'end') job.ended = true;
  nudge(job);
});
