import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** Columns of `services` whose change alters what its router must hold. */
const SERVICE_NETWORK_COLUMNS = 'status, router_id, login, password, ipv4_assignment, ipv4_address, routed_network, mac_addresses, plan_id, subscription_id';
const SERVICE_CHANGED = [
  'status',
  'router_id',
  'login',
  'password',
  'ipv4_assignment',
  'ipv4_address',
  'routed_network',
  'mac_addresses',
  'plan_id',
  'subscription_id',
]
  .map((c) => `old.${c} is not new.${c}`)
  .join(' or ');

const PLAN_CHANGED = ['download_kbps', 'upload_kbps', 'burst_download_kbps', 'burst_upload_kbps', 'burst_threshold_percent', 'burst_time_seconds', 'priority', 'qos_mode']
  .map((c) => `old.${c} is not new.${c}`)
  .join(' or ');

const HOTSPOT_ROUTERS = (subscription: string) =>
  `select distinct router_id from services where subscription_id = ${subscription} and router_id is not null and status <> 'Archived'`;

/**
 * Network sync: routers may speak the API over TLS; the transactional outbox of changes each
 * router must receive; what Towerline last wrote to each router object (so a difference it did
 * not make is recognised as drift); the drift log; each router's sync state; and objects a
 * router refused, with its message.
 *
 * The outbox is filled by triggers, so every write that changes what a router must hold (service
 * create/edit/status/plan/router moves, scheduled changes, subscription status and password,
 * plan speeds, hotspot users, router connection edits) queues its sync in the SAME transaction,
 * whichever procedure or job makes it: nothing the network must do can be forgotten by a code path.
 */
