import type { Generated } from 'kysely';

export interface UsageLiveSessionsTable {
  session_key: string;
  source: 'radius' | 'routeros';
  service_id: number | null;
  hotspot_user_id: number | null;
  router_id: number | null;
  login: string;
  started_at: string;
  updated_at: string;
  session_seconds: number;
  input_counter: number;
  output_counter: number;
}

export interface UsageRollupTable {
  service_id: number;
  download_bytes: number;
  upload_bytes: number;
}

export interface UsageHourlyTable extends UsageRollupTable {
  hour: string;
}

export interface UsageDailyTable extends UsageRollupTable {
  day: string;
}

export interface UsageHotspotTotalsTable {
  hotspot_user_id: number;
  session_seconds: number;
  download_bytes: number;
  upload_bytes: number;
}

export interface UsageSettingsTable {
  id: number;
  hourly_days: number;
  daily_days: number;
  session_days: number;
  stale_session_hours: number;
  last_cleanup_at: string | null;
  /** How often routers with usage from the RouterOS API are polled. */
  routeros_poll_minutes: Generated<number>;
  updated_at: string;
}

export interface UsagePlanCapsTable {
  plan_id: number;
  cap_gb: number;
  action: 'disable' | 'throttle';
  throttle_download_kbps: number | null;
  throttle_upload_kbps: number | null;
  updated_at: string;
}

export interface UsageCapActionsTable {
  id: Generated<number>;
  service_id: number;
  period: string;
  action: 'disable' | 'throttle';
  throttle_rate: string | null;
  used_bytes: number;
  cap_bytes: number;
  previous_status: string | null;
  applied_at: string;
  lifted_at: string | null;
  lift_reason: string | null;
}

/** The RouterOS usage poll's state per router. */
export interface RouterosUsageStateTable {
  router_id: number;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  sessions: Generated<number>;
  queues: Generated<number>;
}

/** A service's last report from a session that has since ended (kept when its live row goes; migration 2550). */
export interface ServiceLastSeenTable {
  service_id: number;
  seen_at: string;
}

export interface UsageTables {
  service_last_seen: ServiceLastSeenTable;
  routeros_usage_state: RouterosUsageStateTable;
  usage_cap_actions: UsageCapActionsTable;
  usage_plan_caps: UsagePlanCapsTable;
  usage_live_sessions: UsageLiveSessionsTable;
  usage_hourly: UsageHourlyTable;
  usage_daily: UsageDailyTable;
  usage_hotspot_totals: UsageHotspotTotalsTable;
  usage_settings: UsageSettingsTable;
}
