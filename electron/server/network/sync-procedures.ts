import type { networkSyncApi } from '../../../shared/api/network-sync';
import type { HandlersFor } from '../api/handlers';
import { syncRouter } from './reconcile';
import { driftPage, outboxPage, routerStatus, routerStatuses, serviceStates, withheldPage } from './sync-status';
import { syncDeps } from './sync-worker';

/** network.sync talks to a router for seconds: it runs outside the dispatcher's transaction and writes in short ones of its own. */
export const NETWORK_SELF_TRANSACTING = ['network.sync'] as const;

export const networkSyncHandlers: HandlersFor<typeof networkSyncApi> = {
  'network.sync': async ({ routerId }, { db, secrets, now }) => {
    await routerStatus(db, routerId);
    const r = await syncRouter(db, routerId, syncDeps(secrets, { now }));
    return { created: r.created, updated: r.updated, removed: r.removed, unchanged: r.unchanged, pending: r.pending, error: r.error };
  },
  'network.status': ({ routerId }, { db }) => routerStatus(db, routerId),
  'network.overview': (_input, { db }) => routerStatuses(db),
  'network.outbox': ({ routerId, page, pageSize }, { db }) => outboxPage(db, routerId, page, pageSize),
  'network.drift': ({ routerId, page, pageSize }, { db }) => driftPage(db, routerId, page, pageSize),
  'network.withheld': ({ page, pageSize }, { db }) => withheldPage(db, page, pageSize),
  'network.serviceStates': ({ subscriptionId }, { db }) => serviceStates(db, subscriptionId),
};
