import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Where a router's usage comes from: its RADIUS accounting, a poll of its RouterOS API
 * (/ppp/active and the simple queues' byte counters), or nowhere. Existing routers with a RADIUS
 * secret keep RADIUS accounting; RouterOS routers reached by the API without one are polled; the
 * rest count nothing. The poll's state per router (when it last read the counters, and why it
 * could not) and how often it polls (a usage setting, five minutes by default).
 */
export const migration: Migration = {
  id: '2250-router-usage-source',
  steps: (db) => [
    db.schema
      .alterTable('routers')
      .addColumn('usage_source', 'text', (c) => c.notNull().defaultTo('radius').check(sql`usage_source in ('radius', 'routeros', 'none')`)),
    sql`update routers set usage_source = case
          when radius_secret_sealed is not null then 'radius'
          when vendor = 'MikroTik RouterOS' and api_user is not null and api_user <> '' then 'routeros'
          else 'none' end`,
    db.schema
      .createTable('routeros_usage_state')
      .addColumn('router_id', 'integer', (c) => c.primaryKey().references('routers.id').onDelete('cascade'))
      // Every attempt, and the last one that read the counters: counters are compared with those
      // stored then (usage_live_sessions), so a poll after a long gap starts afresh.
      .addColumn('last_attempt_at', 'text')
      .addColumn('last_success_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('sessions', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('queues', 'integer', (c) => c.notNull().defaultTo(0))
      .modifyEnd(sql`strict`),
    db.schema
      .alterTable('usage_settings')
      .addColumn('routeros_poll_minutes', 'integer', (c) => c.notNull().defaultTo(5).check(sql`routeros_poll_minutes between 1 and 1440`)),
  ],
};
