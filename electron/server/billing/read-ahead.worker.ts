/**
 * The billing run's read-ahead worker (a worker thread; see read-ahead.ts): runs the reads of each
 * batch it is asked for (compiled by kysely on the main thread) in one read transaction on its own
 * read-only connection, rates them (due.ts), answers with the charges, then checkpoints the WAL the
 * main connection keeps writing to.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkpointWal, openReadOnly, readRaw } from '../db/connection';
import { chargesOfBatch } from './due';
import type { ReadAheadMessage, ReadAheadRequest, ReadAheadSetup } from './read-ahead';

const setup = workerData as ReadAheadSetup;
const port = parentPort!;
const sqlite = openReadOnly(setup.file);

/** The batch's reads on one snapshot. */
const readBatch = sqlite.transaction((reads: ReadAheadRequest['reads']) => ({
  services: readRaw(sqlite, reads.services),
  billed: readRaw(sqlite, reads.billed).rows,
  oneTime: readRaw(sqlite, reads.oneTime).rows,
  suspensions: readRaw(sqlite, reads.suspensions).rows,
}));

port.on('message', (request: ReadAheadRequest | 'close') => {
  if (request === 'close') {
    sqlite.close();
    port.close();
    return;
  }
  let answer: ReadAheadMessage;
  try {
    const { asOf, money, notBefore } = request.rating;
    answer = { id: request.id, charges: chargesOfBatch(readBatch(request.reads), request.subs, asOf, money, notBefore) };
  } catch (error) {
    answer = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
  checkpointWal(sqlite);
});

port.postMessage({ ready: true } satisfies ReadAheadMessage);

