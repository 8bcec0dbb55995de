import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { plan, PLAN_KINDS } from '../../../shared/api/catalog';
import type { planCapFields } from '../../../shared/api/usage';
import type { Db } from '../db/open';
import { setPlanCap } from '../usage/caps';
import { requireReference } from '../db/references';
import { type PlanShape, normalizePlan, planDeleteRefusal, planProblems } from './plan-rules';

type Plan = z.output<typeof plan>;
/** A data cap given with the plan: null removes it, undefined leaves it as it is. */
type DataCapInput = z.output<typeof planCapFields> | null | undefined;

function query(db: Db) {
  return db
    .selectFrom('plans as p')
    .leftJoin('tax_classes as t', 't.id', 'p.tax_class_id')
    .leftJoin('usage_plan_caps as cap', 'cap.plan_id', 'p.id')
    .selectAll('p')
    .select((eb) => [
      't.name as tax_class_name',
      'cap.cap_gb',
      'cap.action as cap_action',
      'cap.throttle_download_kbps as cap_download_kbps',
      'cap.throttle_upload_kbps as cap_upload_kbps',
      eb.selectFrom('services').select(eb.fn.countAll<number>().as('n')).whereRef('plan_id', '=', 'p.id').as('serviceCount'),
      eb.selectFrom('package_products').select(eb.fn.countAll<number>().as('n')).whereRef('plan_id', '=', 'p.id').as('packageProductCount'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

function toPlan(r: Row): Plan {
  return {
    id: r.id,
    kind: r.kind as Plan['kind'],
    name: r.name,
    description: r.description,
    priceCents: r.price_cents,
    payPeriodMonths: r.pay_period_months,
    taxClassId: r.tax_class_id,
    taxClassName: r.tax_class_name,
    active: r.active === 1,
    downloadKbps: r.download_kbps,
    uploadKbps: r.upload_kbps,
    burstDownloadKbps: r.burst_download_kbps,
    burstUploadKbps: r.burst_upload_kbps,
    burstThresholdPercent: r.burst_threshold_percent,
    burstTimeSeconds: r.burst_time_seconds,
    priority: r.priority,
    contentionRatio: r.contention_ratio,
    qosMode: r.qos_mode as Plan['qosMode'],
    accessTechnology: r.access_technology as Plan['accessTechnology'],
    serviceCount: Number(r.serviceCount ?? 0),
    packageProductCount: Number(r.packageProductCount ?? 0),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    dataCap:
      r.cap_gb === null || r.cap_action === null
        ? null
        : { capGb: r.cap_gb, action: r.cap_action, throttleDownloadKbps: r.cap_download_kbps, throttleUploadKbps: r.cap_upload_kbps },
  };
}

function columns(p: PlanShape) {
  return {
    kind: p.kind,
    name: p.name,
    description: p.description,
    price_cents: p.priceCents,
    pay_period_months: p.payPeriodMonths,
    tax_class_id: p.taxClassId,
    active: p.active ? 1 : 0,
    download_kbps: p.downloadKbps,
    upload_kbps: p.uploadKbps,
    burst_download_kbps: p.burstDownloadKbps,
    burst_upload_kbps: p.burstUploadKbps,
    burst_threshold_percent: p.burstThresholdPercent,
    burst_time_seconds: p.burstTimeSeconds,
    priority: p.priority,
    contention_ratio: p.contentionRatio,
    qos_mode: p.qosMode,
    access_technology: p.accessTechnology,
  };
}

async function check(db: Db, p: PlanShape): Promise<PlanShape> {
  const normalized = normalizePlan(p);
  const problems = planProblems(normalized);
  const fields = Object.keys(problems);
  if (fields.length > 0) throw new ApiError('validation', `Please check the plan: ${Object.values(problems).join('; ')}.`, problems);
  if (normalized.taxClassId !== null) await requireReference(db, 'tax_classes', normalized.taxClassId, 'taxClassId', 'tax class');
  return normalized;
}

export async function getPlan(db: Db, id: number): Promise<Plan> {
  const row = await query(db).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Plan ${id} does not exist.`);
  return toPlan(row);
}

export async function listPlans(
  db: Db,
  input: { query?: string; kind?: (typeof PLAN_KINDS)[number]; active?: boolean; page: number; pageSize: number },
): Promise<{ rows: Plan[]; total: number }> {
  let base = db.selectFrom('plans as p');
  if (input.query) base = base.where('p.name', 'like', `%${input.query}%`);
  if (input.kind) base = base.where('p.kind', '=', input.kind);
  if (input.active !== undefined) base = base.where('p.active', '=', input.active ? 1 : 0);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const ids = await base.select('p.id').orderBy('p.kind').orderBy('p.name').orderBy('p.id').limit(input.pageSize).offset((input.page - 1) * input.pageSize).execute();
  if (ids.length === 0) return { rows: [], total: Number(total) };
  const rows = await query(db).where('p.id', 'in', ids.map((r) => r.id)).execute();
  const byId = new Map(rows.map((r) => [r.id, toPlan(r)]));
  return { rows: ids.map((r) => byId.get(r.id)!), total: Number(total) };
}

/** Data caps count an Internet service's bytes; other kinds carry none. */
function checkCap(kind: Plan['kind'], cap: object | null | undefined): void {
  if (cap && kind !== 'Internet') throw new ApiError('validation', 'Only Internet plans have a data cap.', { dataCap: 'Only Internet plans have a data cap' });
}

export async function createPlan(db: Db, { dataCap, ...input }: PlanShape & { dataCap?: DataCapInput }, now: Date): Promise<Plan> {
  const p = await check(db, input);
  checkCap(p.kind, dataCap);
  const stamp = now.toISOString();
  const { id } = await db.insertInto('plans').values({ ...columns(p), created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
  // The same command's transaction: the plan and its cap are saved together or not at all.
  if (dataCap) await setPlanCap(db, id, dataCap, now);
  return getPlan(db, id);
}

function shapeOf(p: Plan): PlanShape {
  const { id: _id, taxClassName: _t, serviceCount: _s, packageProductCount: _pp, createdAt: _c, updatedAt: _u, dataCap: _cap, ...shape } = p;
  return shape as PlanShape;
}

export async function updatePlan(db: Db, id: number, { dataCap, ...patch }: Partial<PlanShape> & { dataCap?: DataCapInput }, now: Date): Promise<Plan> {
  const current = await getPlan(db, id);
  checkCap(patch.kind ?? current.kind, dataCap === undefined ? current.dataCap : dataCap);
  if (patch.kind !== undefined && patch.kind !== current.kind && current.serviceCount > 0) {
    throw new ApiError('validation', `${current.name} has ${current.serviceCount} service(s); its kind cannot change.`, { kind: 'A plan in use keeps its kind' });
  }
  const merged = Object.fromEntries(Object.entries({ ...shapeOf(current), ...patch }).filter(([, v]) => v !== undefined)) as PlanShape;
  const p = await check(db, merged);
  await db.updateTable('plans').set({ ...columns(p), updated_at: now.toISOString() }).where('id', '=', id).execute();
  if (dataCap !== undefined) await setPlanCap(db, id, dataCap, now);
  return getPlan(db, id);
}

export async function retirePlan(db: Db, id: number, now: Date): Promise<Plan> {
  await getPlan(db, id);
  await db.updateTable('plans').set({ active: 0, updated_at: now.toISOString() }).where('id', '=', id).execute();
  return getPlan(db, id);
}

export async function deletePlan(db: Db, id: number): Promise<void> {
  const p = await getPlan(db, id);
  const { n } = await db.selectFrom('scheduled_changes').select((eb) => eb.fn.countAll<number>().as('n')).where('new_plan_id', '=', id).executeTakeFirstOrThrow();
  const refusal = planDeleteRefusal(p.name, { services: p.serviceCount, packageProducts: p.packageProductCount, scheduledChanges: Number(n) });
  if (refusal) throw new ApiError('refused', refusal);
  await db.deleteFrom('plans').where('id', '=', id).execute();
}
