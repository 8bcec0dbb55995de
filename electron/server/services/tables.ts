import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Id } from '../db/tables';

export interface AccountPackagesTable {
  id: Id;
  subscription_id: number;
  package_id: number;
  contract_id: number | null;
  start_date: string;
  end_date: string | null;
  created_at: CreatedAt;
  /** Migration 0800: a contract kept across a package move runs from here; null: from start_date. */
  contract_start_date: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ServicesTable {
  id: Id;
  subscription_id: number;
  account_package_id: number | null;
  package_product_id: number | null;
  plan_id: number;
  description: string;
  /** Exact decimal text ("1", "2.5"). */
  quantity: Generated<string>;
  unit: string | null;
  /** Null: the plan's price applies. */
  price_cents: number | null;
  pay_period_months: number;
  rating_method: Generated<string>;
  start_date: string;
  end_date: string | null;
  discount_percent: string | null;
  discount_start: string | null;
  /** Inclusive last day of the discount. */
  discount_end: string | null;
  status: string;
  /** 1 when Stopped because the subscription went Inactive. */
  stopped_by_subscription: Generated<number>;
  router_id: number | null;
  login: string | null;
  /** Null: the subscription's service password applies. */
  password: string | null;
  ipv4_assignment: Generated<string>;
  ipv4_address: string | null;
  routed_network: string | null;
  pool_network_id: number | null;
  /** Normalized, comma-separated. */
  mac_addresses: string | null;
  port_id: string | null;
  latitude: number | null;
  longitude: number | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface ServiceProfileAnswersTable {
  id: Id;
  service_id: number;
  question_id: number;
  answer: string;
}

export interface ScheduledChangesTable {
  id: Id;
  service_id: number;
  effective_date: string;
  kind: string;
  new_plan_id: number | null;
  new_price_cents: number | null;
  new_status: string | null;
  discount_percent: string | null;
  discount_start: string | null;
  discount_end: string | null;
  state: Generated<string>;
  /** What applying it did, or why it could not. */
  outcome: string | null;
  created_at: CreatedAt;
  created_by_name: string;
  applied_at: string | null;
}

export interface DevicesTable {
  id: Id;
  subscription_id: number;
  service_id: number | null;
  type: string;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  mac_address: string | null;
  management_ip: string | null;
  firmware: string | null;
  install_date: string | null;
  location: string | null;
  status: string;
  notes: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface HotspotPlansTable {
  id: Id;
  name: string;
  time_limit_minutes: number | null;
  data_limit_mb: number | null;
  download_kbps: number | null;
  upload_kbps: number | null;
  validity_days: number;
  price_cents: number;
  active: Generated<number>;
  created_at: CreatedAt;
  updated_at: string;
}

export interface HotspotUsersTable {
  id: Id;
  subscription_id: number;
  hotspot_plan_id: number;
  kind: string;
  /** The login name or the voucher code. */
  login: string;
  password: string | null;
  batch_id: string | null;
  mac_binding: string | null;
  status: string;
  first_used_at: string | null;
  /** Set when its batch was voided (migration 1100): the record stays, it never logs in again. */
  voided_at: Generated<string | null>;
  created_at: CreatedAt;
  updated_at: string;
}

export interface ServicesAreaTables {
  account_packages: AccountPackagesTable;
  services: ServicesTable;
  service_profile_answers: ServiceProfileAnswersTable;
  scheduled_changes: ScheduledChangesTable;
  devices: DevicesTable;
  hotspot_plans: HotspotPlansTable;
  hotspot_users: HotspotUsersTable;
}
