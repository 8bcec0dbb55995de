import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { device, deviceFields } from '../../../shared/api/services';
import type { Db } from '../db/open';

type Device = z.output<typeof device>;
type Fields = z.output<typeof deviceFields>;

function query(db: Db) {
  return db.selectFrom('devices as d').leftJoin('services as s', 's.id', 'd.service_id').selectAll('d').select('s.description as service_description');
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

const toDevice = (r: Row): Device => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  serviceId: r.service_id,
  serviceDescription: r.service_description,
  type: r.type as Device['type'],
  vendor: r.vendor,
  model: r.model,
  serial: r.serial,
  macAddress: r.mac_address,
  managementIp: r.management_ip,
  firmware: r.firmware,
  installDate: r.install_date,
  location: r.location,
  status: r.status as Device['status'],
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A device's columns for the fields given (the others left out). */
export function deviceColumns(f: Partial<Fields>) {
  return {
    ...(f.serviceId !== undefined && { service_id: f.serviceId }),
    ...(f.type !== undefined && { type: f.type }),
    ...(f.vendor !== undefined && { vendor: f.vendor }),
    ...(f.model !== undefined && { model: f.model }),
    ...(f.serial !== undefined && { serial: f.serial }),
    ...(f.macAddress !== undefined && { mac_address: f.macAddress }),
    ...(f.managementIp !== undefined && { management_ip: f.managementIp }),
    ...(f.firmware !== undefined && { firmware: f.firmware }),
    ...(f.installDate !== undefined && { install_date: f.installDate }),
    ...(f.location !== undefined && { location: f.location }),
    ...(f.status !== undefined && { status: f.status }),
    ...(f.notes !== undefined && { notes: f.notes }),
  };
}

/** A device may only be linked to a service of its own subscription. */
async function checkLinkedService(db: Db, subscriptionId: number, serviceId: number | null | undefined) {
  if (serviceId === null || serviceId === undefined) return;
  const s = await db.selectFrom('services').select('subscription_id').where('id', '=', serviceId).executeTakeFirst();
  if (!s || s.subscription_id !== subscriptionId) throw fieldError('serviceId', `No service ${serviceId} on this subscription`);
}

export async function getDevice(db: Db, id: number): Promise<Device> {
  const row = await query(db).where('d.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Device ${id} does not exist.`);
  return toDevice(row);
}

export async function listDevices(db: Db, subscriptionId: number, page: number, pageSize: number): Promise<{ rows: Device[]; total: number }> {
  const { total } = await db.selectFrom('devices').select((eb) => eb.fn.countAll<number>().as('total')).where('subscription_id', '=', subscriptionId).executeTakeFirstOrThrow();
  const rows = await query(db).where('d.subscription_id', '=', subscriptionId).orderBy('d.id').limit(pageSize).offset((page - 1) * pageSize).execute();
  return { rows: rows.map(toDevice), total: Number(total) };
}

export async function createDevice(db: Db, input: Fields, now: Date): Promise<Device> {
  const sub = await db.selectFrom('subscriptions').select('id').where('id', '=', input.subscriptionId).executeTakeFirst();
  if (!sub) throw fieldError('subscriptionId', `No subscription ${input.subscriptionId}`);
  await checkLinkedService(db, input.subscriptionId, input.serviceId);
  const stamp = now.toISOString();
  const { id } = await db
    .insertInto('devices')
    .values({ subscription_id: input.subscriptionId, type: input.type, status: input.status, ...deviceColumns(input), created_at: stamp, updated_at: stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getDevice(db, id);
}

export async function updateDevice(db: Db, id: number, patch: Partial<Omit<Fields, 'subscriptionId'>>, now: Date): Promise<Device> {
  const current = await getDevice(db, id);
  await checkLinkedService(db, current.subscriptionId, patch.serviceId);
  await db.updateTable('devices').set({ ...deviceColumns(patch), updated_at: now.toISOString() }).where('id', '=', id).execute();
  return getDevice(db, id);
}

export async function deleteDevice(db: Db, id: number): Promise<void> {
  await getDevice(db, id);
  await db.deleteFrom('devices').where('id', '=', id).execute();
}
