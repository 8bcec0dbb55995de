import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Dunning (suspension for non-payment): its settings, where each subscription stands, the
 * exemptions staff grant and the notices sent. The grace days stay in billing_settings, where
 * staff already set them: dunning reads them from there instead of keeping a second copy.
 */
export const migration: Migration = {
  id: '0700-dunning',
  steps: (db) => [
    db.schema
      .createTable('dunning_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      // Off until staff turn it on: an upgraded installation must not start cutting people off by itself.
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0).check(sql`enabled in (0, 1)`))
      .addColumn('minimum_overdue_cents', 'integer', (c) => c.notNull().defaultTo(0).check(sql`minimum_overdue_cents >= 0`))
      // JSON arrays: weekday names ("Sat") and ISO dates.
      .addColumn('no_cutoff_weekdays', 'text', (c) => c.notNull().defaultTo('["Sat","Sun"]'))
      .addColumn('holidays', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('notice_days', 'integer', (c) => c.check(sql`notice_days between 0 and 365`))
      .addColumn('throttle_days', 'integer', (c) => c.check(sql`throttle_days between 0 and 365`))
      .addColumn('throttle_rate', 'text')
      // The last day the daily job ran for: it catches up from the day after.
      .addColumn('last_run_date', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    sql`insert into dunning_settings (id, updated_at) values (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,

    // Only subscriptions dunning has moved have a row; a Suspended subscription without one was suspended by hand.
    db.schema
      .createTable('dunning_states')
      .addColumn('subscription_id', 'integer', (c) => c.primaryKey().references('subscriptions.id').onDelete('cascade'))
      .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('notice', 'throttle', 'suspended')`))
      .addColumn('since_date', 'text', (c) => c.notNull())
      // The status to go back to when the debt is paid (set while suspended).
      .addColumn('previous_status', 'text')
      .addColumn('overdue_cents', 'integer', (c) => c.notNull())
      .addColumn('invoice_numbers', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('dunning_states_stage').on('dunning_states').columns(['stage', 'subscription_id']),

    db.schema
      .createTable('dunning_exemptions')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
      .addColumn('from_date', 'text', (c) => c.notNull())
      .addColumn('until_date', 'text', (c) => c.notNull().check(sql`until_date >= from_date`))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .addColumn('removed_at', 'text')
      .modifyEnd(sql`strict`),
    db.schema.createIndex('dunning_exemptions_subscription').on('dunning_exemptions').columns(['subscription_id', 'until_date']),

    db.schema
      .createTable('dunning_notices')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
      .addColumn('notice_date', 'text', (c) => c.notNull())
      .addColumn('overdue_cents', 'integer', (c) => c.notNull())
      .addColumn('invoice_numbers', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('dunning_notices_subscription').on('dunning_notices').columns(['subscription_id', 'notice_date']),
  ],
};
