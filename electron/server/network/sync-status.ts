import type { z } from 'zod';
import type { driftEntry, outboxEntry, routerNetworkStatus, serviceNetworkState, withheldService } from '../../../shared/api/network-sync';
import { type ServiceStatusName, servingOf } from '../../../shared/domain/serving';
import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';
import { ApiError } from '../../../shared/api/errors';
import type { Db } from '../db/open';
import { notManagedReason } from './reconcile';

type RouterStatus = z.output<typeof routerNetworkStatus>;

/** Each router's sync state; one router when `routerId` is given. */
export async function routerStatuses(db: Db, routerId?: number): Promise<RouterStatus[]> {
  let q = db
    .selectFrom('routers as r')
    .leftJoin('network_router_state as st', 'st.router_id', 'r.id')
    .select((eb) => [
      'r.id',
      'r.name',
      'r.address',
      'r.vendor',
      'r.api_user',
      'st.reachable',
      'st.last_sync_at',
      'st.last_attempt_at',
      'st.next_attempt_at',
      'st.last_error',
      'st.last_created',
      'st.last_updated',
      'st.last_removed',
      'st.last_unchanged',
      eb.selectFrom('network_outbox as o').select(eb.fn.countAll<number>().as('n')).whereRef('o.router_id', '=', 'r.id').as('pending'),
      eb.selectFrom('network_drift as d').select(eb.fn.countAll<number>().as('n')).whereRef('d.router_id', '=', 'r.id').as('drift_found'),
      eb.selectFrom('network_drift as d').select(eb.fn.countAll<number>().as('n')).whereRef('d.router_id', '=', 'r.id').where('d.repaired', '=', 1).as('drift_repaired'),
    ])
    .orderBy('r.name');
  if (routerId !== undefined) q = q.where('r.id', '=', routerId);
  const rows = await q.execute();
  const failures = await db
    .selectFrom('network_failures')
    .selectAll()
    .$if(routerId !== undefined, (w) => w.where('router_id', '=', routerId ?? 0))
    .orderBy('failed_at', 'desc')
    .execute();
  const dynamic = await dynamicByRouter(db, routerId);
  return rows.map((r) => {
    const reason = notManagedReason(r);
    return {
      routerId: r.id,
      routerName: r.name,
      address: r.address,
      managed: reason === null,
      notManagedReason: reason,
      reachable: r.reachable === null || r.reachable === undefined ? null : r.reachable === 1,
      lastSyncAt: r.last_sync_at ?? null,
      lastAttemptAt: r.last_attempt_at ?? null,
      nextAttemptAt: r.next_attempt_at ?? null,
      lastError: r.last_error ?? null,
      pending: Number(r.pending ?? 0),
      failed: failures
        .filter((f) => f.router_id === r.id)
        .map((f) => ({ menu: f.menu, key: f.key, serviceId: f.service_id, action: f.action, message: f.message, failedAt: f.failed_at })),
      driftFound: Number(r.drift_found ?? 0),
      driftRepaired: Number(r.drift_repaired ?? 0),
      lastCounts: { created: r.last_created ?? 0, updated: r.last_updated ?? 0, removed: r.last_removed ?? 0, unchanged: r.last_unchanged ?? 0 },
      dynamic: dynamic.get(r.id) ?? { pending: 0, failed: [] },
    };
  });
}

type DynamicState = RouterStatus['dynamic'];

