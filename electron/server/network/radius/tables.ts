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

/** CoA and Disconnect-Requests waiting for delivery to live sessions (migration 2050). */
export interface RadiusDynamicOutboxTable {
  id: Id;
  service_id: number;
  kind: 'coa' | 'disconnect';
  reason: string;
  created_at: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  failed_at: string | null;
  last_error: string | null;
}

/** What each delivery of a CoA or Disconnect-Request got, per session, and the API fallback's result. */
export interface RadiusDynamicLogTable {
  id: Id;
  service_id: number | null;
  login: string;
  kind: 'coa' | 'disconnect';
  reason: string;
  nas_address: string | null;
  outcome: string;
  detail: string | null;
  fallback: string | null;
  done: number;
  at: string;
}

export interface RadiusTables {
  radius_dynamic_outbox: RadiusDynamicOutboxTable;
  radius_dynamic_log: RadiusDynamicLogTable;
  radius_login_changes: RadiusLoginChangesTable;
  radius_server_state: RadiusServerStateTable;
  radius_settings: RadiusSettingsTable;
  radius_sessions: RadiusSessionsTable;
}
