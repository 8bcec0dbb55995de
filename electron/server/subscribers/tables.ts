import type { Generated } from 'kysely';
import type { CreatedAt, Id } from '../db/tables';

export interface StaffTable {
  id: Id;
  name: string;
  email: string | null;
  phone: string | null;
  role: string;
  active: Generated<number>;
  created_at: CreatedAt;
}

export interface OrganizationsTable {
  id: Id;
  name: string;
  kind: string;
  phone: string | null;
  email: string | null;
  street: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  notes: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface ContactsTable {
  id: Id;
  first_name: string;
  last_name: string;
  organization_id: number | null;
  /** JSON array of phone numbers as entered. */
  phones: Generated<string>;
  /** JSON array of lower-cased email addresses. */
  emails: Generated<string>;
  street: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  notes: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface SubscriptionsTable {
  id: Id;
  unique_id: string;
  contact_id: number;
  organization_id: number | null;
  name: string;
  status: string;
  engineer_id: number;
  /** `last first` of the contact, lower-cased: a copy kept for sorting (see sort-keys.ts). */
  contact_sort_name: string;
  /** The engineer's name, lower-cased: a copy kept for sorting. */
  engineer_sort_name: string;
  /** What "Name" sorts by: family name first for a subscription named after its contact (migration 1700's triggers keep it). */
  name_sort_key: Generated<string>;
  notification_level: Generated<string>;
  description: string | null;
  bill_day: Generated<number>;
  service_password: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface SubscriptionStatusChangesTable {
  id: Id;
  subscription_id: number;
  from_status: string | null;
  to_status: string;
  changed_at: string;
  changed_by_staff_id: number | null;
  /** Kept as text too, so history still reads right after a staff member is renamed or deleted. */
  changed_by_name: string;
  reason: string | null;
}

export interface SubscribersTables {
  staff: StaffTable;
  organizations: OrganizationsTable;
  contacts: ContactsTable;
  subscriptions: SubscriptionsTable;
  subscription_status_changes: SubscriptionStatusChangesTable;
}
