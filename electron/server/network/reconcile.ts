import type { Db } from '../db/open';
import type { SecretBox } from '../platform/secrets';
import { readDesiredInput } from './desired-reads';
import { MENUS, type Menu, desiredState } from './desired-state';
import { type Operation, type RouterMenus, knownKey, planSync } from './diff';
import { type Attributes, type RouterOsConnectOptions, type RouterOsConnection, RouterOsError } from './routeros/types';

/**
 * One sync of one router: read the datastore's desired state and the router's menus, apply the
 * least change (diff.ts), drop sessions whose serving changed, and record what happened: the
 * objects now known to be Towerline's, drift found and repaired, objects the router refused (with
 * its message), the router's state, and the outbox rows this sync delivered.
 */

export type Connect = (options: RouterOsConnectOptions) => Promise<RouterOsConnection>;

export interface SyncDeps {
  secrets: SecretBox;
  connect: Connect;
  now?: () => Date;
  /** Per command and connect, ms. */
  timeoutMs?: number;
  /** Backoff while unreachable: first retry after baseMs, doubling up to maxMs. */
  backoff?: { baseMs: number; maxMs: number };
  /** Commands in flight at once on the connection. */
  concurrency?: number;
}

export interface SyncResult {
  created: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** Outbox rows still waiting for this router. */
  pending: number;
  /** Null, or why the sync could not finish. */
  error: string | null;
  drift: number;
  failed: number;
  sessionsDropped: number;
}

export const DEFAULT_BACKOFF = { baseMs: 5_000, maxMs: 300_000 };

/** Writes to one router never overlap: each sync waits for the one before it. */
const queues = new WeakMap<Db, Map<number, Promise<unknown>>>();

export function serialized<T>(db: Db, routerId: number, work: () => Promise<T>): Promise<T> {
  let perDb = queues.get(db);
  if (!perDb) queues.set(db, (perDb = new Map()));
  const before = perDb.get(routerId) ?? Promise.resolve();
  const run = before.then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  perDb.set(routerId, settled);
  void settled.then(() => {
    if (perDb.get(routerId) === settled) perDb.delete(routerId);
  });
  return run;
}

export function backoffMs(attempts: number, backoff = DEFAULT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
}

/** Why a router cannot be synced through the API, or null when it can. */
export function notManagedReason(r: { vendor: string; api_user: string | null }): string | null {
  if (r.vendor !== 'MikroTik RouterOS') return 'Not a RouterOS router: it is provisioned through RADIUS only.';
  if (!r.api_user) return 'No API user is set for this router.';
  return null;
}

/** How to reach a router's API: its address, port (8728, or 8729 over TLS, unless set) and login. */
export function routerConnectOptions(
  router: { address: string; api_port: number | null; api_user: string | null; api_password_sealed: string | null; api_tls: number },
  secrets: SecretBox,
  timeoutMs: number,
): RouterOsConnectOptions {
  const tls = router.api_tls === 1;
  return {
    host: router.address,
    port: router.api_port ?? (tls ? 8729 : 8728),
    user: router.api_user ?? '',
    password: router.api_password_sealed === null ? '' : secrets.decrypt(router.api_password_sealed),
    tls: tls ? { rejectUnauthorized: false } : false,
    timeoutMs,
  };
}

