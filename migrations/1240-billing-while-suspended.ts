import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Billing while suspended: 'keep' bills suspended days like any other (the default, as most ISPs
 * do); 'pause' gives back a recurring charge's suspended days when the suspension ends.
 */
export const migration: Migration = {
  id: '1240-billing-while-suspended',
  steps: (db) => [
    db.schema.alterTable('billing_settings').addColumn('while_suspended', 'text', (c) => c.notNull().defaultTo('keep').check(sql`while_suspended in ('keep', 'pause')`)),
  ],
};
