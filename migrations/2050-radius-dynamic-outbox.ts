import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** Services (rows of `services as s`) that have a live RADIUS session: only those get a CoA or Disconnect. */
const LIVE = `exists (select 1 from radius_sessions r where r.service_id = s.id and r.stopped_at is null)`;

/** Queues `kind` for the services `from` selects (aliased `s`), each with a live session (an Archived one's too: it is ended). */
const queue = (kind: 'coa' | 'disconnect', reason: string, from: string) => `
      insert into radius_dynamic_outbox (service_id, kind, reason)
        select s.id, '${kind}', ${reason} from ${from} and ${LIVE};`;

const PLAN_SPEEDS = ['download_kbps', 'upload_kbps', 'burst_download_kbps', 'burst_upload_kbps', 'burst_threshold_percent', 'burst_time_seconds', 'priority'];
/** A change of these ends the session: the subscriber must log in again to get the new address or answer. */
const RECONNECT = ['status', 'login', 'subscription_id', 'router_id', 'ipv4_assignment', 'ipv4_address', 'pool_network_id'];
const changed = (columns: string[]) => columns.map((c) => `old.${c} is not new.${c}`).join(' or ');

/**
 * Dynamic authorization (RFC 5176) for live RADIUS sessions, as a transactional outbox: when a
 * service's speed (plan change, plan speeds, dunning throttle, data-cap throttle) or its status
 * (service or subscription: suspend, reactivate, disable) changes and it has a live session,
 * a trigger queues a CoA-Request (new Mikrotik-Rate-Limit) or a Disconnect-Request (it logs in
 * again under the new answer) in the same transaction as the change; a worker delivers them with
 * retries and backoff, across restarts. `radius_dynamic_log` keeps what each delivery got (ACK,
 * NAK, timeout) and what the RouterOS API fallback did. A router may listen for CoA on a port of
 * its own (`routers.coa_port`; null: the RADIUS settings' port, 3799 by default).
 */
export const migration: Migration = {
  id: '2050-radius-dynamic-outbox',
  steps: (db) => [
    db.schema.alterTable('routers').addColumn('coa_port', 'integer', (c) => c.check(sql`coa_port between 1 and 65535`)),

    db.schema
      .createTable('radius_dynamic_outbox')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('coa', 'disconnect')`))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`))
      // Deliveries tried that did not change or end every session; drives the backoff.
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      // Set by the first delivery that failed (shown as failed, with last_error), still retried.
      .addColumn('failed_at', 'text')
      .addColumn('last_error', 'text')
      .modifyEnd(sql`strict`),
    db.schema.createIndex('radius_dynamic_outbox_service').on('radius_dynamic_outbox').columns(['service_id', 'id']),

    db.schema
      .createTable('radius_dynamic_log')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('service_id', 'integer', (c) => c.references('services.id').onDelete('set null'))
      .addColumn('login', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('coa', 'disconnect')`))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('nas_address', 'text')
      // ack | nak | timeout | error per session; 'no-session' when the session had ended meanwhile.
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      // Null: no fallback needed; else what removing the session through the RouterOS API did.
      .addColumn('fallback', 'text')
      .addColumn('done', 'integer', (c) => c.notNull().check(sql`done in (0, 1)`))
      .addColumn('at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('radius_dynamic_log_service').on('radius_dynamic_log').columns(['service_id', 'id']),
    db.schema.createIndex('radius_dynamic_log_at').on('radius_dynamic_log').column('at'),

    sql.raw(`create trigger radius_dynamic_service_update after update of plan_id, ${RECONNECT.join(', ')} on services
      when ${changed(['plan_id', ...RECONNECT])} begin${queue(
        'disconnect',
        `case when old.status is not new.status then 'Service ' || new.id || ' ' || old.status || ' → ' || new.status else 'Service ' || new.id || ' address or login changed' end`,
        `services s where s.id = new.id and (${changed(RECONNECT)})`,
      )}${queue('coa', `'Service ' || new.id || ' plan changed'`, `services s where s.id = new.id and not (${changed(RECONNECT)}) and old.plan_id is not new.plan_id`)}
    end`),
    sql.raw(`create trigger radius_dynamic_subscription_status after update of status on subscriptions when old.status is not new.status begin${queue(
      'disconnect',
      `'Subscription ' || new.unique_id || ' ' || old.status || ' → ' || new.status`,
      `services s where s.subscription_id = new.id`,
    )}
    end`),
    sql.raw(`create trigger radius_dynamic_plan_speeds after update on plans when ${changed(PLAN_SPEEDS)} begin${queue('coa', `'Plan ' || new.name || ' speeds changed'`, `services s where s.plan_id = new.id`)}
    end`),
    sql.raw(`create trigger radius_dynamic_dunning_insert after insert on dunning_states when new.stage = 'throttle' begin${queue(
      'coa',
      `'Throttled for non-payment'`,
      `services s where s.subscription_id = new.subscription_id`,
    )}
    end`),
    sql.raw(`create trigger radius_dynamic_dunning_update after update of stage on dunning_states when (old.stage = 'throttle') <> (new.stage = 'throttle') begin${queue(
      'coa',
      `case when new.stage = 'throttle' then 'Throttled for non-payment' else 'No longer throttled for non-payment' end`,
      `services s where s.subscription_id = new.subscription_id`,
    )}
    end`),
    sql.raw(`create trigger radius_dynamic_dunning_delete after delete on dunning_states when old.stage = 'throttle' begin${queue(
      'coa',
      `'No longer throttled for non-payment'`,
      `services s where s.subscription_id = old.subscription_id`,
    )}
    end`),
    sql.raw(`create trigger radius_dynamic_throttle_rate after update of throttle_rate on dunning_settings when old.throttle_rate is not new.throttle_rate begin${queue(
      'coa',
      `'Dunning throttle rate changed'`,
      `dunning_states d join services s on s.subscription_id = d.subscription_id where d.stage = 'throttle'`,
    )}
    end`),
    sql.raw(`create trigger radius_dynamic_cap_insert after insert on usage_cap_actions when new.action = 'throttle' and new.lifted_at is null begin${queue(
      'coa',
      `'Throttled by its data cap'`,
      `services s where s.id = new.service_id`,
    )}
    end`),
    sql.raw(`create trigger radius_dynamic_cap_lift after update of lifted_at on usage_cap_actions
      when new.action = 'throttle' and old.lifted_at is null and new.lifted_at is not null begin${queue('coa', `'No longer throttled by its data cap'`, `services s where s.id = new.service_id`)}
    end`),
    sql.raw(`create trigger radius_dynamic_cap_delete after delete on usage_cap_actions when old.action = 'throttle' and old.lifted_at is null begin${queue(
      'coa',
      `'No longer throttled by its data cap'`,
      `services s where s.id = old.service_id`,
    )}
    end`),
  ],
};
