import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Usage accounting: the sessions online now with the counters last counted (apart from the
 * session history in radius_sessions), bytes per service per hour and per day, per hotspot user
 * totals (read on every hotspot login), and how long each is kept.
 */
export const migration: Migration = {
  id: '1000-usage-rollups',
  steps: (db) => [
    db.schema
      .createTable('usage_live_sessions')
      // RADIUS: NAS address, Acct-Session-Id and login joined by NUL; RouterOS: router, queue id and name.
      .addColumn('session_key', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('radius', 'routeros')`))
      .addColumn('service_id', 'integer', (c) => c.references('services.id').onDelete('cascade'))
      .addColumn('hotspot_user_id', 'integer', (c) => c.references('hotspot_users.id').onDelete('cascade'))
      .addColumn('router_id', 'integer', (c) => c.references('routers.id').onDelete('cascade'))
      .addColumn('login', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      // The counters as last counted: later reports count only what they add to these.
      .addColumn('session_seconds', 'integer', (c) => c.notNull())
      .addColumn('input_counter', 'integer', (c) => c.notNull())
      .addColumn('output_counter', 'integer', (c) => c.notNull())
      .modifyEnd(sql`strict, without rowid`),
    db.schema.createIndex('usage_live_sessions_service').on('usage_live_sessions').columns(['service_id', 'updated_at']),
    db.schema.createIndex('usage_live_sessions_hotspot_user').on('usage_live_sessions').column('hotspot_user_id'),

    db.schema
      .createTable('usage_hourly')
      .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
      // UTC hour as `YYYY-MM-DDTHH`.
      .addColumn('hour', 'text', (c) => c.notNull())
      .addColumn('download_bytes', 'integer', (c) => c.notNull().check(sql`download_bytes >= 0`))
      .addColumn('upload_bytes', 'integer', (c) => c.notNull().check(sql`upload_bytes >= 0`))
      .addPrimaryKeyConstraint('usage_hourly_pk', ['service_id', 'hour'])
      .modifyEnd(sql`strict, without rowid`),
    db.schema.createIndex('usage_hourly_hour').on('usage_hourly').column('hour'),

    db.schema
      .createTable('usage_daily')
      .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
      // UTC date `YYYY-MM-DD`, as the rest of Towerline counts days.
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('download_bytes', 'integer', (c) => c.notNull().check(sql`download_bytes >= 0`))
      .addColumn('upload_bytes', 'integer', (c) => c.notNull().check(sql`upload_bytes >= 0`))
      .addPrimaryKeyConstraint('usage_daily_pk', ['service_id', 'day'])
      .modifyEnd(sql`strict, without rowid`),
    db.schema.createIndex('usage_daily_day').on('usage_daily').column('day'),

    db.schema
      .createTable('usage_hotspot_totals')
      .addColumn('hotspot_user_id', 'integer', (c) => c.primaryKey().references('hotspot_users.id').onDelete('cascade'))
      .addColumn('session_seconds', 'integer', (c) => c.notNull())
      .addColumn('download_bytes', 'integer', (c) => c.notNull())
      .addColumn('upload_bytes', 'integer', (c) => c.notNull())
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('usage_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('hourly_days', 'integer', (c) => c.notNull().defaultTo(14).check(sql`hourly_days between 1 and 366`))
      .addColumn('daily_days', 'integer', (c) => c.notNull().defaultTo(1100).check(sql`daily_days between 31 and 3660`))
      .addColumn('session_days', 'integer', (c) => c.notNull().defaultTo(180).check(sql`session_days between 1 and 3660`))
      // A live session not heard of for this long lost its Stop (NAS rebooted): it is closed.
      .addColumn('stale_session_hours', 'integer', (c) => c.notNull().defaultTo(48).check(sql`stale_session_hours between 1 and 720`))
      .addColumn('last_cleanup_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    // A plan's monthly data cap and what reaching it does: the service is Disabled, or throttled
    // to the given speed until the next month.
    db.schema
      .createTable('usage_plan_caps')
      .addColumn('plan_id', 'integer', (c) => c.primaryKey().references('plans.id').onDelete('cascade'))
      .addColumn('cap_gb', 'integer', (c) => c.notNull().check(sql`cap_gb between 1 and 1000000`))
      .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('disable', 'throttle')`))
      .addColumn('throttle_download_kbps', 'integer')
      .addColumn('throttle_upload_kbps', 'integer')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint('usage_plan_caps_throttle', sql`action = 'disable' or (throttle_download_kbps > 0 and throttle_upload_kbps > 0)`)
      .modifyEnd(sql`strict`),
    sql`insert into usage_settings (id, updated_at) values (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,

    // Sessions open before this migration keep counting from where the session table stands.
    sql`insert into usage_live_sessions (session_key, source, service_id, hotspot_user_id, router_id, login, started_at, updated_at, session_seconds, input_counter, output_counter)
        select nas_address || char(0) || acct_session_id || char(0) || login, 'radius', service_id, hotspot_user_id, router_id, login, started_at, updated_at, session_seconds, input_bytes, output_bytes
        from radius_sessions where stopped_at is null`,
    sql`insert into usage_hotspot_totals (hotspot_user_id, session_seconds, download_bytes, upload_bytes)
        select hotspot_user_id, sum(session_seconds), sum(output_bytes), sum(input_bytes) from radius_sessions where hotspot_user_id is not null group by hotspot_user_id`,
  ],
};