async function pendingCount(db: Db, routerId: number): Promise<number> {
  const { n } = await db.selectFrom('network_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('router_id', '=', routerId).executeTakeFirstOrThrow();
  return Number(n);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const isConnectionLoss = (error: unknown) => !(error instanceof RouterOsError) || error.kind !== 'trap';

/** Runs `work` over items with at most `limit` in flight; stops starting new ones once `stop()` says so. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !stop()) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

export function syncRouter(db: Db, routerId: number, deps: SyncDeps): Promise<SyncResult> {
  return serialized(db, routerId, () => syncNow(db, routerId, deps));
}

async function syncNow(db: Db, routerId: number, deps: SyncDeps): Promise<SyncResult> {
  const now = deps.now ?? (() => new Date());
  const result: SyncResult = { created: 0, updated: 0, removed: 0, unchanged: 0, pending: 0, error: null, drift: 0, failed: 0, sessionsDropped: 0 };
  const router = await db.selectFrom('routers').select(['id', 'address', 'vendor', 'api_port', 'api_user', 'api_password_sealed', 'api_tls']).where('id', '=', routerId).executeTakeFirst();
  if (!router) return { ...result, error: `Router ${routerId} does not exist.` };
  const refusal = notManagedReason(router);
  if (refusal) {
    // Nothing can be delivered by the API: the outbox has nothing to wait for.
    await db.deleteFrom('network_outbox').where('router_id', '=', routerId).execute();
    return { ...result, error: refusal };
  }

  // Changes queued after this point stay pending for the next sync.
  const upTo = (await db.selectFrom('network_outbox').select((eb) => eb.fn.max('id').as('m')).where('router_id', '=', routerId).executeTakeFirst())?.m ?? 0;
  const desired = desiredState(await readDesiredInput(db, routerId));
  const knownRows = await db.selectFrom('network_known_objects').select(['menu', 'key', 'attributes']).where('router_id', '=', routerId).execute();
  const known = new Map(knownRows.map((k) => [knownKey(k.menu as Menu, k.key), JSON.parse(k.attributes) as Record<string, string>]));

  let connection: RouterOsConnection | null = null;
  const unreachable = async (error: unknown) => {
    const message = messageOf(error);
    const state = await db.selectFrom('network_router_state').select('attempts').where('router_id', '=', routerId).executeTakeFirst();
    const attempts = (state?.attempts ?? 0) + 1;
    const at = now();
    const values = {
      reachable: 0,
      last_attempt_at: at.toISOString(),
      last_error: message,
      attempts,
      next_attempt_at: new Date(at.getTime() + backoffMs(attempts, deps.backoff)).toISOString(),
    };
    await db.insertInto('network_router_state').values({ router_id: routerId, ...values }).onConflict((oc) => oc.column('router_id').doUpdateSet(values)).execute();
    return { ...result, pending: await pendingCount(db, routerId), error: message };
  };

  try {
    connection = await deps.connect(routerConnectOptions(router, deps.secrets, deps.timeoutMs ?? 10_000));
  } catch (error) {
    return unreachable(error);
  }

  try {
    const menus = {} as Record<Menu, readonly Attributes[]>;
    const unavailable = new Map<Menu, string>();
    const conn = connection;
    await Promise.all(
      MENUS.map(async (menu) => {
        try {
          menus[menu] = await conn.command(`${menu}/print`);
        } catch (error) {
          if (isConnectionLoss(error)) throw error;
          // A menu the router lacks (no hotspot package): its objects fail, the rest goes on.
          unavailable.set(menu, messageOf(error));
          menus[menu] = [];
        }
      }),
    );
    const plan = planSync(
      desired.filter((d) => !unavailable.has(d.menu)),
      menus as RouterMenus,
      known,
    );
    const failures: { menu: Menu; key: string; serviceId: number | null; action: string; message: string }[] = [];
    for (const d of desired) if (unavailable.has(d.menu)) failures.push({ menu: d.menu, key: d.key, serviceId: d.serviceId, action: 'add', message: unavailable.get(d.menu) ?? '' });
    const succeeded = new Set<string>();
    let lost: unknown = null;

    const apply = async (op: Operation) => {
      try {
        if (op.action === 'add') await conn.command(`${op.menu}/add`, op.attributes);
        else if (op.action === 'set') {
          // An emptied property is unset: RouterOS refuses an empty value for addresses and durations.
          const values = Object.entries(op.attributes);
          const set = Object.fromEntries(values.filter(([, v]) => v !== ''));
          if (Object.keys(set).length) await conn.command(`${op.menu}/set`, { '.id': op.id, ...set });
          for (const [name] of values.filter(([, v]) => v === '')) await conn.command(`${op.menu}/unset`, { '.id': op.id, 'value-name': name });
        }
        else await conn.command(`${op.menu}/remove`, { '.id': op.id });
        succeeded.add(knownKey(op.menu, op.key));
        if (op.action === 'add') result.created++;
        else if (op.action === 'set') result.updated++;
        else result.removed++;
      } catch (error) {
        if (isConnectionLoss(error)) lost ??= error;
        else failures.push({ menu: op.menu, key: op.key, serviceId: op.serviceId, action: op.action, message: messageOf(error) });
      }
    };
    // Phases in order: adds and edits menu by menu (profiles before the secrets that use them), then removals.
    const phases: Operation[][] = [];
    for (const menu of MENUS) phases.push(plan.operations.filter((o) => o.action !== 'remove' && o.menu === menu));
    phases.push(plan.operations.filter((o) => o.action === 'remove'));
    for (const phase of phases) {
      if (lost) break;
      await pool(phase, deps.concurrency ?? 32, apply, () => lost !== null);
    }

    if (!lost && plan.dropSessions.length) {
      try {
        const active = await conn.command('/ppp/active/print');
        const drop = new Set(plan.dropSessions);
        for (const session of active) {
          if (!drop.has(session.name ?? '')) continue;
          try {
            await conn.command('/ppp/active/remove', { '.id': session['.id'] ?? '' });
            result.sessionsDropped++;
          } catch (error) {
            // Already gone is fine; a lost connection is not.
            if (isConnectionLoss(error)) throw error;
          }
        }
      } catch (error) {
        lost = error;
      }
    }

    const at = now().toISOString();
    const failedKeys = new Set(failures.map((f) => knownKey(f.menu, f.key)));
    result.unchanged = plan.unchanged;
    result.failed = failures.length;
    result.drift = plan.drift.length;
    const opByKey = new Map(plan.operations.map((o) => [knownKey(o.menu, o.key), o]));
    /** Whether the router now holds what Towerline wants for this key. */
    const settled = (k: string) => !failedKeys.has(k) && (opByKey.has(k) ? succeeded.has(k) : true);
    await db.transaction().execute(async (trx) => {
      // What Towerline knows it wrote: changes only where an operation succeeded or none was needed.
      for (const k of new Set([...known.keys(), ...plan.known.keys()])) {
        if (!settled(k)) continue;
        const [menu, key] = [k.slice(0, k.indexOf('|')), k.slice(k.indexOf('|') + 1)];
        const next = opByKey.get(k)?.action === 'remove' ? undefined : plan.known.get(k);
        const before = known.get(k);
        if (next && JSON.stringify(next) !== JSON.stringify(before)) {
          const attributes = JSON.stringify(next);
          await trx
            .insertInto('network_known_objects')
            .values({ router_id: routerId, menu, key, attributes })
            .onConflict((oc) => oc.columns(['router_id', 'menu', 'key']).doUpdateSet({ attributes }))
            .execute();
        } else if (!next && before) {
          await trx.deleteFrom('network_known_objects').where('router_id', '=', routerId).where('menu', '=', menu).where('key', '=', key).execute();
        }
      }
      for (const d of plan.drift) {
        await trx
          .insertInto('network_drift')
          .values({ router_id: routerId, menu: d.menu, key: d.key, service_id: d.serviceId, kind: d.kind, detail: d.detail, found_at: at, repaired: settled(knownKey(d.menu, d.key)) ? 1 : 0 })
          .execute();
      }
      // A refused object stays failed until a sync gets it through or it is no longer wanted.
      if (!lost) {
        const wantedKeys = new Set(desired.map((d) => knownKey(d.menu, d.key)));
        const current = await trx.selectFrom('network_failures').select(['menu', 'key']).where('router_id', '=', routerId).execute();
        for (const f of current) {
          const k = knownKey(f.menu as Menu, f.key);
          if (settled(k) || !wantedKeys.has(k)) await trx.deleteFrom('network_failures').where('router_id', '=', routerId).where('menu', '=', f.menu).where('key', '=', f.key).execute();
        }
      }
      for (const f of failures) {
        const values = { service_id: f.serviceId, action: f.action, message: f.message, failed_at: at };
        await trx
          .insertInto('network_failures')
          .values({ router_id: routerId, menu: f.menu, key: f.key, ...values })
          .onConflict((oc) => oc.columns(['router_id', 'menu', 'key']).doUpdateSet(values))
          .execute();
      }
      if (!lost) {
        await trx.deleteFrom('network_outbox').where('router_id', '=', routerId).where('id', '<=', upTo).execute();
        const state = {
          reachable: 1,
          last_attempt_at: at,
          last_sync_at: at,
          last_error: failures.length ? `${failures.length} change${failures.length === 1 ? '' : 's'} refused by the router` : null,
          attempts: 0,
          next_attempt_at: null,
          last_created: result.created,
          last_updated: result.updated,
          last_removed: result.removed,
          last_unchanged: result.unchanged,
        };
        await trx.insertInto('network_router_state').values({ router_id: routerId, ...state }).onConflict((oc) => oc.column('router_id').doUpdateSet(state)).execute();
      }
    });
    if (lost) return { ...(await unreachable(lost)), created: result.created, updated: result.updated, removed: result.removed, unchanged: result.unchanged, drift: result.drift, failed: result.failed };
    result.pending = await pendingCount(db, routerId);
    if (failures.length) result.error = `The router refused ${failures.length} change${failures.length === 1 ? '' : 's'}: ${failures[0]?.message ?? ''}`;
    return result;
  } catch (error) {
    return unreachable(error);
  } finally {
    await connection.close().catch(() => undefined);
  }
}
