import type { servicesApi } from '../../../shared/api/services';
import type { HandlersFor } from '../api/handlers';
import { createDevice, deleteDevice, getDevice, listDevices, updateDevice } from './devices';
import { createHotspotUser, deleteHotspotUser, generateVoucherBatch, getHotspotUser, listHotspotUsers, listVoucherBatches, updateHotspotUser, voucherBatchOf } from './hotspot';
import { applyDueScheduledChanges, cancelScheduledChange, isoDay, listScheduledChanges, scheduleChange } from './scheduled';
import { addDiscount, changePlan, createService, deleteService, geolocate, getService, listServices, updateService } from './services';

const done = { deleted: true } as const;

export const serviceHandlers: HandlersFor<typeof servicesApi> = {
  'services.create': (input, { db, now }) => createService(db, input, now()),
  'services.get': ({ id }, { db }) => getService(db, id),
  'services.listBySubscription': (input, { db }) => listServices(db, input),
  'services.update': ({ id, ...patch }, { db, now }) => updateService(db, id, patch, now()),
  'services.delete': ({ id }, { db, now }) => deleteService(db, id, now()),
  'services.changePlan': ({ id, planId, keepPrice }, { db, now }) => changePlan(db, id, planId, keepPrice, now()),
  'services.addDiscount': ({ id, ...discount }, { db, now }) => addDiscount(db, id, discount, now()),
  'services.scheduleChange': (input, { db, actor, now }) => scheduleChange(db, input, actor, now()),
  'services.cancelScheduledChange': ({ id }, { db, actor }) => cancelScheduledChange(db, id, actor),
  'services.scheduledChanges': ({ id }, { db }) => listScheduledChanges(db, id),
  'services.applyDueChanges': ({ today }, { db, now }) => applyDueScheduledChanges(db, today ?? isoDay(now()), now()),
  'services.geolocate': ({ id, latitude, longitude }, { db, now }) => geolocate(db, id, latitude, longitude, now()),

  'devices.create': (input, { db, now }) => createDevice(db, input, now()),
  'devices.get': ({ id }, { db }) => getDevice(db, id),
  'devices.listBySubscription': ({ subscriptionId, page, pageSize }, { db }) => listDevices(db, subscriptionId, page, pageSize),
  'devices.update': ({ id, ...patch }, { db, now }) => updateDevice(db, id, patch, now()),
  'devices.delete': async ({ id }, { db }) => (await deleteDevice(db, id), done),

  'hotspotUsers.create': (input, { db, now }) => createHotspotUser(db, input, now()),
  'hotspotUsers.get': ({ id }, { db, now }) => getHotspotUser(db, id, now()),
  'hotspotUsers.list': (input, { db, now }) => listHotspotUsers(db, input, now()),
  'hotspotUsers.update': ({ id, ...patch }, { db, now, actor }) => updateHotspotUser(db, id, patch, now(), actor.name),
  'hotspotUsers.delete': async ({ id }, { db, now }) => (await deleteHotspotUser(db, id, now()), done),

  'vouchers.generateBatch': (input, { db, now }) => generateVoucherBatch(db, input, now()),
  'vouchers.batch': ({ batchId }, { db, now }) => voucherBatchOf(db, batchId, now()),
  'vouchers.listBatches': ({ subscriptionId }, { db }) => listVoucherBatches(db, subscriptionId),
};
