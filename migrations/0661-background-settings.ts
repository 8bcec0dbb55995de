import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Whether the desktop app runs the always-on work itself (RADIUS server, network and FreeRADIUS
 * sync, scheduled changes, backups) for a one-computer ISP, and where its RADIUS server listens.
 * Server mode runs them regardless. One row.
 */
export const migration: Migration = {
  id: '0661-background-settings',
  steps: (db) => [
    db.schema
      .createTable('background_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('run_on_this_computer', 'integer', (c) => c.notNull().defaultTo(0).check(sql`run_on_this_computer in (0, 1)`))
      .addColumn('radius_host', 'text', (c) => c.notNull().defaultTo('127.0.0.1'))
      .addColumn('radius_auth_port', 'integer', (c) => c.notNull().defaultTo(1812).check(sql`radius_auth_port between 1 and 65535`))
      .addColumn('radius_acct_port', 'integer', (c) => c.notNull().defaultTo(1813).check(sql`radius_acct_port between 1 and 65535`))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    sql`insert into background_settings (id, updated_at) values (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
  ],
};
