/**
 * Restoring a backup: the file is copied into the data directory and checked there (SQLite at all,
 * integrity, a Towerline datastore, migrations this version knows) before anything is replaced;
 * the datastore it replaces is kept aside in the data directory under a timestamped name, and the
 * app opens the restored one (migrating it if it came from an older version).
 */
import { chmodSync, constants, copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { z } from 'zod';
import type { restoreResult } from '../../../shared/api/backups';
import { ApiError } from '../../../shared/api/errors';
import { billingRunInProgress } from '../billing/run';
import type { DatastoreHost } from '../db/host';
import { compileMigration } from '../db/migrate';
import type { Migration } from '../db/migration';
import type { Db } from '../db/open';
import { inspectOffThread } from './inspect';
import { refuseMigrations } from './rules';
import type { Kysely } from 'kysely';

type RestoreResult = z.output<typeof restoreResult>;

const refuse = (message: string) => new ApiError('refused', message, { file: message });

/** `2026-12-02T01-36-08-123Z`: a timestamp safe in file names. */
const fileStamp = (d: Date) => d.toISOString().replace(/[:.]/g, '-');

/** The sidecar files SQLite keeps beside a datastore in WAL mode. */
const SIDECARS = ['-wal', '-shm', '-journal'];

function moveWithSidecars(from: string, to: string): void {
  renameSync(from, to);
  for (const s of SIDECARS) if (existsSync(from + s)) renameSync(from + s, to + s);
}

/** Checks a copy of a would-be backup (in a worker thread: inspect.ts); throws the refusal staff see. */
export async function checkBackupCopy(db: Db, copy: string, migrations: readonly Migration[]): Promise<void> {
  const { report } = await inspectOffThread(copy);
  if (report.kind === 'not-sqlite') throw refuse('This file is not a Towerline backup: it is not an SQLite database at all.');
  if (report.kind === 'corrupt') throw refuse(`This backup is damaged and cannot be restored (SQLite's integrity check: ${report.problems.slice(0, 3).join('; ')}).`);
  if (report.kind === 'foreign') throw refuse('This file is an SQLite database, but not a Towerline datastore.');
  const known = migrations.map((m) => ({ id: m.id, checksum: compileMigration(db as Kysely<unknown>, m).checksum }));
  const why = refuseMigrations(report.migrations, known);
  if (why) throw refuse(why);
}

export async function restoreBackup(db: Db, host: DatastoreHost, candidate: string, migrations: readonly Migration[], now: Date): Promise<RestoreResult> {
  const source = resolve(candidate);
  let size: number;
  try {
    const stat = statSync(source);
    if (!stat.isFile()) throw refuse('This is a folder, not a backup file.');
    size = stat.size;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw refuse(`There is no backup file at ${source}.`);
  }
  if (source === resolve(host.file)) throw refuse('This is the datastore in use, not a backup of it.');
  if (size === 0) throw refuse('This file is empty: it is not a Towerline backup.');
  if (billingRunInProgress(db) !== null) throw new ApiError('conflict', 'A billing run is still working; restore once it has finished.');

  const stamp = fileStamp(now);
  const staged = join(host.dataDir, `towerline-restoring-${stamp}.sqlite`);
  const aside = join(host.dataDir, `towerline-replaced-${stamp}.sqlite`);
  // Checked as a copy in the data directory: what is checked is exactly what is put in place,
  // whatever happens to the original meanwhile (a USB stick pulled, a sync client rewriting it).
  try {
    copyFileSync(source, staged, constants.COPYFILE_EXCL);
    chmodSync(staged, 0o600);
  } catch (error) {
    rmSync(staged, { force: true });
    throw refuse(`The backup could not be read: ${(error as Error).message}`);
  }
  try {
    await checkBackupCopy(db, staged, migrations);
    // Settings for backups belong to this installation, not to the day the backup was taken.
    const keep = await db.selectFrom('backup_settings').select(['folder', 'retention', 'daily', 'updated_at']).where('id', '=', 1).executeTakeFirstOrThrow();
    const migration = await host.replace({
      ready: (current) => {
        if (billingRunInProgress(current) !== null) throw new ApiError('conflict', 'A billing run is still working; restore once it has finished.');
      },
      swap: (file) => {
        moveWithSidecars(file, aside);
        renameSync(staged, file);
      },
      undo: (file) => {
        if (!existsSync(aside)) return;
        for (const s of ['', ...SIDECARS]) rmSync(file + s, { force: true });
        moveWithSidecars(aside, file);
      },
    });
    await host.db().updateTable('backup_settings').set(keep).where('id', '=', 1).execute();
    return { restoredFrom: source, keptAside: aside, migrationsApplied: migration.applied };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('refused', `The backup ${basename(source)} was not restored: ${(error as Error).message}. The datastore in use was left as it was.`);
  } finally {
    rmSync(staged, { force: true });
  }
}
