import type { Db } from '../db/open';
import type { SecretBox } from '../platform/secrets';
import { connectRouterOs } from './routeros/client';
import { type Connect, type SyncDeps, type SyncResult, DEFAULT_BACKOFF, notManagedReason, syncRouter } from './reconcile';

/**
 * The worker that delivers the network outbox: every `pollMs` it syncs each router with queued
 * changes whose backoff has passed (one sync coalesces all of a router's queued changes, in
 * order), and every `intervalMs` it syncs every API-managed router in full, so drift made on a
 * router is found and repaired even when nothing changed in Towerline. The outbox lives in the
 * datastore: after a restart the worker picks up where it stopped.
 */
export interface NetworkSyncOptions {
  /** Full sync of every router, ms (default five minutes; 0 turns it off). */
  intervalMs?: number;
  /** How often the outbox is looked at, ms (default one second). */
  pollMs?: number;
  timeoutMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  now?: () => Date;
  connect?: Connect;
  /** Called after every sync the worker runs. */
  onSync?: (routerId: number, result: SyncResult) => void;
  /** One line per sync that changed something or failed (server mode's log). */
  log?: (line: string) => void;
}

export interface NetworkSync {
  /** Syncs one router (or every managed one) now, whatever its backoff. */
  syncNow(routerId?: number): Promise<SyncResult[]>;
  /** Looks at the outbox now instead of at the next poll (after work applied outside an API call). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/** What the worker needs of a backend: its datastore connection and secret box. */
export interface NetworkSyncHost {
  datastore: { db: Db };
  secrets: SecretBox;
}

export const DEFAULT_SYNC_INTERVAL_MS = 5 * 60_000;

export function syncDeps(secrets: SecretBox, options: Pick<NetworkSyncOptions, 'timeoutMs' | 'backoff' | 'now' | 'connect'> = {}): SyncDeps {
  return { secrets, connect: options.connect ?? connectRouterOs, timeoutMs: options.timeoutMs, backoff: options.backoff ?? DEFAULT_BACKOFF, now: options.now };
}

async function managedRouters(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('routers').select(['id', 'vendor', 'api_user']).execute();
  return rows.filter((r) => notManagedReason(r) === null).map((r) => r.id);
}

export function startNetworkSync(backend: NetworkSyncHost, options: NetworkSyncOptions = {}): NetworkSync {
  const db = backend.datastore.db;
  const now = options.now ?? (() => new Date());
  const deps = syncDeps(backend.secrets, options);
  const pollMs = options.pollMs ?? 1000;
  const intervalMs = options.intervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
  let lastFull = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const run = async (routerId: number) => {
    const result = await syncRouter(db, routerId, deps);
    options.onSync?.(routerId, result);
    if (options.log && (result.error || result.created + result.updated + result.removed > 0)) {
      options.log(`[towerline] network sync router ${routerId}: ${result.created} created, ${result.updated} updated, ${result.removed} removed, ${result.pending} pending${result.error ? `; ${result.error}` : ''}`);
    }
    return result;
  };

  const tick = async () => {
    const at = now();
    const stamp = at.toISOString();
    // Routers with queued changes whose backoff has passed.
    const due = new Set(
      (
        await db
          .selectFrom('network_outbox as o')
          .leftJoin('network_router_state as st', 'st.router_id', 'o.router_id')
          .select('o.router_id')
          .distinct()
          .where((eb) => eb.or([eb('st.next_attempt_at', 'is', null), eb('st.next_attempt_at', '<=', stamp)]))
          .execute()
      ).map((r) => r.router_id),
    );
    if (intervalMs > 0 && at.getTime() - lastFull >= intervalMs) {
      lastFull = at.getTime();
      const waiting = new Set((await db.selectFrom('network_router_state').select('router_id').where('next_attempt_at', '>', stamp).execute()).map((r) => r.router_id));
      for (const id of await managedRouters(db)) if (!waiting.has(id)) due.add(id);
    }
    await Promise.all([...due].map((id) => run(id)));
  };

  const loop = () => {
    if (stopped) return;
    running = tick()
      .catch((error: unknown) => console.error('[towerline] network sync', error))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  };
  loop();

  return {
    async syncNow(routerId) {
      const ids = routerId === undefined ? await managedRouters(db) : [routerId];
      return Promise.all(ids.map((id) => run(id)));
    },
    async runNow() {
      await running;
      if (!stopped) await tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
