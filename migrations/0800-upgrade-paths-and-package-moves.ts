import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Upgrades, downgrades and package moves: the upgrade paths configured on a package, the moves
 * carried out or scheduled on subscriptions (with the figures staff confirmed), and the
 * early-cancellation fees of contracts (charged or waived, once per account package).
 *
 * A moved service keeps its row (login, addresses, devices and history stay on it), so after a move
 * or a plan change one service may hold two recurring charges starting the same day: the old
 * package's (credited) and the new one's. One charge per period is therefore per service, account
 * package and plan.
 */
export const migration: Migration = {
  id: '0800-upgrade-paths-and-package-moves',
  steps: (db) => [
    db.schema
      .createTable('upgrade_paths')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('package_id', 'integer', (c) => c.notNull().references('packages.id').onDelete('cascade'))
      .addColumn('target_package_id', 'integer', (c) => c.notNull().references('packages.id').onDelete('cascade'))
      .addColumn('fee_cents', 'integer', (c) => c.notNull().defaultTo(0).check(sql`fee_cents >= 0`))
      // The target package's product the fee is posted on, so it is taxed like that product.
      .addColumn('fee_product_id', 'integer', (c) => c.references('package_products.id').onDelete('set null'))
      .addColumn('contract_rule', 'text', (c) => c.notNull().check(sql`contract_rule in ('destination-then-source', 'destination', 'source')`))
      .addColumn('bill_one_time', 'integer', (c) => c.notNull().defaultTo(0).check(sql`bill_one_time in (0, 1)`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('upgrade_paths_one_per_target', ['package_id', 'target_package_id'])
      .addCheckConstraint('upgrade_paths_not_to_itself', sql`package_id <> target_package_id`)
      .modifyEnd(sql`strict`),
    db.schema.createIndex('upgrade_paths_target').on('upgrade_paths').column('target_package_id'),
    db.schema.createIndex('upgrade_paths_fee_product').on('upgrade_paths').column('fee_product_id'),

    // A contract kept across a move ("always source") runs from the old package's start, not the new one's.
    db.schema.alterTable('account_packages').addColumn('contract_start_date', 'text'),

    db.schema
      .createTable('package_moves')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      // Set null when an ended package is deleted later: the move's figures and names stay.
      .addColumn('source_account_package_id', 'integer', (c) => c.references('account_packages.id').onDelete('set null'))
      .addColumn('source_package_name', 'text', (c) => c.notNull())
      .addColumn('target_package_id', 'integer', (c) => c.notNull().references('packages.id').onDelete('restrict'))
      .addColumn('target_package_name', 'text', (c) => c.notNull())
      .addColumn('target_account_package_id', 'integer', (c) => c.references('account_packages.id').onDelete('set null'))
      .addColumn('bill_start_date', 'text', (c) => c.notNull())
      .addColumn('bill_one_time', 'integer', (c) => c.notNull().check(sql`bill_one_time in (0, 1)`))
      .addColumn('waive_fee_reason', 'text')
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('scheduled', 'applied', 'cancelled')`))
      // The preview the staff member confirmed (JSON), and its fingerprint.
      .addColumn('figures', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('net_cents', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text')
      .modifyEnd(sql`strict`),
    db.schema.createIndex('package_moves_subscription').on('package_moves').columns(['subscription_id', 'id']),
    db.schema.createIndex('package_moves_due').on('package_moves').columns(['state', 'bill_start_date', 'id']),
    db.schema.createIndex('package_moves_source').on('package_moves').column('source_account_package_id'),
    db.schema.createIndex('package_moves_target_ap').on('package_moves').column('target_account_package_id'),
    db.schema.createIndex('package_moves_target').on('package_moves').column('target_package_id'),

    db.schema
      .createTable('contract_fees')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('account_package_id', 'integer', (c) => c.references('account_packages.id').onDelete('set null'))
      .addColumn('contract_id', 'integer', (c) => c.references('contracts.id').onDelete('set null'))
      .addColumn('contract_name', 'text', (c) => c.notNull())
      .addColumn('fee_cents', 'integer', (c) => c.notNull().check(sql`fee_cents >= 0`))
      .addColumn('occasion', 'text', (c) => c.notNull().check(sql`occasion in ('move', 'package ended', 'subscription cancelled')`))
      // Null: charged; otherwise why staff waived it.
      .addColumn('waived_reason', 'text')
      .addColumn('charge_id', 'integer', (c) => c.references('charges.id').onDelete('set null'))
      .addColumn('decided_on', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('contract_fees_subscription').on('contract_fees').columns(['subscription_id', 'id']),
    db.schema.createIndex('contract_fees_account_package').on('contract_fees').column('account_package_id'),
    db.schema.createIndex('contract_fees_contract').on('contract_fees').column('contract_id'),
    db.schema.createIndex('contract_fees_charge').on('contract_fees').column('charge_id'),

    sql`drop index charges_one_per_period`,
    sql`create unique index charges_one_per_period on charges (service_id, coalesce(account_package_id, 0), coalesce(plan_id, 0), period_start) where kind = 'recurring'`,
  ],
};