export const migration: Migration = {
  id: '0600-network-sync-outbox',
  steps: (db) => [
    db.schema.alterTable('routers').addColumn('api_tls', 'integer', (c) => c.notNull().defaultTo(0).check(sql`api_tls in (0, 1)`)),

    db.schema
      .createTable('network_outbox')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('router_id', 'integer', (c) => c.notNull().references('routers.id').onDelete('cascade'))
      // The service the change concerns, when it concerns one (its network state shows "pending").
      .addColumn('service_id', 'integer')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`))
      .modifyEnd(sql`strict`),
    db.schema.createIndex('network_outbox_router').on('network_outbox').columns(['router_id', 'id']),
    db.schema.createIndex('network_outbox_service').on('network_outbox').columns(['service_id']),

    db.schema
      .createTable('network_router_state')
      .addColumn('router_id', 'integer', (c) => c.primaryKey().references('routers.id').onDelete('cascade'))
      .addColumn('reachable', 'integer', (c) => c.check(sql`reachable in (0, 1)`))
      .addColumn('last_attempt_at', 'text')
      .addColumn('last_sync_at', 'text')
      .addColumn('last_error', 'text')
      // Consecutive failed attempts; drives the backoff while the router is unreachable.
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('last_created', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_updated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_removed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_unchanged', 'integer', (c) => c.notNull().defaultTo(0))
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('network_known_objects')
      .addColumn('router_id', 'integer', (c) => c.notNull().references('routers.id').onDelete('cascade'))
      .addColumn('menu', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      // JSON of the attributes as written, normalised.
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('network_known_objects_pk', ['router_id', 'menu', 'key'])
      .modifyEnd(sql`strict, without rowid`),

    db.schema
      .createTable('network_drift')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('router_id', 'integer', (c) => c.notNull().references('routers.id').onDelete('cascade'))
      .addColumn('menu', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('service_id', 'integer')
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('edited', 'deleted', 'duplicate')`))
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('found_at', 'text', (c) => c.notNull())
      .addColumn('repaired', 'integer', (c) => c.notNull().check(sql`repaired in (0, 1)`))
      .modifyEnd(sql`strict`),
    db.schema.createIndex('network_drift_router').on('network_drift').columns(['router_id', 'id']),

    db.schema
      .createTable('network_failures')
      .addColumn('router_id', 'integer', (c) => c.notNull().references('routers.id').onDelete('cascade'))
      .addColumn('menu', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('service_id', 'integer')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('failed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('network_failures_pk', ['router_id', 'menu', 'key'])
      .modifyEnd(sql`strict`),
    db.schema.createIndex('network_failures_service').on('network_failures').column('service_id'),

    sql.raw(`create trigger network_outbox_service_insert after insert on services when new.router_id is not null begin
      insert into network_outbox (router_id, service_id, reason) values (new.router_id, new.id, 'Service ' || new.id || ' added');
    end`),
    sql.raw(`create trigger network_outbox_service_update after update of ${SERVICE_NETWORK_COLUMNS} on services when ${SERVICE_CHANGED} begin
      insert into network_outbox (router_id, service_id, reason)
        select old.router_id, old.id, 'Service ' || old.id || ' moved to another router' where old.router_id is not null and old.router_id is not new.router_id;
      insert into network_outbox (router_id, service_id, reason)
        select new.router_id, new.id, case when old.status is not new.status then 'Service ' || new.id || ' ' || old.status || ' → ' || new.status else 'Service ' || new.id || ' changed' end
        where new.router_id is not null;
    end`),
    sql.raw(`create trigger network_outbox_service_delete after delete on services when old.router_id is not null begin
      insert into network_outbox (router_id, service_id, reason) values (old.router_id, null, 'Service ' || old.id || ' deleted');
    end`),
    sql.raw(`create trigger network_outbox_subscription_update after update of status, service_password on subscriptions
      when old.status is not new.status or old.service_password is not new.service_password begin
      insert into network_outbox (router_id, service_id, reason)
        select router_id, id, case when old.status is not new.status then 'Subscription ' || new.unique_id || ' ' || old.status || ' → ' || new.status else 'Subscription ' || new.unique_id || ' password changed' end
        from services where subscription_id = new.id and router_id is not null and status <> 'Archived';
    end`),
    sql.raw(`create trigger network_outbox_plan_update after update on plans when ${PLAN_CHANGED} begin
      insert into network_outbox (router_id, service_id, reason)
        select router_id, id, 'Plan ' || new.name || ' speeds changed' from services where plan_id = new.id and router_id is not null and status <> 'Archived';
    end`),
    sql.raw(`create trigger network_outbox_hotspot_insert after insert on hotspot_users begin
      insert into network_outbox (router_id, reason) select router_id, 'Hotspot user ' || new.login || ' added' from (${HOTSPOT_ROUTERS('new.subscription_id')});
    end`),
    sql.raw(`create trigger network_outbox_hotspot_update after update of subscription_id, hotspot_plan_id, login, password, mac_binding, status on hotspot_users
      when old.subscription_id is not new.subscription_id or old.hotspot_plan_id is not new.hotspot_plan_id or old.login is not new.login
        or old.password is not new.password or old.mac_binding is not new.mac_binding or old.status is not new.status begin
      insert into network_outbox (router_id, reason) select router_id, 'Hotspot user ' || new.login || ' changed' from (${HOTSPOT_ROUTERS('new.subscription_id')});
    end`),
    sql.raw(`create trigger network_outbox_hotspot_delete after delete on hotspot_users begin
      insert into network_outbox (router_id, reason) select router_id, 'Hotspot user ' || old.login || ' deleted' from (${HOTSPOT_ROUTERS('old.subscription_id')});
    end`),
    sql.raw(`create trigger network_outbox_hotspot_plan_update after update of time_limit_minutes, data_limit_mb on hotspot_plans begin
      insert into network_outbox (router_id, reason)
        select distinct s.router_id, 'Hotspot plan ' || new.name || ' limits changed' from hotspot_users h join services s on s.subscription_id = h.subscription_id
        where h.hotspot_plan_id = new.id and s.router_id is not null and s.status <> 'Archived';
    end`),
    sql.raw(`create trigger network_outbox_router_update after update of address, api_port, api_user, api_password_sealed, api_tls on routers begin
      insert into network_outbox (router_id, reason) values (new.id, 'Router connection settings changed');
    end`),
  ],
};
