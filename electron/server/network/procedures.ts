import type { networkApi } from '../../../shared/api/network';
import type { HandlersFor } from '../api/handlers';
import { createNetwork, deleteNetwork, getNetwork, listNetworks, networkAllocations, networkUtilization, nextFreeAddress, updateNetwork } from './ip-networks';
import { createRouter, deleteRouter, getRouter, listRouters, updateRouter } from './routers';

const done = { deleted: true } as const;

export const networkHandlers: HandlersFor<typeof networkApi> = {
  'routers.create': (input, { db, secrets, now }) => createRouter(db, input, secrets, now()),
  'routers.get': ({ id }, { db }) => getRouter(db, id),
  'routers.list': (_input, { db }) => listRouters(db),
  'routers.update': ({ id, ...patch }, { db, secrets, now }) => updateRouter(db, id, patch, secrets, now()),
  'routers.delete': async ({ id }, { db }) => (await deleteRouter(db, id), done),

  'ipNetworks.create': (input, { db, now }) => createNetwork(db, input, now()),
  'ipNetworks.get': ({ id }, { db }) => getNetwork(db, id),
  'ipNetworks.list': (input, { db }) => listNetworks(db, input),
  'ipNetworks.update': ({ id, ...patch }, { db, now }) => updateNetwork(db, id, patch, now()),
  'ipNetworks.delete': async ({ id }, { db }) => (await deleteNetwork(db, id), done),
  'ipNetworks.allocations': ({ id, page, pageSize }, { db }) => networkAllocations(db, id, page, pageSize),
  'ipNetworks.utilization': ({ id }, { db }) => networkUtilization(db, id),
  'ipNetworks.nextFree': async ({ id }, { db }) => ({ address: await nextFreeAddress(db, id) }),
};
