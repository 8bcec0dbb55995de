import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IsoDate } from '../../shared/domain/types';
import { DATABASE_FILE } from '../../electron/server/backend';
import { startBillingRun } from '../../electron/server/billing/run';
import { createDispatcher } from '../../electron/server/api/dispatch';
import { synchronousLevel } from '../../electron/server/db/open';
import { handlers } from '../../electron/server/handlers';
import { keyFileSecretBox } from '../../electron/server/platform/secrets';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { makePlan, makeService } from '../fixtures/factories';

const FULL = 2;
const NORMAL = 1;
const dirs: string[] = [];
const backends: TestBackend[] = [];
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

async function open(dataDir?: string) {
  const t = await testBackend({ dataDir, now: () => new Date('2026-11-15T12:00:00Z') });
  backends.push(t);
  return t;
}

describe('durability', () => {
  it('commits interactive commands with synchronous = FULL, and batch work such as billing runs with NORMAL', async () => {
    const t = await open();
    const db = t.backend.datastore.db;
    expect(synchronousLevel(db)).toBe(NORMAL);
    const seen: (number | null)[] = [];
    const probe = createDispatcher({
      db,
      secrets: keyFileSecretBox(t.dataDir),
      handlers: {
        ...handlers,
        'contacts.list': async () => {
          seen.push(synchronousLevel(db));
          return { rows: [], total: 0 };
        },
        'contacts.delete': async () => {
          seen.push(synchronousLevel(db));
          throw new Error('refused mid-command');
        },
      },
    });
    expect((await probe('contacts.list', {})).ok).toBe(true);
    expect(synchronousLevel(db)).toBe(NORMAL);
    const log = vi.spyOn(console, 'error').mockImplementationOnce(() => {});
    const failed = await probe('contacts.delete', { id: 1 });
    // An internal error answers with an id that is also in the log.
    const errorId = !failed.ok ? /error id ([0-9a-f]{8})/.exec(failed.error.message)?.[1] : undefined;
    expect(errorId).toBeDefined();
    expect(String(log.mock.calls[0]?.[0])).toContain(errorId!);
    expect(seen).toEqual([FULL, FULL]);
    expect(synchronousLevel(db)).toBe(NORMAL);
    // A real command through the back end, then a run whose batches commit at NORMAL.
    await makeService(t);
    const run = await t.call('billing.run', {});
    expect(run.status).toBe('completed');
    expect(synchronousLevel(db)).toBe(NORMAL);
  });

  it('creates the data directory 0700 and the datastore, its WAL and shared memory and secret.key 0600', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'towerline-perm-'));
    dirs.push(parent);
    const dataDir = join(parent, 'new', 'Towerline');
    const t = await open(dataDir);
    await makeService(t);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, 'secret.key']) {
      expect(existsSync(join(dataDir, f)), f).toBe(true);
      expect(modeOf(join(dataDir, f)), f).toBe(0o600);
    }
  });

  it('tightens an existing data directory and datastore opened with loose permissions', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'towerline-perm-'));
    dirs.push(parent);
    const dataDir = join(parent, 'old');
    const first = await open(dataDir);
    await makeService(first);
    await first.close();
    backends.splice(backends.indexOf(first), 1);
    chmodSync(dataDir, 0o755);
    for (const f of [DATABASE_FILE, 'secret.key']) chmodSync(join(dataDir, f), 0o644);
    writeFileSync(join(dataDir, `${DATABASE_FILE}-wal`), '', { mode: 0o666 });
    chmodSync(join(dataDir, `${DATABASE_FILE}-wal`), 0o666);
    await open(dataDir);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`, 'secret.key']) expect(modeOf(join(dataDir, f)), f).toBe(0o600);
  });
});

describe('a billing run that fails', () => {
  it('stays recorded as failed with its reason, with no subscription half-billed, and the next run finishes the rest', async () => {
    const t = await open();
    const plan = await makePlan(t, { priceCents: 3000 });
    const services = [];
    for (let i = 0; i < 3; i++) services.push(await makeService(t, { planId: plan.id, startDate: '2026-11-01' }));
    const db = t.backend.datastore.db;
    // The second subscription's charge cannot be written: the failure happens mid-run, in batch two of three.
    const victim = services[1]!.subscriptionId;
    await sql`create trigger test_fail_charge before insert on charges when new.subscription_id = ${sql.lit(victim)}
              begin select raise(abort, 'the disk is full (simulated)'); end`.execute(db);
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { runId, finished } = await startBillingRun(db, { asOf: '2026-11-15' as IsoDate, actorName: 'Office', now: () => new Date('2026-11-15T12:00:00Z'), batchSize: 1, readAhead: false });
      const failure = await finished.then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(failure?.message).toMatch(new RegExp(`Billing run ${runId} failed: .*the disk is full \\(simulated\\).*recorded as failed`));
      const run = await t.call('billing.runs.get', { id: runId });
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/the disk is full \(simulated\) \(error id [0-9a-f]{8}\)/);
      expect(run.finishedAt).not.toBeNull();
      expect(run.done).toBe(1);
      expect((await t.call('billing.runs.list', {})).rows[0]).toMatchObject({ id: runId, status: 'failed' });
    } finally {
      log.mockRestore();
    }
    const invoicesOf = async (subscriptionId: number) => t.call('invoices.listBySubscription', { subscriptionId });
    expect(await invoicesOf(services[0]!.subscriptionId)).toHaveLength(1);
    expect(await invoicesOf(victim)).toHaveLength(0);
    expect(await invoicesOf(services[2]!.subscriptionId)).toHaveLength(0);

    await sql`drop trigger test_fail_charge`.execute(db);
    const again = await t.call('billing.run', { date: '2026-11-15' });
    expect(again.status).toBe('completed');
    for (const s of services) {
      const [invoice] = await invoicesOf(s.subscriptionId);
      expect(invoice?.subtotalCents, `subscription ${s.subscriptionId}`).toBe(3000);
    }
  });

  it('answers billing.run with the run id and the reason, not a bare internal error', async () => {
    const t = await open();
    await makeService(t, { startDate: '2026-11-01' });
    await sql`create trigger test_fail_charge before insert on charges begin select raise(abort, 'no space left'); end`.execute(t.backend.datastore.db);
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const envelope = await t.backend.call('billing.run', {});
    log.mockRestore();
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) expect(envelope.error.message).toMatch(/Billing run \d+ failed: no space left\. It is recorded as failed/);
  });
});
