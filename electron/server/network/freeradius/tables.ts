import type { Generated } from 'kysely';
import type { Id } from '../../db/tables';

export interface FreeradiusSettingsTable {
  id: Id;
  enabled: Generated<number>;
  host: string | null;
  port: Generated<number>;
  database: Generated<string>;
  user: string | null;
  /** Sealed by the SecretBox; never answered in clear. */
  password_sealed: string | null;
  ssl: Generated<number>;
  suspended_action: Generated<string>;
  interval_minutes: Generated<number>;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  /** JSON of the last sync's counts. */
  last_result: string | null;
  updated_at: string;
}

export interface FreeradiusTables {
  freeradius_settings: FreeradiusSettingsTable;
}
