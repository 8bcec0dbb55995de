import type { Generated } from 'kysely';
import type { CreatedAt, Id } from '../db/tables';

export interface TaxClassesTable {
  id: Id;
  name: string;
  /** Exact decimal text, e.g. "7.25" (billing/rules/percent.ts). */
  rate_percent: string;
  active: Generated<number>;
  created_at: CreatedAt;
}

export interface PlansTable {
  id: Id;
  kind: string;
  name: string;
  description: string | null;
  price_cents: number;
  pay_period_months: Generated<number>;
  tax_class_id: number | null;
  active: Generated<number>;
  download_kbps: number | null;
  upload_kbps: number | null;
  burst_download_kbps: number | null;
  burst_upload_kbps: number | null;
  burst_threshold_percent: number | null;
  burst_time_seconds: number | null;
  priority: number | null;
  contention_ratio: number | null;
  qos_mode: string | null;
  access_technology: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface PackagesTable {
  id: Id;
  name: string;
  description: string | null;
  active: Generated<number>;
  created_at: CreatedAt;
  updated_at: string;
}

export interface PackageProductsTable {
  id: Id;
  package_id: number;
  /** Null for a product that is not a plan (an installation fee, a prepaid block). */
  plan_id: number | null;
  name: string;
  rating_method: string;
  price_cents: number;
  min_quantity: number | null;
  unit: string | null;
  position: Generated<number>;
}

export interface ContractsTable {
  id: Id;
  package_id: number;
  name: string;
  term_months: number;
  cancellation_fee_cents: Generated<number>;
}

export interface ProfileQuestionsTable {
  id: Id;
  package_id: number;
  label: string;
  kind: string;
  /** JSON array of allowed answers for kind 'choice'. */
  choices: Generated<string>;
  required: Generated<number>;
  position: Generated<number>;
}

export interface CatalogTables {
  tax_classes: TaxClassesTable;
  plans: PlansTable;
  packages: PackagesTable;
  package_products: PackageProductsTable;
  contracts: ContractsTable;
  profile_questions: ProfileQuestionsTable;
}
