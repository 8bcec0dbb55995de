import { z } from 'zod';
import { id, isoDateTime, pageInput, pageOf } from './common';
import { procedure } from './procedure';

/** Network sync: what Towerline has delivered to each router, what waits, what was refused, drift. */

export const syncResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
  /** Changes still queued for the router. */
  pending: z.number().int(),
  /** Null, or why the sync could not finish. */
  error: z.string().nullable(),
});

export const networkFailure = z.object({
  menu: z.string(),
  key: z.string(),
  serviceId: id.nullable(),
  action: z.string(),
  /** The router's own message. */
  message: z.string(),
  failedAt: isoDateTime,
});

/** A CoA or Disconnect-Request that did not reach every live session (still retried, with backoff). */
export const dynamicFailure = z.object({
  serviceId: id,
  login: z.string().nullable(),
  kind: z.enum(['coa', 'disconnect']),
  /** Why it was queued (the change). */
  reason: z.string(),
  /** What the NAS answered (NAK and its Error-Cause, no answer) and what the API fallback did. */
  message: z.string(),
  failedAt: isoDateTime,
  attempts: z.number().int(),
  nextAttemptAt: isoDateTime.nullable(),
});

export const routerNetworkStatus = z.object({
  routerId: id,
  routerName: z.string(),
  address: z.string(),
  /** Whether Towerline writes to it through the RouterOS API; if not, why. */
  managed: z.boolean(),
  notManagedReason: z.string().nullable(),
  /** Null until a sync has been tried. */
  reachable: z.boolean().nullable(),
  lastSyncAt: isoDateTime.nullable(),
  lastAttemptAt: isoDateTime.nullable(),
  nextAttemptAt: isoDateTime.nullable(),
  lastError: z.string().nullable(),
  pending: z.number().int(),
  failed: z.array(networkFailure),
  driftFound: z.number().int(),
  driftRepaired: z.number().int(),
  lastCounts: z.object({ created: z.number().int(), updated: z.number().int(), removed: z.number().int(), unchanged: z.number().int() }),
  /** CoA and Disconnect-Requests for live RADIUS sessions of the router's services: waiting, and failed ones with the reason. */
  dynamic: z.object({ pending: z.number().int(), failed: z.array(dynamicFailure) }),
});

export const outboxEntry = z.object({ id, routerId: id, serviceId: id.nullable(), reason: z.string(), createdAt: isoDateTime });

export const driftEntry = z.object({
  id,
  routerId: id,
  routerName: z.string(),
  menu: z.string(),
  key: z.string(),
  serviceId: id.nullable(),
  kind: z.enum(['edited', 'deleted', 'duplicate']),
  detail: z.string(),
  foundAt: isoDateTime,
  repaired: z.boolean(),
});

export const SERVICE_NETWORK_STATES = ['in sync', 'pending', 'failed', 'not on a router'] as const;

export const serviceNetworkState = z.object({
  serviceId: id,
  serving: z.enum(['serve', 'suspend', 'block', 'none']),
  state: z.enum(SERVICE_NETWORK_STATES),
  /** The router's message when failed, the queued reason when pending. */
  message: z.string().nullable(),
  routerName: z.string().nullable(),
});

export const withheldService = z.object({
  serviceId: id,
  subscriptionId: id,
  uniqueId: z.string(),
  subscriptionName: z.string(),
  subscriptionStatus: z.string(),
  serviceStatus: z.string(),
  serving: z.enum(['suspend', 'block']),
  login: z.string().nullable(),
  address: z.string().nullable(),
  routerName: z.string(),
  state: z.enum(SERVICE_NETWORK_STATES),
});

const byRouter = z.object({ routerId: id });

export const networkSyncApi = {
  'network.sync': procedure('Reconcile one router now: counts of router objects created, updated, removed, unchanged; changes still pending; why it could not finish.', byRouter, syncResult),
  'network.status': procedure('One router\'s sync state: reachable, last sync, pending and failed changes, drift repaired.', byRouter, routerNetworkStatus),
  'network.overview': procedure('Every router\'s sync state, by name.', z.object({}).default({}), z.array(routerNetworkStatus)),
  'network.outbox': procedure('Changes queued for a router, oldest first, paged.', byRouter.extend(pageInput), pageOf(outboxEntry)),
  'network.drift': procedure('Drift found on routers (changes Towerline did not make), newest first, paged.', z.object({ routerId: id.optional(), ...pageInput }).default({ page: 1, pageSize: 50 }), pageOf(driftEntry)),
  'network.withheld': procedure('Services the network does not serve now (suspended or blocked) on API-managed routers, paged.', z.object(pageInput).default({ page: 1, pageSize: 50 }), pageOf(withheldService)),
  'network.serviceStates': procedure('Each service of a subscription: who the network serves and whether its router holds it.', z.object({ subscriptionId: id }), z.array(serviceNetworkState)),
};
