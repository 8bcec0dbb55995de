/**
 * Changing one service's plan today, prorated like a package move: the unused days already billed
 * at the old price are given back (rules/settle.ts), days before today not yet billed are billed at
 * the old price, and the new plan is charged from today through what was already billed (or to the
 * next bill day). Only a compatible plan is accepted (same kind; for Internet, a compatible access
 * technology); the refusal names the field.
 */
import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { planChangePreview } from '../../../shared/api/moves';
import { cents, type MoneyFormat } from '../../../shared/domain/money';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { chargesDue } from '../billing/rules/charges';
import { addDays, compareDates, longDate, type IsoDate } from '../billing/rules/dates';
import { billingStartDate, dayOf, moneyFormat } from '../billing/settings';
import { changePlan, writeService } from '../services/services';
import { sourceServices } from './context';
import { incompatibility } from './rules/compatibility';
import { type PlannedCharge, plannedFrom, type SourceService, unbilledBefore } from './rules/plan';
import { type LineCredit, creditsFrom } from './rules/settle';
import { writeCharges, writeCredits } from './write';

type Preview = z.output<typeof planChangePreview>;

interface Worked {
  service: SourceService;
  accountPackageId: number | null;
  toPlanName: string;
  description: string;
  payPeriodMonths: number;
  credits: LineCredit[];
  charges: PlannedCharge[];
  netCents: number;
}


/** Pure: what changing `service` to the new price and plan on `day` credits and charges. */
export function workPlanChange(service: SourceService, to: { planId: number; description: string; unitPriceCents: number; payPeriodMonths: number; taxRatePercent: string | null }, day: IsoDate, billDay: number, money: MoneyFormat, notBefore: IsoDate | null): { credits: LineCredit[]; charges: PlannedCharge[] } {
  if (service.billable.ratingMethod !== 'recurring') return { credits: [], charges: [] };
  const credits = creditsFrom(service.lines, day, money, service.paused);
  const { gap, through } = unbilledBefore(service, day, billDay, money, notBefore);
  const horizon = through && compareDates(addDays(through, -1), day) > 0 ? addDays(through, -1) : day;
  const fresh = chargesDue(
    { ...service.billable, planId: to.planId, description: to.description, unitPrice: cents(to.unitPriceCents), payPeriodMonths: to.payPeriodMonths, taxRatePercent: to.taxRatePercent, startDate: compareDates(service.billable.startDate, day) > 0 ? service.billable.startDate : day },
    billDay,
    { billedThrough: null, oneTimeCharged: false },
    horizon,
    money,
    notBefore,
  );
  return { credits, charges: [...gap, ...fresh].map((c) => plannedFrom(c, { serviceId: c.serviceId, addedIndex: null, productId: null, onTarget: true })) };
}

/** `day`: the day the change takes effect (today, or a scheduled change's date, also one caught up late). */
interface ChangeInput {
  id: number;
  planId: number;
  keepPrice: boolean;
}

async function work(db: Db, input: ChangeInput, day: IsoDate, scheduled: boolean): Promise<Worked> {
  const [service] = await sourceServices(db, { serviceId: input.id }, day);
  if (!service) throw new ApiError('not_found', `Service ${input.id} does not exist.`);
  const row = await db
    .selectFrom('services as sv')
    .innerJoin('subscriptions as s', 's.id', 'sv.subscription_id')
    .select(['sv.account_package_id', 'sv.plan_id', 'sv.price_cents', 's.bill_day'])
    .where('sv.id', '=', input.id)
    .executeTakeFirstOrThrow();
  const plan = await db
    .selectFrom('plans as p')
    .leftJoin('tax_classes as t', 't.id', 'p.tax_class_id')
    .select(['p.id', 'p.name', 'p.kind', 'p.access_technology', 'p.active', 'p.price_cents', 'p.pay_period_months', 't.rate_percent'])
    .where('p.id', '=', input.planId)
    .executeTakeFirst();
  if (!plan) throw fieldError('planId', `No plan ${input.planId}`);
  // A scheduled change was checked when scheduled; retiring the plan since stops new sales, not it.
  if (!plan.active && !scheduled) throw fieldError('planId', `${plan.name} is retired and no longer offered`);
  if (plan.id === row.plan_id) throw fieldError('planId', `The service is already on ${plan.name}`);
  const clash = incompatibility(service.plan, { name: plan.name, kind: plan.kind, accessTechnology: plan.access_technology });
  if (clash) throw new ApiError('validation', `${clash.field === 'kind' ? 'Plan kind' : 'Access technology'}: ${clash.reason}`, { planId: `${clash.field === 'kind' ? 'Plan kind' : 'Access technology'}: ${clash.reason}`, [clash.field]: clash.reason });
  const description = service.description === service.plan.name ? plan.name : service.description;
  const unitPriceCents = input.keepPrice ? service.billable.unitPrice : plan.price_cents;
  const { credits, charges } = workPlanChange(service, { planId: plan.id, description, unitPriceCents, payPeriodMonths: plan.pay_period_months, taxRatePercent: plan.rate_percent ?? null }, day, row.bill_day, await moneyFormat(db), await billingStartDate(db));
  const net = charges.reduce((a, c) => a + c.amount + c.tax, 0) - credits.reduce((a, c) => a + c.amountCents + c.taxCents, 0);
  return { service, accountPackageId: row.account_package_id, toPlanName: plan.name, description, payPeriodMonths: plan.pay_period_months, credits, charges, netCents: net };
}

export async function previewPlanChange(db: Db, input: ChangeInput, now: Date): Promise<Preview> {
  const w = await work(db, input, dayOf(now), false);
  return {
    serviceId: w.service.id,
    fromPlanName: w.service.plan.name,
    toPlanName: w.toPlanName,
    date: dayOf(now),
    credits: w.credits.map(({ remaining: _r, ...c }) => c),
    charges: w.charges.map((c) => ({ kind: c.kind, serviceId: c.serviceId, productId: null, description: c.description, periodStart: c.periodStart, periodEnd: c.periodEnd, amountCents: c.amount, taxRatePercent: c.taxRatePercent, taxCents: c.tax, explanation: c.explanation })),
    netCents: w.netCents,
  };
}

/**
 * The plan change with its proration, in the caller's transaction. `on` is a scheduled change's
 * date: it is prorated on that day exactly as an immediate change made that day would have been.
 */
export async function changePlanProrated(db: Db, input: ChangeInput, actor: Actor, now: Date, on?: { day: IsoDate }) {
  const day = on?.day ?? dayOf(now);
  const w = await work(db, input, day, on !== undefined);
  const changed = on
    ? await writeService(db, input.id, { planId: input.planId, description: w.description, payPeriodMonths: w.payPeriodMonths, ...(!input.keepPrice && { priceCents: null }) }, now)
    : await changePlan(db, input.id, input.planId, input.keepPrice, now);
  const subscriptionId = changed.subscriptionId;
  await writeCredits(db, subscriptionId, w.credits, `${w.service.description}: plan changed from ${w.service.plan.name} to ${w.toPlanName} on ${longDate(day)}: unused days credited`, day, actor, now);
  await writeCharges(db, subscriptionId, w.charges, (c) => ({ serviceId: c.serviceId, accountPackageId: w.accountPackageId }), now);
  return changed;
}
