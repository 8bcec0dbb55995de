/**
 * Read-ahead (electron/server/billing/read-ahead.ts): a worker thread reads and rates the next batch
 * while the run writes the current one. It may make a run faster, never different: what it read is
 * thrown away and read again whenever anything else wrote in between, through another connection or
 * through the app's own.
 */
import BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, DATABASE_FILE, createBackend } from '../../electron/server/backend';
import { ReadAhead, useReadAheadWorker } from '../../electron/server/billing/read-ahead';
import { type RunRequest, startBillingRun } from '../../electron/server/billing/run';
import { sqliteHandle } from '../../electron/server/db/json-rows';
import type { IsoDate } from '../../shared/domain/types';
import { seedBillingData } from '../crash/seed';

const AS_OF = '2026-11-14' as IsoDate;
const SUBSCRIPTIONS = 400;
const BATCH = 10;
const NEW_PRICE = 12_345;

let root: string;
let copies = 0;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'towerline-read-ahead-'));
  const backend = await createBackend({ dataDir: join(root, 'seeded') });
  await seedBillingData(backend.datastore.db, SUBSCRIPTIONS, AS_OF);
  await backend.close();
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A backend on a fresh copy of the seeded datastore. */
async function onCopy(): Promise<Backend> {
  const dir = join(root, `copy-${++copies}`);
  mkdirSync(dir);
  copyFileSync(join(root, 'seeded', DATABASE_FILE), join(dir, DATABASE_FILE));
  copyFileSync(join(root, 'seeded', 'secret.key'), join(dir, 'secret.key'));
  return createBackend({ dataDir: dir });
}

async function run(backend: Backend, options: Partial<RunRequest>) {
  const { finished } = await startBillingRun(backend.datastore.db, { asOf: AS_OF, actorName: 'Test', now: () => new Date(`${AS_OF}T09:00:00Z`), batchSize: BATCH, ...options });
  return finished;
}

/** Every charge and invoice the run made, in a stable order. */
async function billed(backend: Backend) {
  const db = backend.datastore.db;
  const charges = await db
    .selectFrom('charges')
    .select(['subscription_id', 'service_id', 'kind', 'period_start', 'period_end', 'unit_price_cents', 'amount_cents', 'tax_cents', 'explanation'])
    .orderBy('service_id')
    .orderBy('period_start')
    .execute();
  const invoices = await db.selectFrom('invoices').select(['subscription_id', 'subtotal_cents', 'tax_cents', 'total_cents']).orderBy('subscription_id').execute();
  return { charges, invoices };
}

/** A recurring service billed in the 11th batch: the batch read ahead while the 10th is written. */
async function serviceOfEleventhBatch(backend: Backend): Promise<number> {
  const db = backend.datastore.db;
  const subs = await db.selectFrom('subscriptions').select('id').where('status', 'not in', ['Cancelled', 'Completed']).orderBy('id').execute();
  const inBatch = subs.slice(10 * BATCH, 11 * BATCH).map((s) => s.id);
  const service = await db
    .selectFrom('services')
    .select('id')
    .where('subscription_id', 'in', inBatch)
    .where('rating_method', '=', 'recurring')
    .where('status', '=', 'Active')
    .where('start_date', '<=', AS_OF)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return service.id;
}

async function startedReadAhead(backend: Backend): Promise<ReadAhead> {
  const readAhead = ReadAhead.start(backend.datastore.db)!;
  expect(readAhead).not.toBeNull();
  expect(await readAhead.ready).toBe(true);
  return readAhead;
}

describe('billing run read-ahead', () => {
  it('bills exactly what a run that reads every batch in its own transaction bills', async () => {
    const withWorker = await onCopy();
    const without = await onCopy();
    try {
      const readAhead = await startedReadAhead(withWorker);
      const a = await run(withWorker, { readAhead });
      readAhead.close();
      const b = await run(without, { readAhead: false });
      expect(a).toMatchObject({ status: 'completed', chargesCreated: b.chargesCreated, invoicesCreated: b.invoicesCreated, amountCents: b.amountCents });
      expect(await billed(withWorker)).toEqual(await billed(without));
      // With the worker up from the start every batch was read ahead, and none had to be read again.
      expect(readAhead.batches).toEqual({ used: Math.ceil(a.total / BATCH), readAgain: 0 });
    } finally {
      await withWorker.close();
      await without.close();
    }
  }, 60_000);

  // The 11th batch is with the worker when the 10th has been written; then its price changes.
  it.each([
    ['another connection (another process)', (backend: Backend) => new BetterSqlite3(backend.datastore.file)],
    ["the app's own connection (a staff member's edit)", (backend: Backend) => sqliteHandle(backend.datastore.db)!],
  ])('reads a batch again when %s changed it after it was asked for', async (_who, writer) => {
    const backend = await onCopy();
    try {
      const serviceId = await serviceOfEleventhBatch(backend);
      const readAhead = await startedReadAhead(backend);
      const connection = writer(backend);
      let changed = false;
      await run(backend, {
        readAhead,
        progress: (done) => {
          if (done !== 10 * BATCH) return;
          connection.prepare('update services set price_cents = ? where id = ?').run(NEW_PRICE, serviceId);
          changed = true;
        },
      });
      readAhead.close();
      if (connection !== sqliteHandle(backend.datastore.db)) connection.close();
      expect(changed).toBe(true);
      expect(readAhead.batches.readAgain).toBe(1);
      const charges = (await billed(backend)).charges.filter((c) => c.service_id === serviceId);
      expect(charges.length).toBeGreaterThan(0);
      for (const c of charges) expect(c.unit_price_cents).toBe(NEW_PRICE);
    } finally {
      await backend.close();
    }
  }, 60_000);

  it('reads every batch itself when the worker cannot start', async () => {
    const backend = await onCopy();
    const reference = await onCopy();
    useReadAheadWorker(new URL('file:///nonexistent/read-ahead.worker.mjs'));
    try {
      const readAhead = ReadAhead.start(backend.datastore.db);
      expect(await readAhead?.ready).toBe(false);
      const a = await run(backend, { readAhead: true });
      await run(reference, { readAhead: false });
      expect(a.status).toBe('completed');
      expect(await billed(backend)).toEqual(await billed(reference));
    } finally {
      useReadAheadWorker(new URL('../../electron/server/billing/read-ahead.worker.mjs', import.meta.url));
      await backend.close();
      await reference.close();
    }
  }, 60_000);
});
