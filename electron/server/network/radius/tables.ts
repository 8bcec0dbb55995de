import type { Generated } from 'kysely';
import type { Id } from '../../db/tables';

export interface RadiusSettingsTable {
  id: number;
  suspended_answer: 'reject' | 'address-list';
  require_message_authenticator: number;
  coa_port: number;
  updated_at: string;
}

export interface RadiusSessionsTable {
  id: Id;
  nas_address: string;
  router_id: number | null;
  acct_session_id: string;
  login: string;
  service_id: number | null;
  hotspot_user_id: number | null;
  framed_ip: string | null;
  calling_station_id: string | null;
  nas_port_id: string | null;
  started_at: string;
  updated_at: string;
  stopped_at: string | null;
  session_seconds: Generated<number>;
  input_bytes: Generated<number>;
  output_bytes: Generated<number>;
  terminate_cause: string | null;
}

export interface RadiusServerStateTable {
  id: number;
  listening: number;
  host: string;
  auth_port: number;
  acct_port: number;
  started_at: string;
  heartbeat_at: string;
  /** JSON of RadiusCounters. */
  counters: string;
}

/** Services whose RADIUS answer may have changed (migration 1300's triggers); the server prunes what it read. */
export interface RadiusLoginChangesTable {
  id: Id;
  service_id: number;
}

export interface RadiusTables {
  radius_login_changes: RadiusLoginChangesTable;
  radius_server_state: RadiusServerStateTable;
  radius_settings: RadiusSettingsTable;
  radius_sessions: RadiusSessionsTable;
}
