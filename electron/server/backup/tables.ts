import type { Id } from '../db/tables';

export interface BackupSettingsTable {
  id: number;
  folder: string | null;
  retention: number;
  daily: number;
  updated_at: string;
}

export interface BackupRunsTable {
  id: Id;
  trigger: 'manual' | 'daily';
  result: 'ok' | 'failed';
  started_at: string;
  finished_at: string;
  file: string | null;
  bytes: number | null;
  message: string | null;
}

export interface BackupTables {
  backup_settings: BackupSettingsTable;
  backup_runs: BackupRunsTable;
}
