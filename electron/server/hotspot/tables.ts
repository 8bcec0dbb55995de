import type { Generated } from 'kysely';

type Id = Generated<number>;

/** A hotspot user's status changes: expired (by accounting or the job), disabled, voided. */
export interface HotspotUserEventsTable {
  id: Id;
  hotspot_user_id: number;
  at: string;
  from_status: string;
  to_status: string;
  reason: string;
  actor: string;
}

/** One row: what voucher cards print. */
export interface HotspotSettingsTable {
  id: number;
  ssid: string | null;
  login_address: string | null;
  updated_at: string;
}

export interface HotspotTables {
  hotspot_user_events: HotspotUserEventsTable;
  hotspot_settings: HotspotSettingsTable;
}