/** The CoA / Disconnect outbox (migration 2050) per router of the services concerned: one entry per service. */
async function dynamicByRouter(db: Db, routerId?: number): Promise<Map<number, DynamicState>> {
  const rows = await db
    .selectFrom('radius_dynamic_outbox as o')
    .innerJoin('services as s', 's.id', 'o.service_id')
    .select(['o.service_id', 's.router_id', 's.login', 'o.kind', 'o.reason', 'o.failed_at', 'o.last_error', 'o.attempts', 'o.next_attempt_at'])
    .where('s.router_id', 'is not', null)
    .$if(routerId !== undefined, (w) => w.where('s.router_id', '=', routerId ?? 0))
    .orderBy('o.id')
    .execute();
  const out = new Map<number, DynamicState>();
  const seen = new Set<number>();
  for (const r of rows.reverse()) {
    if (r.router_id === null || seen.has(r.service_id)) continue;
    seen.add(r.service_id);
    const state = out.get(r.router_id) ?? { pending: 0, failed: [] };
    out.set(r.router_id, state);
    if (r.failed_at === null) state.pending++;
    else
      state.failed.push({
        serviceId: r.service_id,
        login: r.login,
        kind: r.kind,
        reason: r.reason,
        message: r.last_error ?? 'Not delivered',
        failedAt: r.failed_at,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
      });
  }
  return out;
}

const DYNAMIC_LABEL = { coa: 'CoA', disconnect: 'Disconnect' } as const;

/** A service's queued CoA / Disconnect-Request, newest: failed (with what the NAS answered) or pending. */
async function dynamicStates(db: Db, ids: readonly number[]): Promise<Map<number, { state: 'failed' | 'pending'; message: string }>> {
  const out = new Map<number, { state: 'failed' | 'pending'; message: string }>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('radius_dynamic_outbox').select(['service_id', 'kind', 'reason', 'failed_at', 'last_error']).where('service_id', 'in', ids).orderBy('id').execute();
  for (const r of rows) {
    out.set(
      r.service_id,
      r.failed_at !== null
        ? { state: 'failed', message: `${DYNAMIC_LABEL[r.kind]} not delivered (${r.reason}): ${r.last_error ?? 'no answer'}; retrying` }
        : { state: 'pending', message: `${DYNAMIC_LABEL[r.kind]} queued: ${r.reason}` },
    );
  }
  return out;
}

export async function routerStatus(db: Db, routerId: number): Promise<RouterStatus> {
  const [status] = await routerStatuses(db, routerId);
  if (!status) throw new ApiError('not_found', `Router ${routerId} does not exist.`);
  return status;
}

export async function outboxPage(db: Db, routerId: number, page: number, pageSize: number): Promise<{ rows: z.output<typeof outboxEntry>[]; total: number }> {
  const base = db.selectFrom('network_outbox').where('router_id', '=', routerId);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute();
  return { total: Number(n), rows: rows.map((o) => ({ id: o.id, routerId: o.router_id, serviceId: o.service_id, reason: o.reason, createdAt: o.created_at })) };
}

export async function driftPage(db: Db, routerId: number | undefined, page: number, pageSize: number): Promise<{ rows: z.output<typeof driftEntry>[]; total: number }> {
  const base = db
    .selectFrom('network_drift as d')
    .innerJoin('routers as r', 'r.id', 'd.router_id')
    .$if(routerId !== undefined, (w) => w.where('d.router_id', '=', routerId ?? 0));
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll('d').select('r.name as router_name').orderBy('d.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  return {
    total: Number(n),
    rows: rows.map((d) => ({
      id: d.id,
      routerId: d.router_id,
      routerName: d.router_name,
      menu: d.menu,
      key: d.key,
      serviceId: d.service_id,
      kind: d.kind as 'edited' | 'deleted' | 'duplicate',
      detail: d.detail,
      foundAt: d.found_at,
      repaired: d.repaired === 1,
    })),
  };
}

type State = z.output<typeof serviceNetworkState>['state'];

