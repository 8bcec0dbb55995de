import { sql } from 'kysely';
import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { capActionRow, planCap, planCapFields } from '../../../shared/api/usage';
import type { Backend } from '../backend';
import { dayOf } from '../billing/settings';
import { type Db, durableTransaction } from '../db/open';
import { startPeriodic } from '../jobs/periodic';
import { writeService } from '../services/services';
import { type CapDecision, type CapFacts, capDecisions } from './cap-rules';
import { monthOf } from './counters';
import { GB } from './queries';

type PlanCap = z.output<typeof planCap>;

export async function getPlanCap(db: Db, planId: number): Promise<PlanCap | null> {
  const plan = await db.selectFrom('plans').select('id').where('id', '=', planId).executeTakeFirst();
  if (!plan) throw new ApiError('not_found', `Plan ${planId} does not exist.`, { planId: `No plan ${planId}` });
  const c = await db.selectFrom('usage_plan_caps').selectAll().where('plan_id', '=', planId).executeTakeFirst();
  if (!c) return null;
  return { planId, capGb: c.cap_gb, action: c.action, throttleDownloadKbps: c.throttle_download_kbps, throttleUploadKbps: c.throttle_upload_kbps, updatedAt: c.updated_at };
}

/** Sets or removes (null) a plan's data cap; the cap job applies it from its next run. */
export async function setPlanCap(db: Db, planId: number, cap: z.output<typeof planCapFields> | null, now: Date): Promise<PlanCap | null> {
  await getPlanCap(db, planId);
  if (cap === null) {
    await db.deleteFrom('usage_plan_caps').where('plan_id', '=', planId).execute();
    return null;
  }
  const throttle = cap.action === 'throttle';
  const row = {
    cap_gb: cap.capGb,
    action: cap.action,
    throttle_download_kbps: throttle ? cap.throttleDownloadKbps : null,
    throttle_upload_kbps: throttle ? cap.throttleUploadKbps : null,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('usage_plan_caps')
    .values({ plan_id: planId, ...row })
    .onConflict((oc) => oc.column('plan_id').doUpdateSet(row))
    .execute();
  return getPlanCap(db, planId);
}

/** Each capped service (or one with an open action) with its usage in the period of `day`. */
export async function readCapFacts(db: Db, day: string): Promise<CapFacts[]> {
  const { from, to } = monthOf(day);
  const rows = await db
    .selectFrom('services as s')
    .leftJoin('usage_plan_caps as c', 'c.plan_id', 's.plan_id')
    .leftJoin('usage_cap_actions as a', (j) => j.onRef('a.service_id', '=', 's.id').on('a.lifted_at', 'is', null))
    .select((eb) => [
      's.id',
      's.status',
      'c.cap_gb',
      'c.action as cap_action',
      'c.throttle_download_kbps',
      'c.throttle_upload_kbps',
      'a.id as open_id',
      'a.period as open_period',
      'a.action as open_action',
      eb
        .selectFrom('usage_daily as d')
        .select((e) => e.fn.coalesce(e.fn.sum<number>(e('d.download_bytes', '+', e.ref('d.upload_bytes'))), e.lit(0)).as('n'))
        .whereRef('d.service_id', '=', 's.id')
        .where('d.day', '>=', from)
        .where('d.day', '<=', to)
        .as('used_bytes'),
    ])
    .where('s.status', '<>', 'Archived')
    .where((eb) => eb.or([eb('c.plan_id', 'is not', null), eb('a.id', 'is not', null)]))
    .execute();
  return rows.map((r) => ({
    serviceId: r.id,
    status: r.status as CapFacts['status'],
    cap:
      r.cap_gb === null || r.cap_action === null
        ? null
        : { capBytes: r.cap_gb * GB, action: r.cap_action, throttleDownloadKbps: r.throttle_download_kbps, throttleUploadKbps: r.throttle_upload_kbps },
    usedBytes: Number(r.used_bytes ?? 0),
    open: r.open_id === null || r.open_period === null || r.open_action === null ? null : { id: r.open_id, period: r.open_period, action: r.open_action },
  }));
}

export interface CapRunResult {
  day: string;
  applied: { serviceId: number; action: 'disable' | 'throttle' }[];
  lifted: { serviceId: number; action: 'disable' | 'throttle'; reason: string }[];
  failed: { serviceId: number; message: string }[];
}

async function carryOut(db: Db, d: CapDecision, now: Date): Promise<void> {
  const at = now.toISOString();
  if (d.kind === 'apply') {
    const s = await db.selectFrom('services').select('status').where('id', '=', d.serviceId).executeTakeFirstOrThrow();
    if (d.action === 'disable') await writeService(db, d.serviceId, { status: 'Disabled' }, now);
    await db
      .insertInto('usage_cap_actions')
      .values({
        service_id: d.serviceId,
        period: d.period,
        action: d.action,
        throttle_rate: d.throttleRate,
        used_bytes: d.usedBytes,
        cap_bytes: d.capBytes,
        previous_status: d.action === 'disable' ? s.status : null,
        applied_at: at,
      })
      .execute();
    return;
  }
  const a = await db.selectFrom('usage_cap_actions').select(['previous_status']).where('id', '=', d.actionId).executeTakeFirstOrThrow();
  if (d.action === 'disable') {
    const s = await db.selectFrom('services').select('status').where('id', '=', d.serviceId).executeTakeFirstOrThrow();
    // Staff may have changed the status since: only a service still Disabled is given back.
    if (s.status === 'Disabled') await writeService(db, d.serviceId, { status: (a.previous_status ?? 'Active') as 'Active' }, now);
  }
  await db.updateTable('usage_cap_actions').set({ lifted_at: at, lift_reason: d.reason }).where('id', '=', d.actionId).execute();
}

/**
 * Applies and lifts data cap actions for the day of `now`, inside the caller's transaction. A
 * savepoint per service: one that cannot change (its status refused) is reported, the rest apply.
 */
export async function applyCaps(db: Db, now: Date): Promise<CapRunResult> {
  const day = dayOf(now);
  const decisions = capDecisions(day, await readCapFacts(db, day));
  const result: CapRunResult = { day, applied: [], lifted: [], failed: [] };
  for (const d of decisions) {
    await sql`savepoint usage_cap`.execute(db);
    try {
      await carryOut(db, d, now);
      await sql`release usage_cap`.execute(db);
      if (d.kind === 'apply') result.applied.push({ serviceId: d.serviceId, action: d.action });
      else result.lifted.push({ serviceId: d.serviceId, action: d.action, reason: d.reason });
    } catch (error) {
      await sql`rollback to usage_cap`.execute(db);
      await sql`release usage_cap`.execute(db);
      if (!(error instanceof ApiError)) throw error;
      result.failed.push({ serviceId: d.serviceId, message: error.message });
    }
  }
  return result;
}

/** A service's data cap actions, newest first: its cap history. */
export async function capActions(db: Db, serviceId: number): Promise<z.output<typeof capActionRow>[]> {
  const rows = await db.selectFrom('usage_cap_actions').selectAll().where('service_id', '=', serviceId).orderBy('id', 'desc').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    serviceId: r.service_id,
    period: r.period,
    action: r.action,
    throttleRate: r.throttle_rate,
    usedBytes: r.used_bytes,
    capBytes: r.cap_bytes,
    appliedAt: r.applied_at,
    liftedAt: r.lifted_at,
    liftReason: r.lift_reason,
  }));
}

/**
 * The data cap job: at start and then every interval (15 minutes by default, so a cap bites soon
 * after accounting reaches it), applies and lifts cap actions in one durable transaction.
 * `onChanged` lets the caller wake the jobs that mirror the data (network sync).
 */
export function startUsageCaps(
  backend: Pick<Backend, 'datastore'>,
  options: { intervalMs?: number; now?: () => Date; log?: (line: string) => void; onChanged?: () => void } = {},
): { stop(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(`[towerline] ${line}`));
  const tick = async () => {
    const r = await durableTransaction(backend.datastore.db, (trx) => applyCaps(trx, now()));
    if (r.applied.length + r.lifted.length + r.failed.length === 0) return;
    log(`usage caps: ${r.applied.length} applied, ${r.lifted.length} lifted${r.failed.map((f) => `; service ${f.serviceId}: ${f.message}`).join('')}`);
    options.onChanged?.();
  };
  return startPeriodic({ name: 'usage caps', intervalMs: options.intervalMs ?? 15 * 60_000, run: tick, log });
}
