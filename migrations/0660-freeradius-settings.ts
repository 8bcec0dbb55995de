import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Where and how Towerline provisions a FreeRADIUS SQL database (PostgreSQL), and how its last
 * sync went. One row. The password is sealed by the SecretBox like router secrets.
 */
export const migration: Migration = {
  id: '0660-freeradius-settings',
  steps: (db) => [
    db.schema
      .createTable('freeradius_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0).check(sql`enabled in (0, 1)`))
      .addColumn('host', 'text')
      .addColumn('port', 'integer', (c) => c.notNull().defaultTo(5432).check(sql`port between 1 and 65535`))
      .addColumn('database', 'text', (c) => c.notNull().defaultTo('radius'))
      .addColumn('user', 'text')
      .addColumn('password_sealed', 'text')
      .addColumn('ssl', 'integer', (c) => c.notNull().defaultTo(0).check(sql`ssl in (0, 1)`))
      // What a subscriber who is not to be served gets: a reject, or an accept into the walled garden.
      .addColumn('suspended_action', 'text', (c) => c.notNull().defaultTo('reject').check(sql`suspended_action in ('reject', 'address-list')`))
      .addColumn('interval_minutes', 'integer', (c) => c.notNull().defaultTo(5).check(sql`interval_minutes between 1 and 1440`))
      .addColumn('last_attempt_at', 'text')
      .addColumn('last_success_at', 'text')
      .addColumn('last_error', 'text')
      // JSON of the last sync's counts.
      .addColumn('last_result', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    sql`insert into freeradius_settings (id, updated_at) values (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
  ],
};
