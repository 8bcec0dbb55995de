import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { hotspotUser, hotspotUserFields, voucherBatch } from '../../../shared/api/services';
import type { Db } from '../db/open';
import { nextSequenceValue } from '../db/sequences';
import { voucherCodes } from './vouchers';
import { loginHolder } from '../db/logins';
import { sql } from 'kysely';
import { type StoredHotspotStatus, type VoucherFacts, voucherState } from '../../../shared/domain/hotspot';
import { recordHotspotEvent } from '../hotspot/events';

type HotspotUser = z.output<typeof hotspotUser>;
type Fields = z.output<typeof hotspotUserFields>;

/** Hotspot users with their plan's limits and their usage: what the status rule reads. */
export function hotspotUserRows(db: Db) {
  return db
    .selectFrom('hotspot_users as u')
    .innerJoin('hotspot_plans as h', 'h.id', 'u.hotspot_plan_id')
    .selectAll('u')
    .select(['h.name as plan_name', 'h.time_limit_minutes', 'h.data_limit_mb', 'h.validity_days', 'h.price_cents'])
    // Time and data are counted across every session the user had (radius_sessions_hotspot_user).
    .select((eb) => [
      eb.selectFrom('radius_sessions as r').select((e) => e.fn.coalesce(e.fn.sum<number>('r.session_seconds'), e.lit(0)).as('n')).whereRef('r.hotspot_user_id', '=', 'u.id').as('used_seconds'),
      eb
        .selectFrom('radius_sessions as r')
        .select((e) => e.fn.coalesce(e.fn.sum<number>(e('r.input_bytes', '+', e.ref('r.output_bytes'))), e.lit(0)).as('n'))
        .whereRef('r.hotspot_user_id', '=', 'u.id')
        .as('used_bytes'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof hotspotUserRows>['executeTakeFirstOrThrow']>>;

/** The facts the one status rule reads (shared/domain/hotspot.ts). */
export const factsOf = (r: Row): VoucherFacts => ({
  status: r.status as StoredHotspotStatus,
  voidedAt: r.voided_at,
  firstUsedAt: r.first_used_at,
  validityDays: r.validity_days,
  timeLimitMinutes: r.time_limit_minutes,
  dataLimitMb: r.data_limit_mb,
  usedSeconds: Number(r.used_seconds ?? 0),
  usedBytes: Number(r.used_bytes ?? 0),
});

const toUser = (r: Row, now: Date): HotspotUser => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  hotspotPlanId: r.hotspot_plan_id,
  hotspotPlanName: r.plan_name,
  kind: r.kind as HotspotUser['kind'],
  login: r.login,
  password: r.password,
  batchId: r.batch_id,
  macBinding: r.mac_binding,
  status: r.status as HotspotUser['status'],
  timeLimitMinutes: r.time_limit_minutes,
  dataLimitMb: r.data_limit_mb,
  validityDays: r.validity_days,
  priceCents: r.price_cents,
  firstUsedAt: r.first_used_at,
  createdAt: r.created_at,
  voidedAt: r.voided_at,
  usedSeconds: Number(r.used_seconds ?? 0),
  usedBytes: Number(r.used_bytes ?? 0),
  state: voucherState(factsOf(r), now),
});

async function checkPlan(db: Db, hotspotPlanId: number) {
  const plan = await db.selectFrom('hotspot_plans').select(['name', 'active']).where('id', '=', hotspotPlanId).executeTakeFirst();
  if (!plan) throw fieldError('hotspotPlanId', `No hotspot plan ${hotspotPlanId}`);
  if (!plan.active) throw fieldError('hotspotPlanId', `${plan.name} is no longer offered`);
  return plan;
}

async function checkSubscription(db: Db, id: number) {
  const sub = await db.selectFrom('subscriptions').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  if (!sub) throw fieldError('subscriptionId', `No subscription ${id}`);
  return sub;
}

async function checkLoginFree(db: Db, login: string, selfId: number | null) {
  // Unique regardless of case among services and hotspot users (migration 0500 enforces it too).
  const holder = await loginHolder(db, login, { hotspotUserId: selfId });
  if (holder) throw new ApiError('conflict', holder, { login: holder });
}

export async function getHotspotUser(db: Db, id: number, now: Date): Promise<HotspotUser> {
  const row = await hotspotUserRows(db).where('u.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Hotspot user ${id} does not exist.`);
  return toUser(row, now);
}

/** `%`, `_` and `\` typed by staff are searched as themselves. */
const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listHotspotUsers(
  db: Db,
  input: { subscriptionId: number; batchId?: string; query?: string; page: number; pageSize: number },
  now: Date,
): Promise<{ rows: HotspotUser[]; total: number }> {
  let base = db.selectFrom('hotspot_users as u').where('u.subscription_id', '=', input.subscriptionId);
  if (input.batchId) base = base.where('u.batch_id', '=', input.batchId);
  if (input.query) base = base.where(sql<boolean>`u.login like ${likeText(input.query)} escape '\\'`);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  let q = hotspotUserRows(db).where('u.subscription_id', '=', input.subscriptionId);
  if (input.batchId) q = q.where('u.batch_id', '=', input.batchId);
  if (input.query) q = q.where(sql<boolean>`u.login like ${likeText(input.query)} escape '\\'`);
  const rows = await q.orderBy('u.id').limit(input.pageSize).offset((input.page - 1) * input.pageSize).execute();
  return { rows: rows.map((r) => toUser(r, now)), total: Number(total) };
}

export async function createHotspotUser(db: Db, input: Fields, now: Date): Promise<HotspotUser> {
  await checkSubscription(db, input.subscriptionId);
  await checkPlan(db, input.hotspotPlanId);
  await checkLoginFree(db, input.login, null);
  const stamp = now.toISOString();
  const { id } = await db
    .insertInto('hotspot_users')
    .values({
      subscription_id: input.subscriptionId,
      hotspot_plan_id: input.hotspotPlanId,
      kind: 'login',
      login: input.login,
      password: input.password,
      mac_binding: input.macBinding,
      status: input.status,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getHotspotUser(db, id, now);
}

export async function updateHotspotUser(db: Db, id: number, patch: Partial<Omit<Fields, 'subscriptionId'>>, now: Date, actor = 'Office'): Promise<HotspotUser> {
  const current = await getHotspotUser(db, id, now);
  if (current.voidedAt !== null && patch.status !== undefined && patch.status !== current.status) throw fieldError('status', 'A voided voucher stays voided');
  if (patch.hotspotPlanId !== undefined && patch.hotspotPlanId !== current.hotspotPlanId) await checkPlan(db, patch.hotspotPlanId);
  if (patch.login !== undefined && patch.login !== current.login) {
    if (current.kind === 'voucher') throw fieldError('login', 'A voucher code cannot be changed');
    await checkLoginFree(db, patch.login, id);
  }
  await db
    .updateTable('hotspot_users')
    .set({
      ...(patch.hotspotPlanId !== undefined && { hotspot_plan_id: patch.hotspotPlanId }),
      ...(patch.login !== undefined && { login: patch.login }),
      ...(patch.password !== undefined && { password: patch.password }),
      ...(patch.macBinding !== undefined && { mac_binding: patch.macBinding }),
      ...(patch.status !== undefined && { status: patch.status }),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  if (patch.status !== undefined && patch.status !== current.status) {
    await recordHotspotEvent(db, { hotspotUserId: id, at: now, from: current.status, to: patch.status, reason: 'Changed by staff', actor });
  }
  return getHotspotUser(db, id, now);
}

export async function deleteHotspotUser(db: Db, id: number, now: Date): Promise<void> {
  await getHotspotUser(db, id, now);
  await db.deleteFrom('hotspot_users').where('id', '=', id).execute();
}

// --- Voucher batches ----------------------------------------------------------------------------

export async function voucherBatchOf(db: Db, batchId: string, now: Date): Promise<z.output<typeof voucherBatch>> {
  const rows = await hotspotUserRows(db).innerJoin('subscriptions as sub', 'sub.id', 'u.subscription_id').select('sub.name as subscription_name').where('u.batch_id', '=', batchId).orderBy('u.id').execute();
  const first = rows[0];
  if (!first) throw new ApiError('not_found', `Voucher batch ${batchId} does not exist.`);
  return {
    batchId,
    subscriptionId: first.subscription_id,
    subscriptionName: first.subscription_name,
    hotspotPlanId: first.hotspot_plan_id,
    hotspotPlanName: first.plan_name,
    createdAt: first.created_at,
    vouchers: rows.map((r) => toUser(r, now)),
  };
}

export async function generateVoucherBatch(db: Db, input: { subscriptionId: number; hotspotPlanId: number; count: number; prefix: string }, now: Date) {
  await checkSubscription(db, input.subscriptionId);
  await checkPlan(db, input.hotspotPlanId);
  const batchId = `VB-${String(await nextSequenceValue(db, 'voucher_batch')).padStart(6, '0')}`;
  const taken = new Set(
    (await db.selectFrom('hotspot_users').select('login').where('login', 'like', `${input.prefix}%`).execute()).map((r) => r.login),
  );
  const codes = voucherCodes(input.count, input.prefix, (c) => taken.has(c));
  const stamp = now.toISOString();
  await db
    .insertInto('hotspot_users')
    .values(codes.map((code) => ({ subscription_id: input.subscriptionId, hotspot_plan_id: input.hotspotPlanId, kind: 'voucher', login: code, batch_id: batchId, status: 'Active', created_at: stamp, updated_at: stamp })))
    .execute();
  return voucherBatchOf(db, batchId, now);
}

export async function listVoucherBatches(db: Db, subscriptionId: number) {
  const rows = await db
    .selectFrom('hotspot_users as u')
    .innerJoin('hotspot_plans as h', 'h.id', 'u.hotspot_plan_id')
    .select((eb) => ['u.batch_id', eb.fn.max('h.name').as('plan_name'), eb.fn.countAll<number>().as('count'), eb.fn.min('u.created_at').as('created_at')])
    .where('u.subscription_id', '=', subscriptionId)
    .where('u.batch_id', 'is not', null)
    .groupBy('u.batch_id')
    .orderBy('u.batch_id', 'desc')
    .execute();
  return rows.map((r) => ({ batchId: r.batch_id!, hotspotPlanName: String(r.plan_name), count: Number(r.count), createdAt: String(r.created_at) }));
}
