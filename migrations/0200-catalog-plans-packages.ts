import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** What is sold: tax classes, plans (tariffs), packages with their products, contracts and profile questions. */
export const migration: Migration = {
  id: '0200-catalog-plans-packages',
  steps: (db) => [
    db.schema
      .createTable('tax_classes')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      // Percent as exact decimal text ("7.25"): see billing/rules/percent.ts.
      .addColumn('rate_percent', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('plans')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('Internet', 'Voice', 'Hosting', 'Custom')`))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('price_cents', 'integer', (c) => c.notNull().check(sql`price_cents >= 0`))
      .addColumn('pay_period_months', 'integer', (c) => c.notNull().defaultTo(1).check(sql`pay_period_months in (1, 3, 6, 12)`))
      .addColumn('tax_class_id', 'integer', (c) => c.references('tax_classes.id').onDelete('restrict'))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
      // Internet plans only; null for the other kinds.
      .addColumn('download_kbps', 'integer', (c) => c.check(sql`download_kbps > 0`))
      .addColumn('upload_kbps', 'integer', (c) => c.check(sql`upload_kbps > 0`))
      .addColumn('burst_download_kbps', 'integer')
      .addColumn('burst_upload_kbps', 'integer')
      .addColumn('burst_threshold_percent', 'integer', (c) => c.check(sql`burst_threshold_percent between 1 and 100`))
      .addColumn('burst_time_seconds', 'integer', (c) => c.check(sql`burst_time_seconds > 0`))
      .addColumn('priority', 'integer', (c) => c.check(sql`priority between 1 and 8`))
      .addColumn('contention_ratio', 'integer', (c) => c.check(sql`contention_ratio >= 1`))
      .addColumn('qos_mode', 'text')
      .addColumn('access_technology', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('plans_kind_name').on('plans').columns(['kind', 'name']),
    db.schema.createIndex('plans_tax_class').on('plans').column('tax_class_id'),

    db.schema
      .createTable('packages')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('description', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('package_products')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('package_id', 'integer', (c) => c.notNull().references('packages.id').onDelete('cascade'))
      // Null for a product that is not a plan (an installation fee, a prepaid block).
      .addColumn('plan_id', 'integer', (c) => c.references('plans.id').onDelete('restrict'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('rating_method', 'text', (c) => c.notNull().check(sql`rating_method in ('recurring', 'one-time', 'prepaid-usage')`))
      .addColumn('price_cents', 'integer', (c) => c.notNull().check(sql`price_cents >= 0`))
      .addColumn('min_quantity', 'integer', (c) => c.check(sql`min_quantity >= 1`))
      .addColumn('unit', 'text')
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .modifyEnd(sql`strict`),
    db.schema.createIndex('package_products_package').on('package_products').columns(['package_id', 'position']),
    db.schema.createIndex('package_products_plan').on('package_products').column('plan_id'),

    db.schema
      .createTable('contracts')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('package_id', 'integer', (c) => c.notNull().references('packages.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('term_months', 'integer', (c) => c.notNull().check(sql`term_months >= 1`))
      .addColumn('cancellation_fee_cents', 'integer', (c) => c.notNull().defaultTo(0).check(sql`cancellation_fee_cents >= 0`))
      .modifyEnd(sql`strict`),
    db.schema.createIndex('contracts_package').on('contracts').column('package_id'),

    db.schema
      .createTable('profile_questions')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('package_id', 'integer', (c) => c.notNull().references('packages.id').onDelete('cascade'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('text', 'number', 'choice')`))
      // JSON array of the allowed answers, for kind = 'choice'.
      .addColumn('choices', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0).check(sql`required in (0, 1)`))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .modifyEnd(sql`strict`),
    db.schema.createIndex('profile_questions_package').on('profile_questions').columns(['package_id', 'position']),
  ],
};
