import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * The built-in RADIUS server: its settings (one row), its last reported state, and the accounting sessions NAS clients report
 * (Start, Interim-Update, Stop), one row per (NAS, Acct-Session-Id, login) so a retransmitted or
 * reordered packet updates the same row instead of counting twice.
 */
export const migration: Migration = {
  id: '0640-radius-settings-and-sessions',
  steps: (db) => [
    db.schema
      .createTable('radius_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      // What a Suspended subscriber gets: an Access-Reject, or an Accept into the walled garden.
      .addColumn('suspended_answer', 'text', (c) => c.notNull().defaultTo('address-list').check(sql`suspended_answer in ('reject', 'address-list')`))
      // Blast-RADIUS (CVE-2024-3596): Access-Requests without a Message-Authenticator are dropped.
      .addColumn('require_message_authenticator', 'integer', (c) => c.notNull().defaultTo(1).check(sql`require_message_authenticator in (0, 1)`))
      .addColumn('coa_port', 'integer', (c) => c.notNull().defaultTo(3799).check(sql`coa_port between 1 and 65535`))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    sql`insert into radius_settings (id, updated_at) values (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,

    // What the running server last reported (it may run in another process: server mode), so any
    // back end on the datastore can show it; heartbeat_at tells a stopped or dead server apart.
    db.schema
      .createTable('radius_server_state')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('listening', 'integer', (c) => c.notNull().check(sql`listening in (0, 1)`))
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('auth_port', 'integer', (c) => c.notNull())
      .addColumn('acct_port', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('heartbeat_at', 'text', (c) => c.notNull())
      .addColumn('counters', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('radius_sessions')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      // The NAS as it sent the packets (its source address); the router, when it is one we know.
      .addColumn('nas_address', 'text', (c) => c.notNull())
      .addColumn('router_id', 'integer', (c) => c.references('routers.id').onDelete('set null'))
      .addColumn('acct_session_id', 'text', (c) => c.notNull())
      .addColumn('login', 'text', (c) => c.notNull())
      .addColumn('service_id', 'integer', (c) => c.references('services.id').onDelete('set null'))
      .addColumn('hotspot_user_id', 'integer', (c) => c.references('hotspot_users.id').onDelete('set null'))
      .addColumn('framed_ip', 'text')
      .addColumn('calling_station_id', 'text')
      .addColumn('nas_port_id', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('stopped_at', 'text')
      .addColumn('session_seconds', 'integer', (c) => c.notNull().defaultTo(0))
      // Full 64-bit totals (Gigawords * 2^32 + Octets) as the NAS reports them: input is what the
      // NAS received from the subscriber (upload), output what it sent (download).
      .addColumn('input_bytes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('output_bytes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('terminate_cause', 'text')
      .addUniqueConstraint('radius_sessions_key', ['nas_address', 'acct_session_id', 'login'])
      .modifyEnd(sql`strict`),
    db.schema.createIndex('radius_sessions_online').on('radius_sessions').columns(['started_at', 'id']).where(sql.ref('stopped_at'), 'is', null),
    db.schema.createIndex('radius_sessions_login').on('radius_sessions').columns(['login', 'started_at']),
    db.schema.createIndex('radius_sessions_service').on('radius_sessions').columns(['service_id', 'started_at']),
    db.schema.createIndex('radius_sessions_hotspot_user').on('radius_sessions').columns(['hotspot_user_id', 'started_at']),
    db.schema.createIndex('radius_sessions_router').on('radius_sessions').column('router_id'),
  ],
};
