import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * "Last seen" of a service came from RADIUS accounting only: a session read from a router's API
 * (RouterOS polling) left nothing behind once it ended, so the Services tab said "Never seen" of a
 * customer online an hour ago. Whenever a live session row goes (ended, gone from the router, stale,
 * or its router no longer polled), its last report is kept per service, the latest of them winning.
 * A row going with its deleted service (the cascade) keeps nothing.
 */
export const migration: Migration = {
  id: '2550-service-last-seen-after-session-ends',
  steps: (db) => [
    db.schema
      .createTable('service_last_seen')
      .addColumn('service_id', 'integer', (c) => c.primaryKey().references('services.id').onDelete('cascade'))
      .addColumn('seen_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    sql.raw(`create trigger service_last_seen_live_session_delete after delete on usage_live_sessions when old.service_id is not null and exists (select 1 from services where id = old.service_id) begin
      insert into service_last_seen (service_id, seen_at) values (old.service_id, old.updated_at)
        on conflict (service_id) do update set seen_at = max(seen_at, excluded.seen_at);
    end`),
  ],
};
