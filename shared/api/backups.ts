import { z } from 'zod';
import { isoDateTime, requiredMessage } from './common';
import { procedure } from './procedure';

/**
 * Backups: online copies of the datastore taken with SQLite's backup API (consistent while billing
 * runs write), kept in a chosen folder up to a retention count, and restoring one of them.
 */

/** An absolute path on the machine running the back end (POSIX `/…`, Windows `C:\…` or `\\server\share`). */
const absolutePath = z
  .string({ error: requiredMessage('Must be text') })
  .trim()
  .min(1, 'Required')
  .max(1000, 'At most 1000 characters')
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'Use a full path, such as /srv/backups or D:\\Backups')
  .refine((p) => !p.includes('\u0000'), 'Not a valid path');

export const BACKUP_TRIGGERS = ['manual', 'daily'] as const;

export const backupRun = z.object({
  id: z.number().int(),
  trigger: z.enum(BACKUP_TRIGGERS),
  result: z.enum(['ok', 'failed']),
  startedAt: isoDateTime,
  finishedAt: isoDateTime,
  /** The backup file written (full path); null when it failed. */
  file: z.string().nullable(),
  bytes: z.number().int().nullable(),
  /** Why it failed; null when it succeeded. */
  message: z.string().nullable(),
});

export const backupSettingsFields = z.object({
  /** Where backups go; null: the `backups` folder inside the data directory. */
  folder: absolutePath.nullable(),
  /** How many backups to keep: after each backup the oldest beyond this count are deleted. */
  retention: z.number({ error: requiredMessage('Must be a number') }).int('A whole number').min(1, 'Keep at least 1 backup').max(1000, 'At most 1000 backups'),
  /** Take a backup automatically once a day (and at start when the last one is more than a day old). */
  daily: z.boolean({ error: requiredMessage('Must be on or off') }),
});

export const backupSettings = z.object({
  folder: z.string().nullable(),
  /** The folder backups go to now (the chosen one, or the default). */
  effectiveFolder: z.string(),
  defaultFolder: z.string(),
  retention: z.number().int(),
  daily: z.boolean(),
  updatedAt: isoDateTime,
  /** The latest backup attempt and the latest successful one. */
  last: backupRun.nullable(),
  lastSuccess: backupRun.nullable(),
  /** A backup being written right now, with its progress in pages. */
  running: z.object({ startedAt: isoDateTime, donePages: z.number().int(), totalPages: z.number().int() }).nullable(),
});

export const backupFile = z.object({
  name: z.string(),
  file: z.string(),
  bytes: z.number().int(),
  /** When it was taken (from its name). */
  takenAt: isoDateTime,
});

export const restoreResult = z.object({
  restoredFrom: z.string(),
  /** Where the datastore that was replaced now lies (in the data directory). */
  keptAside: z.string(),
  /** Migrations the restored backup needed to reach this version of Towerline. */
  migrationsApplied: z.array(z.string()),
});

export const backupsApi = {
  'backups.settings': procedure('Backup folder, retention, daily switch, and the last backup taken.', z.object({}).default({}), backupSettings),
  'backups.updateSettings': procedure('Change the backup folder, retention or daily switch.', backupSettingsFields.partial(), backupSettings),
  'backups.run': procedure(
    'Back up the datastore now, into the backup folder; the oldest backups beyond the retention count are deleted.',
    z.object({ trigger: z.enum(BACKUP_TRIGGERS).default('manual') }).default({ trigger: 'manual' }),
    backupRun,
  ),
  'backups.list': procedure('The backups in the backup folder, newest first.', z.object({}).default({}), z.object({ folder: z.string(), rows: z.array(backupFile) })),
  'backups.restore': procedure(
    'Replace the datastore with a backup file after checking it (integrity, Towerline datastore, migrations known to this version); the replaced datastore is kept aside in the data directory.',
    z.object({ file: absolutePath }),
    restoreResult,
  ),
};
