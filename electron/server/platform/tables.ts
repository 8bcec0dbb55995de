import type { Id } from '../db/tables';

export interface BackgroundSettingsTable {
  id: Id;
  run_on_this_computer: number;
  radius_host: string;
  radius_auth_port: number;
  radius_acct_port: number;
  updated_at: string;
}

export interface PlatformTables {
  background_settings: BackgroundSettingsTable;
}
