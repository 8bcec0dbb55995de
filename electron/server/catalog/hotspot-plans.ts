import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { hotspotPlan, hotspotPlanFields } from '../../../shared/api/catalog';
import type { Db } from '../db/open';

type HotspotPlan = z.output<typeof hotspotPlan>;
type Fields = z.output<typeof hotspotPlanFields>;

function query(db: Db) {
  return db
    .selectFrom('hotspot_plans as h')
    .selectAll('h')
    .select((eb) => eb.selectFrom('hotspot_users').select(eb.fn.countAll<number>().as('n')).whereRef('hotspot_plan_id', '=', 'h.id').as('userCount'));
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

const toHotspotPlan = (r: Row): HotspotPlan => ({
  id: r.id,
  name: r.name,
  timeLimitMinutes: r.time_limit_minutes,
  dataLimitMb: r.data_limit_mb,
  downloadKbps: r.download_kbps,
  uploadKbps: r.upload_kbps,
  validityDays: r.validity_days,
  priceCents: r.price_cents,
  active: r.active === 1,
  userCount: Number(r.userCount ?? 0),
});

function columns(f: Partial<Fields>) {
  return {
    ...(f.name !== undefined && { name: f.name }),
    ...(f.timeLimitMinutes !== undefined && { time_limit_minutes: f.timeLimitMinutes }),
    ...(f.dataLimitMb !== undefined && { data_limit_mb: f.dataLimitMb }),
    ...(f.downloadKbps !== undefined && { download_kbps: f.downloadKbps }),
    ...(f.uploadKbps !== undefined && { upload_kbps: f.uploadKbps }),
    ...(f.validityDays !== undefined && { validity_days: f.validityDays }),
    ...(f.priceCents !== undefined && { price_cents: f.priceCents }),
    ...(f.active !== undefined && { active: f.active ? 1 : 0 }),
  };
}

export async function getHotspotPlan(db: Db, id: number): Promise<HotspotPlan> {
  const row = await query(db).where('h.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Hotspot plan ${id} does not exist.`);
  return toHotspotPlan(row);
}

export async function listHotspotPlans(db: Db, active: boolean | undefined): Promise<HotspotPlan[]> {
  let q = query(db).orderBy('h.name');
  if (active !== undefined) q = q.where('h.active', '=', active ? 1 : 0);
  return (await q.execute()).map(toHotspotPlan);
}

export async function createHotspotPlan(db: Db, input: Fields, now: Date): Promise<HotspotPlan> {
  const stamp = now.toISOString();
  const { id } = await db
    .insertInto('hotspot_plans')
    .values({ name: input.name, validity_days: input.validityDays, price_cents: input.priceCents, ...columns(input), created_at: stamp, updated_at: stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getHotspotPlan(db, id);
}

export async function updateHotspotPlan(db: Db, id: number, patch: Partial<Fields>, now: Date): Promise<HotspotPlan> {
  await getHotspotPlan(db, id);
  await db.updateTable('hotspot_plans').set({ ...columns(patch), updated_at: now.toISOString() }).where('id', '=', id).execute();
  return getHotspotPlan(db, id);
}

export async function deleteHotspotPlan(db: Db, id: number): Promise<void> {
  const h = await getHotspotPlan(db, id);
  if (h.userCount > 0) throw new ApiError('refused', `${h.name} has ${h.userCount} hotspot user${h.userCount === 1 ? '' : 's'}; it cannot be deleted, but it can be made inactive.`);
  await db.deleteFrom('hotspot_plans').where('id', '=', id).execute();
}
