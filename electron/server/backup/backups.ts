/**
 * Backups of the open datastore: settings, "back up now" (also what the daily job runs), the list of
 * backup files in the folder, retention. The copy itself is SQLite's online backup (db/backup.ts).
 */
import { accessSync, constants, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { backupFile, backupRun, backupSettings, backupSettingsFields } from '../../../shared/api/backups';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { IsoDateTime } from '../../../shared/domain/types';
import { onlineBackup, type CopyProgress } from '../db/backup';
import type { DatastoreHost } from '../db/host';
import type { Db } from '../db/open';
import type { BackupRunsTable } from './tables';
import { beyondRetention, freshBackupFileName, ourBackups } from './rules';

type Settings = z.output<typeof backupSettings>;
type SettingsFields = z.output<typeof backupSettingsFields>;
type Run = z.output<typeof backupRun>;
type BackupFile = z.output<typeof backupFile>;

/** Where backups go unless staff choose a folder: inside the data directory. */
export function defaultBackupFolder(host: DatastoreHost): string {
  return join(host.dataDir, 'backups');
}

/** Backups being written now, by datastore file: one at a time per datastore. */
const running = new Map<string, { startedAt: IsoDateTime; donePages: number; totalPages: number }>();

const stamp = (d: Date) => d.toISOString() as IsoDateTime;

function runOf(r: Omit<BackupRunsTable, 'id'> & { id: number }): Run {
  return {
    id: r.id,
    trigger: r.trigger,
    result: r.result,
    startedAt: r.started_at as IsoDateTime,
    finishedAt: r.finished_at as IsoDateTime,
    file: r.file,
    bytes: r.bytes,
    message: r.message,
  };
}

export async function getBackupSettings(db: Db, host: DatastoreHost): Promise<Settings> {
  const s = await db.selectFrom('backup_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const last = await db.selectFrom('backup_runs').selectAll().orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const lastSuccess = await db.selectFrom('backup_runs').selectAll().where('result', '=', 'ok').orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const defaultFolder = defaultBackupFolder(host);
  return {
    folder: s.folder,
    effectiveFolder: s.folder ?? defaultFolder,
    defaultFolder,
    retention: s.retention,
    daily: s.daily === 1,
    updatedAt: s.updated_at as IsoDateTime,
    last: last ? runOf(last) : null,
    lastSuccess: lastSuccess ? runOf(lastSuccess) : null,
    running: running.get(host.file) ?? null,
  };
}

/** Creates the folder if needed and proves we can write there; the message names the field. */
function ensureWritableFolder(folder: string, field: string | null): void {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    accessSync(folder, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'Towerline may not write there' : code === 'ENOTDIR' || code === 'EEXIST' ? 'that is a file, not a folder' : code === 'EROFS' ? 'that disk is read-only' : (error as Error).message;
    const message = `The backup folder cannot be used: ${why}.`;
    throw field ? fieldError(field, message) : new ApiError('refused', message);
  }
}

export async function updateBackupSettings(db: Db, host: DatastoreHost, patch: Partial<SettingsFields>, now: Date): Promise<Settings> {
  if (patch.folder) ensureWritableFolder(patch.folder, 'folder');
  await db
    .updateTable('backup_settings')
    .set({
      folder: patch.folder,
      retention: patch.retention,
      daily: patch.daily === undefined ? undefined : patch.daily ? 1 : 0,
      updated_at: now.toISOString(),
    })
    .where('id', '=', 1)
    .execute();
  return getBackupSettings(db, host);
}

function namesIn(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The backup files in the folder (ours only), newest first. */
export function listBackupFiles(folder: string): BackupFile[] {
  const rows: BackupFile[] = [];
  for (const b of ourBackups(namesIn(folder))) {
    const file = join(folder, b.name);
    try {
      rows.push({ name: b.name, file, bytes: statSync(file).size, takenAt: stamp(b.takenAt) });
    } catch {
      // Deleted between listing and looking: not there any more.
    }
  }
  return rows;
}

export interface BackupRequest {
  trigger: Run['trigger'];
  now: () => Date;
  pagesPerStep?: number;
  onProgress?(progress: CopyProgress): void;
}

/**
 * Writes a backup of the datastore into the backup folder, then deletes ours beyond the retention
 * count. The outcome is recorded either way; a failure answers an error saying why.
 */
export async function runBackup(db: Db, host: DatastoreHost, request: BackupRequest): Promise<Run> {
  if (running.has(host.file)) throw new ApiError('conflict', 'A backup is already being written; wait for it to finish.');
  const startedAt = request.now();
  const progress = { startedAt: stamp(startedAt), donePages: 0, totalPages: 0 };
  running.set(host.file, progress);
  let file: string | null = null;
  try {
    const settings = await getBackupSettings(db, host);
    const folder = settings.effectiveFolder;
    ensureWritableFolder(folder, null);
    const name = freshBackupFileName(startedAt, namesIn(folder));
    file = join(folder, name);
    // Written under a name that is not ours until complete, so a crash never leaves a half file in the list.
    const partial = `${file}.partial`;
    const { bytes } = await onlineBackup(host.file, partial, {
      pagesPerStep: request.pagesPerStep,
      onProgress: (p) => {
        progress.donePages = p.donePages;
        progress.totalPages = p.totalPages;
        request.onProgress?.(p);
      },
    });
    renameSync(partial, file);
    for (const old of beyondRetention(namesIn(folder), settings.retention)) rmSync(join(folder, old), { force: true });
    return await record(db, { trigger: request.trigger, result: 'ok', started_at: stamp(startedAt), finished_at: stamp(request.now()), file, bytes, message: null });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await record(db, { trigger: request.trigger, result: 'failed', started_at: stamp(startedAt), finished_at: stamp(request.now()), file: null, bytes: null, message: reason });
    if (error instanceof ApiError) throw error;
    throw new ApiError('refused', `The backup failed: ${reason}`);
  } finally {
    running.delete(host.file);
  }
}

async function record(db: Db, row: Omit<BackupRunsTable, 'id'>): Promise<Run> {
  const { id } = await db.insertInto('backup_runs').values(row).returning('id').executeTakeFirstOrThrow();
  return runOf({ ...row, id });
}
