import type { Id } from '../db/tables';

export interface UpgradePathsTable {
  id: Id;
  package_id: number;
  target_package_id: number;
  fee_cents: number;
  fee_product_id: number | null;
  contract_rule: string;
  bill_one_time: number;
  created_at: string;
  updated_at: string;
}

export interface PackageMovesTable {
  id: Id;
  subscription_id: number;
  source_account_package_id: number | null;
  source_package_name: string;
  target_package_id: number;
  target_package_name: string;
  target_account_package_id: number | null;
  bill_start_date: string;
  bill_one_time: number;
  waive_fee_reason: string | null;
  state: string;
  /** The confirmed preview, JSON. */
  figures: string;
  fingerprint: string;
  net_cents: number;
  outcome: string | null;
  created_at: string;
  created_by_name: string;
  applied_at: string | null;
}

export interface ContractFeesTable {
  id: Id;
  subscription_id: number;
  account_package_id: number | null;
  contract_id: number | null;
  contract_name: string;
  fee_cents: number;
  occasion: string;
  waived_reason: string | null;
  charge_id: number | null;
  decided_on: string;
  created_at: string;
  created_by_name: string;
}

export interface MovesTables {
  upgrade_paths: UpgradePathsTable;
  package_moves: PackageMovesTable;
  contract_fees: ContractFeesTable;
}
