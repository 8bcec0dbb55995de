import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** A throttle cap action row's service, listed for the RADIUS server and queued for its router. */
const follow = (row: 'new' | 'old', reason: string) => `
      insert into radius_login_changes (service_id) values (${row}.service_id);
      insert into network_outbox (router_id, service_id, reason)
        select s.router_id, s.id, 'Service ' || s.id || ' ${reason}'
        from services s where s.id = ${row}.service_id and s.router_id is not null and s.status <> 'Archived';`;

/**
 * Data caps applied (the usage cap job): one row per service and period the cap was reached, kept
 * as its history, open until lifted. A disable goes through the service's status (whose own
 * triggers reach the routers and the RADIUS server); a throttle changes only the rate, so these
 * triggers list the service for the RADIUS server (migration 1300) and queue it in the network
 * outbox (migration 0600) in the same transaction, as dunning's throttle does (1200, 1960).
 */
export const migration: Migration = {
  id: '1020-usage-cap-actions',
  steps: (db) => [
    db.schema
      .createTable('usage_cap_actions')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
      // `YYYY-MM`: the calendar month (UTC) whose usage reached the cap.
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('disable', 'throttle')`))
      // `upload/download` as RouterOS writes it, fixed when applied; null for disable.
      .addColumn('throttle_rate', 'text')
      .addColumn('used_bytes', 'integer', (c) => c.notNull())
      .addColumn('cap_bytes', 'integer', (c) => c.notNull())
      // The status a disable replaced, restored when lifted.
      .addColumn('previous_status', 'text')
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addColumn('lifted_at', 'text')
      .addColumn('lift_reason', 'text')
      .addCheckConstraint('usage_cap_actions_rate', sql`(action = 'throttle') = (throttle_rate is not null)`)
      .modifyEnd(sql`strict`),
    // At most one open action per service; read by the job, the router's desired state and RADIUS.
    sql`create unique index usage_cap_actions_open on usage_cap_actions (service_id) where lifted_at is null`,
    db.schema.createIndex('usage_cap_actions_service').on('usage_cap_actions').columns(['service_id', 'id']),
    sql.raw(`create trigger usage_cap_throttle_insert after insert on usage_cap_actions when new.action = 'throttle' and new.lifted_at is null begin${follow('new', 'throttled by its data cap')}
    end`),
    sql.raw(`create trigger usage_cap_throttle_lift after update of lifted_at on usage_cap_actions
      when new.action = 'throttle' and old.lifted_at is null and new.lifted_at is not null begin${follow('new', 'no longer throttled by its data cap')}
    end`),
    sql.raw(`create trigger usage_cap_throttle_delete after delete on usage_cap_actions when old.action = 'throttle' and old.lifted_at is null begin${follow('old', 'no longer throttled by its data cap')}
    end`),
  ],
};
