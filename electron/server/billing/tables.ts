import type { Generated } from 'kysely';
import type { Id } from '../db/tables';

export interface BillingSettingsTable {
  id: number;
  currency_code: Generated<string>;
  minor_digits: Generated<number>;
  payment_terms_days: Generated<number>;
  grace_days: Generated<number>;
  /** 'keep' or 'pause' (rules/suspension.ts). */
  while_suspended: Generated<string>;
  isp_name: Generated<string>;
  isp_street: string | null;
  isp_city: string | null;
  isp_region: string | null;
  isp_postal_code: string | null;
  isp_country: string | null;
  isp_phone: string | null;
  isp_email: string | null;
  /** A data URL (image/png, image/jpeg, image/svg+xml), so documents render without files. */
  isp_logo: string | null;
  /** No charge for any day before it (periods billed before Towerline took over). */
  billing_start_date: string | null;
  updated_at: string;
}

export interface BillingRunsTable {
  id: Id;
  run_date: string;
  status: string;
  total: Generated<number>;
  done: Generated<number>;
  subscriptions_billed: Generated<number>;
  charges_created: Generated<number>;
  invoices_created: Generated<number>;
  /** Exact integer-cents text (CentsTotal): a sum over every subscription billed (migration 2400). */
  amount_total: Generated<string>;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  started_by_name: string;
  /** Measured by the running process; null when unknown (see migration 1710). */
  duration_ms: number | null;
}

export interface InvoicesTable {
  id: Id;
  subscription_id: number;
  status: string;
  number: string | null;
  issue_date: string | null;
  due_date: string | null;
  auto_created: Generated<number>;
  billing_run_id: number | null;
  subtotal_cents: Generated<number>;
  tax_cents: Generated<number>;
  total_cents: Generated<number>;
  created_at: string;
  closed_at: string | null;
}

export interface ChargesTable {
  id: Id;
  invoice_id: number;
  subscription_id: number;
  service_id: number | null;
  account_package_id: number | null;
  plan_id: number | null;
  kind: string;
  description: string;
  explanation: string;
  /** Recurring: the first day billed. */
  period_start: string | null;
  /** Recurring: the day after the last day billed (exclusive). */
  period_end: string | null;
  quantity: Generated<string>;
  unit_price_cents: number;
  amount_cents: number;
  tax_rate_percent: string | null;
  tax_cents: Generated<number>;
  created_at: string;
}

export interface CreditMemosTable {
  id: Id;
  subscription_id: number;
  number: string;
  issue_date: string;
  reason: string;
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  created_at: string;
  created_by_name: string;
}

export interface CreditMemoLinesTable {
  id: Id;
  credit_memo_id: number;
  charge_id: number;
  description: string;
  amount_cents: number;
  tax_rate_percent: string | null;
  tax_cents: number;
}

export interface PaymentsTable {
  id: Id;
  subscription_id: number;
  number: string;
  method: string;
  received_date: string;
  amount_cents: number;
  reference: string | null;
  notes: string | null;
  created_at: string;
  created_by_name: string;
}

export interface PaymentAllocationsTable {
  id: Id;
  payment_id: number;
  invoice_id: number;
  amount_cents: number;
  allocated_at: string;
}

export interface RefundsTable {
  id: Id;
  subscription_id: number;
  payment_id: number;
  refund_date: string;
  amount_cents: number;
  method: string;
  reference: string | null;
  reason: string;
  created_at: string;
  created_by_name: string;
}

/** Suspensions that began while billing was set to pause (migration 2150; rules/suspension.ts). */
export interface PausedSuspensionsTable {
  status_change_id: number;
  subscription_id: number;
}

export interface BillingTables {
  billing_settings: BillingSettingsTable;
  billing_runs: BillingRunsTable;
  invoices: InvoicesTable;
  charges: ChargesTable;
  credit_memos: CreditMemosTable;
  credit_memo_lines: CreditMemoLinesTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  refunds: RefundsTable;
  paused_suspensions: PausedSuspensionsTable;
}