/** Failed (the router refused it), pending (queued), or in sync; services without a managed router are not on one. */
async function statesOf(db: Db, services: readonly { id: number; router_id: number | null; vendor: string | null; api_user: string | null }[]): Promise<Map<number, { state: State; message: string | null }>> {
  const ids = services.map((s) => s.id);
  const out = new Map<number, { state: State; message: string | null }>();
  if (ids.length === 0) return out;
  const failures = await db.selectFrom('network_failures').select(['service_id', 'message']).where('service_id', 'in', ids).execute();
  const pending = await db.selectFrom('network_outbox').select(['service_id', 'reason', 'router_id']).where('service_id', 'in', ids).orderBy('id').execute();
  const dynamic = await dynamicStates(db, ids);
  for (const s of services) {
    // A live RADIUS session's CoA / Disconnect counts on routers Towerline does not write to as well.
    const live = dynamic.get(s.id);
    if (s.router_id === null || s.vendor === null || notManagedReason({ vendor: s.vendor, api_user: s.api_user })) {
      out.set(s.id, live ?? { state: 'not on a router', message: null });
      continue;
    }
    const failure = failures.find((f) => f.service_id === s.id);
    const queued = pending.filter((p) => p.service_id === s.id && p.router_id === s.router_id).at(-1);
    if (failure) out.set(s.id, { state: 'failed', message: failure.message });
    else if (live?.state === 'failed') out.set(s.id, live);
    else if (queued) out.set(s.id, { state: 'pending', message: queued.reason });
    else if (live) out.set(s.id, live);
    else out.set(s.id, { state: 'in sync', message: null });
  }
  return out;
}

export async function serviceStates(db: Db, subscriptionId: number): Promise<z.output<typeof serviceNetworkState>[]> {
  const rows = await db
    .selectFrom('services as s')
    .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .leftJoin('routers as r', 'r.id', 's.router_id')
    .select(['s.id', 's.status', 's.router_id', 'sub.status as subscription_status', 'r.name as router_name', 'r.vendor', 'r.api_user'])
    .where('s.subscription_id', '=', subscriptionId)
    .orderBy('s.id')
    .execute();
  const states = await statesOf(db, rows);
  return rows.map((r) => {
    const st = states.get(r.id) ?? { state: 'not on a router' as const, message: null };
    return { serviceId: r.id, serving: servingOf(r.status as ServiceStatusName, r.subscription_status as SubscriptionStatus), state: st.state, message: st.message, routerName: r.router_name ?? null };
  });
}

/** Services whose subscription is Suspended or Inactive, or which are Stopped or Disabled, on routers Towerline writes to. */
export async function withheldPage(db: Db, page: number, pageSize: number): Promise<{ rows: z.output<typeof withheldService>[]; total: number }> {
  const base = db
    .selectFrom('services as s')
    .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .innerJoin('routers as r', 'r.id', 's.router_id')
    .where('r.vendor', '=', 'MikroTik RouterOS')
    .where('r.api_user', 'is not', null)
    .where('s.status', 'not in', ['Archived', 'Pending'])
    .where('sub.status', 'not in', ['Cancelled', 'Completed'])
    .where((eb) => eb.or([eb('sub.status', 'in', ['Suspended', 'Inactive']), eb('s.status', 'in', ['Stopped', 'Disabled'])]));
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['s.id', 's.status', 's.login', 's.ipv4_assignment', 's.ipv4_address', 's.router_id', 'sub.id as subscription_id', 'sub.unique_id', 'sub.name as subscription_name', 'sub.status as subscription_status', 'r.name as router_name', 'r.vendor', 'r.api_user'])
    .orderBy('sub.unique_id')
    .orderBy('s.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const states = await statesOf(db, rows);
  return {
    total: Number(n),
    rows: rows.map((r) => ({
      serviceId: r.id,
      subscriptionId: r.subscription_id,
      uniqueId: r.unique_id,
      subscriptionName: r.subscription_name,
      subscriptionStatus: r.subscription_status,
      serviceStatus: r.status,
      serving: servingOf(r.status as ServiceStatusName, r.subscription_status as SubscriptionStatus) === 'suspend' ? 'suspend' : 'block',
      login: r.login,
      address: r.ipv4_assignment === 'permanent' ? r.ipv4_address : null,
      routerName: r.router_name,
      state: states.get(r.id)?.state ?? 'in sync',
    })),
  };
}
