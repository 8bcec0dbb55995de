import type { backupsApi } from '../../../shared/api/backups';
import type { HandlersFor } from '../api/handlers';
import { datastoreHostOf } from '../db/host';
import { migrations } from '../../../migrations';
import { getBackupSettings, listBackupFiles, runBackup, updateBackupSettings } from './backups';
import { restoreBackup } from './restore';

/**
 * Backups work on the datastore itself, not inside a transaction: a backup writes files and records
 * its outcome whatever happens, a restore closes and replaces the datastore. Each writes one row or
 * one statement at a time, so nothing is half-written.
 */
export const BACKUP_SELF_TRANSACTING = ['backups.settings', 'backups.updateSettings', 'backups.run', 'backups.list', 'backups.restore'] as const;

export const backupHandlers: HandlersFor<typeof backupsApi> = {
  'backups.settings': (_input, { db }) => getBackupSettings(db, datastoreHostOf(db)),
  'backups.updateSettings': (patch, { db, now }) => updateBackupSettings(db, datastoreHostOf(db), patch, now()),
  'backups.run': ({ trigger }, { db, now, progress }) => runBackup(db, datastoreHostOf(db), { trigger, now, onProgress: (p) => progress(p.donePages, p.totalPages, 'Backing up') }),
  'backups.list': async (_input, { db }) => {
    const folder = (await getBackupSettings(db, datastoreHostOf(db))).effectiveFolder;
    return { folder, rows: listBackupFiles(folder) };
  },
  'backups.restore': ({ file }, { db, now }) => restoreBackup(db, datastoreHostOf(db), file, migrations, now()),
};
