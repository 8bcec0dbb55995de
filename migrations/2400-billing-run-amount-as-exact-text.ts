import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * A billing run's amount is a total over every subscription it billed: not bounded below 2^53 (nor
 * 2^63, where SQLite's integer addition turns into a float that this STRICT column refuses, failing
 * the run). It is kept as exact integer-cents text, summed in BigInt by the run, and the integer
 * column goes. Runs recorded before keep their amount, which was exact below 2^53.
 */
export const migration: Migration = {
  id: '2400-billing-run-amount-as-exact-text',
  steps: (db) => [
    db.schema.alterTable('billing_runs').addColumn('amount_total', 'text', (c) => c.notNull().defaultTo('0').check(sql`amount_total not in ('', '-') and amount_total not glob '*[^0-9-]*' and amount_total not glob '?*-*'`)),
    sql`update billing_runs set amount_total = cast(amount_cents as text)`,
    db.schema.alterTable('billing_runs').dropColumn('amount_cents'),
  ],
};
