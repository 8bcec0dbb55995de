import type { Generated } from 'kysely';
import type { Id } from '../db/tables';

export interface BackgroundSettingsTable {
  id: Id;
  run_on_this_computer: Generated<number>;
  radius_host: Generated<string>;
  radius_auth_port: Generated<number>;
  radius_acct_port: Generated<number>;
  updated_at: string;
}

export interface PlatformTables {
  background_settings: BackgroundSettingsTable;
}
