import { sql } from 'kysely';
import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { scheduledChange, scheduledChangeInput } from '../../../shared/api/services';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { isDue } from './scheduled-rules';
import type { IsoDate } from '../../../shared/domain/types';
import { changePlanProrated } from '../moves/plan-change';
import { incompatibility } from '../moves/rules/compatibility';
import { getService, scheduledChangesOf, writeService } from './services';

type ScheduledChange = z.output<typeof scheduledChange>;
type ChangeInput = z.output<typeof scheduledChangeInput>;

/** The calendar day of an instant, in UTC: the day the back office considers "today". */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

async function getChange(db: Db, id: number): Promise<ScheduledChange> {
  const row = await db.selectFrom('scheduled_changes').select('service_id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Scheduled change ${id} does not exist.`);
  return (await scheduledChangesOf(db, [row.service_id], false)).find((c) => c.id === id)!;
}

export async function listScheduledChanges(db: Db, serviceId: number): Promise<ScheduledChange[]> {
  await getService(db, serviceId);
  return scheduledChangesOf(db, [serviceId], false);
}

export async function scheduleChange(db: Db, input: { serviceId: number; effectiveDate: string; change: ChangeInput }, actor: Actor, now: Date): Promise<ScheduledChange> {
  const service = await getService(db, input.serviceId);
  if (service.status === 'Archived') throw fieldError('serviceId', 'An archived service cannot be changed');
  if (input.effectiveDate <= isoDay(now)) throw fieldError('effectiveDate', 'Schedule a change for a future date; to change it today, edit the service');
  const c = input.change;
  if (c.kind === 'plan') {
    const plan = await db.selectFrom('plans').select(['kind', 'name', 'active', 'access_technology']).where('id', '=', c.planId).executeTakeFirst();
    if (!plan) throw fieldError('change.planId', `No plan ${c.planId}`);
    if (!plan.active) throw fieldError('change.planId', `${plan.name} is retired and no longer offered`);
    if (plan.kind !== service.planKind) throw fieldError('change.planId', `${plan.name} is a ${plan.kind} plan; this service is ${service.planKind}`);
    // The same compatibility as a plan change today: a wireless service never becomes dial-up.
    const current = await db.selectFrom('plans').select(['name', 'kind', 'access_technology']).where('id', '=', service.planId).executeTakeFirstOrThrow();
    const clash = incompatibility({ name: current.name, kind: current.kind, accessTechnology: current.access_technology }, { name: plan.name, kind: plan.kind, accessTechnology: plan.access_technology });
    if (clash) throw fieldError('change.planId', `Access technology: ${clash.reason}`);
  }
  if (c.kind === 'discount' && c.end !== null && c.end < c.start) throw fieldError('change.end', 'The discount ends before it starts');
  const { id } = await db
    .insertInto('scheduled_changes')
    .values({
      service_id: input.serviceId,
      effective_date: input.effectiveDate,
      kind: c.kind,
      new_plan_id: c.kind === 'plan' ? c.planId : null,
      new_price_cents: c.kind === 'price' ? c.priceCents : null,
      new_status: c.kind === 'status' ? c.status : null,
      discount_percent: c.kind === 'discount' ? c.percent : null,
      discount_start: c.kind === 'discount' ? c.start : null,
      discount_end: c.kind === 'discount' ? c.end : null,
      created_at: now.toISOString(),
      created_by_name: actor.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getChange(db, id);
}

export async function cancelScheduledChange(db: Db, id: number, actor: Actor): Promise<ScheduledChange> {
  const change = await getChange(db, id);
  if (change.state !== 'pending') throw new ApiError('refused', `This change was already ${change.state}.`);
  await db.updateTable('scheduled_changes').set({ state: 'cancelled', outcome: `Cancelled by ${actor.name}` }).where('id', '=', id).execute();
  return getChange(db, id);
}

/**
 * Applies every pending change dated `today` or earlier, oldest first, so a day the app was
 * closed is caught up on the next start. A change that can no longer apply (its service was
 * archived, its plan is now of another kind, its address was taken) is closed with the reason
 * instead of blocking the rest. Runs inside the caller's transaction.
 */
export async function applyDueScheduledChanges(db: Db, today: string, now: Date = new Date()): Promise<{ applied: number; failed: number }> {
  const due = await db.selectFrom('scheduled_changes').selectAll().where('state', '=', 'pending').where('effective_date', '<=', today).orderBy('effective_date').orderBy('id').execute();
  let applied = 0;
  let failed = 0;
  for (const c of due) {
    if (!isDue(c.effective_date, today)) continue;
    // A savepoint per change: one that cannot apply is undone alone, and the rest still apply.
    await sql`savepoint scheduled_change`.execute(db);
    try {
      const service = await getService(db, c.service_id);
      if (service.status === 'Archived') throw new ApiError('refused', 'The service was archived');
      switch (c.kind) {
        case 'plan': {
          const plan = await db.selectFrom('plans').select(['kind', 'name', 'pay_period_months']).where('id', '=', c.new_plan_id!).executeTakeFirstOrThrow();
          if (plan.kind !== service.planKind) throw new ApiError('refused', `${plan.name} is a ${plan.kind} plan; the service is ${service.planKind}`);
          // Prorated on its own date like an immediate change that day (unused old days credited,
          // the new plan charged), also when caught up after the app was closed on that date.
          const actor: Actor = { staffId: null, name: `${c.created_by_name} (scheduled)` };
          await changePlanProrated(db, { id: c.service_id, planId: c.new_plan_id!, keepPrice: false }, actor, now, { day: c.effective_date as IsoDate });
          break;
        }
        case 'price':
          await writeService(db, c.service_id, { priceCents: c.new_price_cents }, now);
          break;
        case 'status':
          await writeService(db, c.service_id, { status: c.new_status as never }, now);
          break;
        case 'discount':
          await writeService(db, c.service_id, { discountPercent: c.discount_percent, discountStart: c.discount_start, discountEnd: c.discount_end }, now);
          break;
      }
      await db.updateTable('scheduled_changes').set({ state: 'applied', applied_at: now.toISOString(), outcome: `Applied on ${today}` }).where('id', '=', c.id).execute();
      await sql`release scheduled_change`.execute(db);
      applied += 1;
    } catch (error) {
      await sql`rollback to scheduled_change`.execute(db);
      await sql`release scheduled_change`.execute(db);
      if (!(error instanceof ApiError)) throw error;
      await db.updateTable('scheduled_changes').set({ state: 'cancelled', outcome: `Could not apply: ${error.message}` }).where('id', '=', c.id).execute();
      failed += 1;
    }
  }
  return { applied, failed };
}

/** At back-end start: catch up the changes that fell due while the app was closed, in one transaction. */
export async function catchUpScheduledChanges(db: Db, now: Date): Promise<{ applied: number; failed: number }> {
  return db.transaction().execute((trx) => applyDueScheduledChanges(trx, isoDay(now), now));
}
