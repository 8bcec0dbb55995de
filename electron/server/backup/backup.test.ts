import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../shared/domain/types';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { seedBillingData } from '../../../test/crash/seed';
import { createBackend, DATABASE_FILE } from '../backend';
import { startBillingRun } from '../billing/run';
import type { Db } from '../db/open';
import { datastoreHostOf } from '../db/host';
import { runBackup } from './backups';
import { startBackups } from './job';

let clock = new Date('2026-12-01T09:00:00Z');
const now = () => clock;
let t: TestBackend;
let folder: string;
const cleanup: string[] = [];

beforeEach(async () => {
  clock = new Date('2026-12-01T09:00:00Z');
  t = await testBackend({ now });
  folder = mkdtempSync(join(tmpdir(), 'towerline-backups-'));
  cleanup.push(folder);
  await t.call('backups.updateSettings', { folder });
});
afterEach(async () => {
  await t.close();
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const dataDirFiles = () => readdirSync(t.dataDir).filter((n) => n !== 'backups').sort();

async function contactNames(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('contacts').select(['first_name', 'last_name']).orderBy('id').execute();
  return rows.map((r) => `${r.first_name} ${r.last_name}`);
}

describe('back up now', () => {
  it('writes an owner-only, timestamped backup into the chosen folder and records it', async () => {
    await t.call('contacts.create', { firstName: 'Ada', lastName: 'Lovelace' });
    const run = await t.call('backups.run', {});
    expect(run).toMatchObject({ trigger: 'manual', result: 'ok', file: join(folder, 'towerline-2026-12-01-090000Z.sqlite'), message: null });
    expect(statSync(run.file!).mode & 0o777).toBe(0o600);
    expect(run.bytes).toBe(statSync(run.file!).size);
    // One self-contained file: no WAL beside it, nothing half-written left over.
    expect(readdirSync(folder)).toEqual(['towerline-2026-12-01-090000Z.sqlite']);
    const settings = await t.call('backups.settings', {});
    expect(settings.last).toEqual(run);
    expect(settings.lastSuccess).toEqual(run);
    expect(settings.effectiveFolder).toBe(folder);
    expect((await t.call('backups.list', {})).rows).toEqual([{ name: 'towerline-2026-12-01-090000Z.sqlite', file: run.file, bytes: run.bytes, takenAt: '2026-12-01T09:00:00.000Z' }]);
  });

  it('goes to the backups folder in the data directory until staff choose one', async () => {
    const settings = await t.call('backups.updateSettings', { folder: null });
    expect(settings.effectiveFolder).toBe(join(t.dataDir, 'backups'));
    const run = await t.call('backups.run', {});
    expect(run.file).toBe(join(t.dataDir, 'backups', 'towerline-2026-12-01-090000Z.sqlite'));
  });

  it('refuses a folder it cannot write to, naming the field', async () => {
    const file = join(folder, 'a-file');
    writeFileSync(file, 'x');
    const error = await t.fail('backups.updateSettings', { folder: join(file, 'sub') });
    expect(error.code).toBe('validation');
    expect(error.fields?.folder).toMatch(/cannot be used/);
    expect((await t.fail('backups.updateSettings', { folder: 'relative/path' })).fields?.folder).toMatch(/full path/);
    expect((await t.fail('backups.updateSettings', { retention: 0 })).fields?.retention).toMatch(/at least 1/);
    expect((await t.call('backups.settings', {})).folder).toBe(folder);
  });

  it('records a failed backup with its reason', async () => {
    rmSync(folder, { recursive: true });
    writeFileSync(folder, 'now a file where the folder was');
    const error = await t.fail('backups.run', {});
    expect(error.message).toMatch(/backup folder cannot be used/);
    const settings = await t.call('backups.settings', {});
    expect(settings.last).toMatchObject({ result: 'failed', file: null, message: error.message });
    expect(settings.lastSuccess).toBeNull();
  });

  it('keeps only the newest backups of ours beyond the retention count, and no other file', async () => {
    await t.call('backups.updateSettings', { retention: 2 });
    writeFileSync(join(folder, 'notes.txt'), 'keep me');
    writeFileSync(join(folder, 'towerline-before-upgrade.sqlite'), 'keep me too');
    for (const hour of ['09', '10', '11', '12']) {
      clock = new Date(`2026-12-01T${hour}:00:00Z`);
      await t.call('backups.run', {});
    }
    expect(readdirSync(folder).sort()).toEqual(['notes.txt', 'towerline-2026-12-01-110000Z.sqlite', 'towerline-2026-12-01-120000Z.sqlite', 'towerline-before-upgrade.sqlite']);
  });
});

describe('restore', () => {
  it('puts the backup in place, keeps the replaced datastore aside, and the app goes on with it', async () => {
    await t.call('contacts.create', { firstName: 'Ada', lastName: 'Lovelace' });
    const backup = await t.call('backups.run', {});
    await t.call('contacts.create', { firstName: 'Grace', lastName: 'Hopper' });
    await t.call('backups.updateSettings', { retention: 5, daily: false });
    expect(await contactNames(t.backend.datastore.db)).toEqual(['Ada Lovelace', 'Grace Hopper']);

    clock = new Date('2026-12-01T10:00:00Z');
    const restored = await t.call('backups.restore', { file: backup.file! });
    expect(restored).toEqual({ restoredFrom: backup.file, keptAside: join(t.dataDir, 'towerline-replaced-2026-12-01T10-00-00-000Z.sqlite'), migrationsApplied: [] });
    // Calls now reach the restored datastore.
    expect(await contactNames(t.backend.datastore.db)).toEqual(['Ada Lovelace']);
    expect(statSync(join(t.dataDir, DATABASE_FILE)).mode & 0o777).toBe(0o600);
    // The backup settings are this installation's, not the backup's.
    expect(await t.call('backups.settings', {})).toMatchObject({ folder, retention: 5, daily: false });
    // The replaced datastore, with Grace, is kept aside and opens.
    const aside = new BetterSqlite3(restored.keptAside, { readonly: true });
    expect(aside.prepare('select count(*) from contacts').pluck().get()).toBe(2);
    aside.close();
    // And the backup file itself is untouched.
    expect(existsSync(backup.file!)).toBe(true);
    await t.call('contacts.create', { firstName: 'Katherine', lastName: 'Johnson' });
    expect(await contactNames(t.backend.datastore.db)).toEqual(['Ada Lovelace', 'Katherine Johnson']);
  });

  describe('refuses, with a clear message and nothing replaced,', () => {
    beforeEach(async () => {
      await t.call('contacts.create', { firstName: 'Ada', lastName: 'Lovelace' });
    });
    const snapshot = async () => {
      // Everything written is in the main file once checkpointed.
      await t.backend.datastore.db.selectFrom('contacts').select('id').execute();
      return { files: dataDirFiles(), names: await contactNames(t.backend.datastore.db) };
    };
    async function expectRefused(file: string, message: RegExp) {
      const state = await snapshot();
      const error = await t.fail('backups.restore', { file });
      expect(error.code).toBe('refused');
      expect(error.message).toMatch(message);
      expect(error.fields?.file).toBe(error.message);
      expect(await snapshot()).toEqual(state);
      expect(dataDirFiles().some((n) => n.startsWith('towerline-replaced') || n.startsWith('towerline-restoring'))).toBe(false);
    }

    it('a corrupt backup', async () => {
      const { file } = await t.call('backups.run', {});
      const size = statSync(file!).size;
      const fd = openSync(file!, 'r+');
      // Scribble over the middle of the file: b-tree pages, not the header.
      writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
      closeSync(fd);
      await expectRefused(file!, /damaged and cannot be restored/);
    });

    it('a backup written by a newer Towerline', async () => {
      const { file } = await t.call('backups.run', {});
      const newer = new BetterSqlite3(file!);
      newer.prepare('insert into towerline_migrations (id, checksum, applied_at) values (?, ?, ?)').run('9990-from-the-future', 'abc', '2027-01-01T00:00:00Z');
      newer.close();
      await expectRefused(file!, /written by a newer version of Towerline \(it has migration 9990-from-the-future/);
    });

    it('a file that is not SQLite', async () => {
      const file = join(folder, 'towerline-2026-12-01-090000Z.sqlite');
      writeFileSync(file, 'Name,Address\nAda,London\n');
      await expectRefused(file, /not an SQLite database/);
    });

    it('an SQLite file that is not a Towerline datastore', async () => {
      const file = join(folder, 'other.sqlite');
      const other = new BetterSqlite3(file);
      other.exec('create table notes (id integer primary key, body text)');
      other.close();
      await expectRefused(file, /not a Towerline datastore/);
    });

    it('a file that does not exist, or the datastore itself', async () => {
      await expectRefused(join(folder, 'missing.sqlite'), /no backup file/);
      await expectRefused(join(t.dataDir, DATABASE_FILE), /datastore in use/);
    });
  });
});

describe('a backup taken while a billing run writes', () => {
  it('restores to a batch boundary: each subscription fully billed or not at all, invoices equal to their charges', async () => {
    const db = t.backend.datastore.db;
    await seedBillingData(db, 600, '2026-11-01' as IsoDate);
    let backup: Promise<Awaited<ReturnType<typeof runBackup>>> | null = null;
    let doneWhenStarted = 0;
    let billed = 0;
    const billedWhileCopying: number[] = [];
    const { runId, finished } = await startBillingRun(db, {
      asOf: '2026-12-01' as IsoDate,
      actorName: 'Test',
      now,
      batchSize: 50,
      readAhead: false,
      progress: (done) => {
        billed = done;
        // From the third batch on, in steps of a few pages so the copy spans several batches' commits.
        if (done >= 150 && !backup) {
          doneWhenStarted = done;
          backup = runBackup(db, datastoreHostOf(db), { trigger: 'manual', now, pagesPerStep: 8, onProgress: () => billedWhileCopying.push(billed) });
        }
      },
    });
    const run = await finished;
    const copied = await backup!;
    expect(run.status).toBe('completed');
    // Batches were committed while the copy was being made.
    expect(billedWhileCopying.at(-1)!).toBeGreaterThan(billedWhileCopying[0]!);

    // The copy is what a commit left: read it in the app, as restored into a datastore of its own.
    const other = await testBackend({ now });
    cleanup.push(other.dataDir);
    try {
      await other.call('backups.restore', { file: copied.file! });
      const copy = other.backend.datastore.db;
      const snap = await copy.selectFrom('billing_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
      expect(snap.status).toBe('running');
      expect(snap.done % 50).toBe(0);
      expect(snap.done).toBeGreaterThanOrEqual(doneWhenStarted);
      expect(snap.done).toBeLessThan(run.total);

      const perSubscription = async (d: Db) =>
        new Map((await d.selectFrom('charges').select(['subscription_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('subscription_id').execute()).map((r) => [r.subscription_id, Number(r.n)]));
      const full = await perSubscription(db);
      const partial = await perSubscription(copy);
      expect(partial.size).toBeGreaterThan(0);
      expect(partial.size).toBeLessThan(full.size);
      for (const [subscription, n] of partial) expect(n, `subscription ${subscription}`).toBe(full.get(subscription));
      expect(partial.size).toBe(snap.subscriptions_billed);
      const charges = await copy.selectFrom('charges').select((eb) => [eb.fn.countAll<number>().as('n')]).executeTakeFirstOrThrow();
      expect(Number(charges.n)).toBe(snap.charges_created);
      const mismatched = await copy
        .selectFrom('invoices')
        .leftJoin('charges', 'charges.invoice_id', 'invoices.id')
        .select(['invoices.id', 'invoices.subtotal_cents', 'invoices.tax_cents', (eb) => eb.fn.sum<number>('charges.amount_cents').as('amount'), (eb) => eb.fn.sum<number>('charges.tax_cents').as('tax')])
        .groupBy('invoices.id')
        .execute();
      expect(mismatched.length).toBe(snap.invoices_created);
      expect(mismatched.filter((i) => Number(i.amount ?? 0) !== i.subtotal_cents || Number(i.tax ?? 0) !== i.tax_cents)).toEqual([]);

      // The app opens the backup file itself as its datastore too.
      const dir = mkdtempSync(join(tmpdir(), 'towerline-opened-'));
      cleanup.push(dir);
      writeFileSync(join(dir, DATABASE_FILE), readFileSync(copied.file!));
      const opened = await createBackend({ dataDir: dir });
      expect((await opened.call('billing.runs.get', { id: runId })).ok).toBe(true);
      await opened.close();
    } finally {
      await other.close();
    }
  });
});

describe('replacing the datastore', () => {
  it('puts the previous file back and goes on with it when the new one cannot be opened', async () => {
    await t.call('contacts.create', { firstName: 'Ada', lastName: 'Lovelace' });
    const aside = join(t.dataDir, 'aside.sqlite');
    await expect(
      t.backend.reopen({
        swap: (file) => {
          renameSync(file, aside);
          writeFileSync(file, 'not a datastore at all');
        },
        undo: (file) => {
          rmSync(file);
          renameSync(aside, file);
        },
      }),
    ).rejects.toThrow();
    expect(await contactNames(t.backend.datastore.db)).toEqual(['Ada Lovelace']);
    expect((await t.call('contacts.create', { firstName: 'Grace', lastName: 'Hopper' })).firstName).toBe('Grace');
  });
});

describe('the daily backup job', () => {
  it('catches up at start when the last backup is more than a day old, and not again the same day', async () => {
    clock = new Date('2026-11-29T08:00:00Z');
    await t.call('backups.run', {});
    clock = new Date('2026-12-01T09:00:00Z');
    const lines: string[] = [];
    const job = startBackups(t.backend, { now, log: (l) => lines.push(l), checkEveryMs: 20 });
    await expect.poll(() => readdirSync(folder).length).toBe(2);
    clock = new Date('2026-12-01T20:00:00Z');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await job.stop();
    expect(readdirSync(folder).sort()).toEqual(['towerline-2026-11-29-080000Z.sqlite', 'towerline-2026-12-01-090000Z.sqlite']);
    expect((await t.call('backups.settings', {})).last).toMatchObject({ trigger: 'daily', result: 'ok' });
    expect(lines).toEqual([expect.stringMatching(/^daily backup written to .*towerline-2026-12-01-090000Z\.sqlite/)]);
  });

  it('takes none while the daily switch is off', async () => {
    await t.call('backups.updateSettings', { daily: false });
    const job = startBackups(t.backend, { now, log: () => {}, checkEveryMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await job.stop();
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('npm run backup', () => {
  const script = (...args: string[]) => spawnSync(join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['scripts/backup.ts', ...args], { encoding: 'utf8' });

  it('backs up a data directory while the app has it open, and never overwrites a file', async () => {
    await t.call('contacts.create', { firstName: 'Ada', lastName: 'Lovelace' });
    const to = join(folder, 'nightly.sqlite');
    const written = script('--data-dir', t.dataDir, '--to', to);
    expect(written.stderr).toBe('');
    expect(written.status).toBe(0);
    expect(written.stdout).toMatch(/^backed up .* to .*nightly\.sqlite/);
    expect(statSync(to).mode & 0o777).toBe(0o600);
    const copy = new BetterSqlite3(to, { readonly: true });
    expect(copy.prepare('select first_name from contacts').pluck().all()).toEqual(['Ada']);
    copy.close();

    const again = script('--data-dir', t.dataDir, '--to', to);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  }, 120_000);
});
