import type { Generated } from 'kysely';
import type { Id } from '../db/tables';

export interface DunningSettingsTable {
  id: number;
  enabled: Generated<number>;
  minimum_overdue_cents: Generated<number>;
  /** JSON array of weekday names ("Sat"). */
  no_cutoff_weekdays: Generated<string>;
  /** JSON array of ISO dates. */
  holidays: Generated<string>;
  notice_days: number | null;
  throttle_days: number | null;
  throttle_rate: string | null;
  last_run_date: string | null;
  updated_at: string;
}

export interface DunningStatesTable {
  subscription_id: number;
  stage: string;
  since_date: string;
  previous_status: string | null;
  overdue_cents: number;
  /** JSON array of invoice numbers. */
  invoice_numbers: string;
  updated_at: string;
}

export interface DunningExemptionsTable {
  id: Id;
  subscription_id: number;
  from_date: string;
  until_date: string;
  reason: string;
  created_at: string;
  created_by_name: string;
  removed_at: string | null;
}

export interface DunningNoticesTable {
  id: Id;
  subscription_id: number;
  notice_date: string;
  overdue_cents: number;
  invoice_numbers: string;
  created_at: string;
}

export interface DunningTables {
  dunning_settings: DunningSettingsTable;
  dunning_states: DunningStatesTable;
  dunning_exemptions: DunningExemptionsTable;
  dunning_notices: DunningNoticesTable;
}
