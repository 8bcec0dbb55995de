/**
 * Read-ahead for the billing run: while the main connection writes batch k, a worker thread reads
 * and rates batch k+1 on a read-only connection of its own (read-ahead.worker.ts), so the two cores
 * of an office PC share the run. WAL lets one writer and readers work at once.
 *
 * What the worker read is used only if nobody else wrote in between: each request carries a
 * WriteMark taken when it was sent, and the batch's write transaction checks, before its first
 * write, that no other connection committed (data_version) and that this connection wrote nothing
 * but the run's own batches (total_changes). Otherwise, or if the worker is not up yet, failed or
 * is gone, the batch is read in the transaction as without read-ahead: the worker can make a run
 * faster, never different.
 */
import { sourceWorkerEntry } from '../platform/worker-entry';
import { Worker } from 'node:worker_threads';
import type { MoneyFormat } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import { AUTO_CHECKPOINT_PAGES, type CompiledRead } from '../db/connection';
import { type Db, type WriteMark, datastoreFile, setAutoCheckpoint, writeMark } from '../db/open';
import type { BatchSubscription } from './due';
import type { BatchReads } from './due-reads';
import type { NewCharge } from './rules/charges';

/** What the worker is started with (its workerData). */
export interface ReadAheadSetup {
  file: string;
}

/** How a run rates: the same for every batch of one run. */
export interface Rating {
  asOf: IsoDate;
  money: MoneyFormat;
  notBefore: IsoDate | null;
}

export interface ReadAheadRequest {
  id: number;
  subs: BatchSubscription[];
  reads: Record<keyof BatchReads, CompiledRead>;
  rating: Rating;
}

export type ReadAheadMessage = { ready: true } | { id: number; charges: NewCharge[] } | { id: number; error: string };

/** A batch asked of the worker: its charges (null if the worker could not read them) and the mark they were asked at. */
export interface ReadAheadTicket {
  result: Promise<NewCharge[] | null>;
  mark: WriteMark;
  ownChanges: number;
}

/**
 * The worker's entry. From source (tsx, vitest, the web host) it is the bootstrap beside this file,
 * which registers tsx; the desktop app's bundle names its own built entry (useReadAheadWorker).
 */
let entry: URL | null = sourceWorkerEntry(import.meta.url, './read-ahead.worker.mjs');

/** Sets the worker's entry file; null runs every batch on the main connection. */
export function useReadAheadWorker(url: URL | null): void {
  entry = url;
}

export class ReadAhead {
  /** Settles true once the worker answers requests, false if it failed to start. */
  readonly ready: Promise<boolean>;
  /** Batches whose read-ahead was used, and those read again because something else was written meanwhile. */
  readonly batches = { used: 0, readAgain: 0 };
  private up = false;
  private gone = false;
  private nextId = 1;
  private readonly waiting = new Map<number, (charges: NewCharge[] | null) => void>();
  /** Rows the run itself has written on the main connection since read-ahead started. */
  private ownChanges = 0;

  /** Starts a worker on the datastore's file, or returns null where there is none to start (in-memory datastore, no entry). */
  static start(db: Db): ReadAhead | null {
    const file = datastoreFile(db);
    if (!file || !entry) return null;
    let worker: Worker;
    try {
      worker = new Worker(entry, { workerData: { file } satisfies ReadAheadSetup });
    } catch {
      return null;
    }
    return new ReadAhead(db, worker);
  }

  private constructor(
    private readonly db: Db,
    private readonly worker: Worker,
  ) {
    let settleReady: (up: boolean) => void;
    this.ready = new Promise((resolve) => (settleReady = resolve));
    worker.on('message', (m: ReadAheadMessage) => {
      if ('ready' in m) settleReady((this.up = true));
      else this.settle(m.id, 'charges' in m ? m.charges : null);
    });
    const stop = () => {
      this.stop();
      settleReady(false);
    };
    worker.on('error', (error) => {
      console.warn(`[towerline] billing read-ahead stopped, the run reads its batches itself: ${error.message}`);
      stop();
    });
    worker.on('exit', stop);
  }

  /**
   * For the length of a run: the main connection no longer stops to checkpoint, the worker does it
   * after each batch it reads. Returns what gives the checkpoints back.
   */
  takeOverCheckpoints(): () => void {
    setAutoCheckpoint(this.db, 0);
    return () => setAutoCheckpoint(this.db, AUTO_CHECKPOINT_PAGES);
  }

  /** Asks the worker for a batch, given its reads; null while the worker is still starting or after it failed. */
  request(subs: BatchSubscription[], reads: BatchReads, rating: Rating): ReadAheadTicket | null {
    if (!this.up || this.gone || subs.length === 0) return null;
    const id = this.nextId++;
    const result = new Promise<NewCharge[] | null>((resolve) => this.waiting.set(id, resolve));
    const ticket = { result, mark: writeMark(this.db), ownChanges: this.ownChanges };
    const compiled = (q: BatchReads[keyof BatchReads]): CompiledRead => ({ sql: q.sql, parameters: q.parameters });
    this.worker.postMessage({ id, subs, rating, reads: { services: compiled(reads.services), billed: compiled(reads.billed), oneTime: compiled(reads.oneTime), suspensions: compiled(reads.suspensions) } } satisfies ReadAheadRequest);
    return ticket;
  }

  /**
   * Called in the batch's write transaction before its first write, with the mark taken there: true
   * if, since the ticket was asked for, only the run's own batches wrote.
   */
  holds(ticket: ReadAheadTicket, now: WriteMark): boolean {
    const holds = now.dataVersion === ticket.mark.dataVersion && now.totalChanges - ticket.mark.totalChanges === this.ownChanges - ticket.ownChanges;
    this.batches[holds ? 'used' : 'readAgain'] += 1;
    return holds;
  }

  /** Counts the rows a batch of the run wrote, between the mark taken at its start and the end of its writes. */
  wrote(start: WriteMark): void {
    this.ownChanges += writeMark(this.db).totalChanges - start.totalChanges;
  }

  /** Ends the worker; it closes its connection. */
  close(): void {
    if (!this.gone) this.worker.postMessage('close');
    this.stop();
  }

  private stop(): void {
    this.gone = true;
    for (const id of [...this.waiting.keys()]) this.settle(id, null);
  }

  private settle(id: number, charges: NewCharge[] | null): void {
    this.waiting.get(id)?.(charges);
    this.waiting.delete(id);
  }
}
