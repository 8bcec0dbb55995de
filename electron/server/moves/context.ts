/**
 * Reads what a package move or a plan change is worked out from (rules/plan.ts): the subscription's
 * bill day, the services with their plans, what each was billed, the target's products, contracts
 * and profile questions. Reading only; the rules are pure and the writes live in moves.ts.
 */
import { cents } from '../../../shared/domain/money';
import type { Db } from '../db/open';
import { toBillable } from '../billing/due';
import { pausedRangesOfSubscription, serviceQuery } from '../billing/due-reads';
import type { DateRange, IsoDate } from '../billing/rules/dates';
import type { ContractTerm } from './rules/contract';
import type { BilledLine } from './rules/settle';
import { ONE_TIME_DIFFERENCE, type SourceService, type TargetProduct } from './rules/plan';

/** Recurring lines of these services ending after `from`, with what was credited on each. */
export async function billedLines(db: Db, serviceIds: number[], from: IsoDate, accountPackageId: number | null): Promise<BilledLine[]> {
  if (serviceIds.length === 0) return [];
  let q = db
    .selectFrom('charges as c')
    .innerJoin('invoices as i', 'i.id', 'c.invoice_id')
    .select(['c.id', 'c.service_id', 'c.description', 'c.period_start', 'c.period_end', 'c.amount_cents', 'c.tax_cents', 'c.tax_rate_percent', 'i.status', 'i.number'])
    .select((eb) => [
      eb.fn.coalesce(eb.selectFrom('credit_memo_lines as l').select((e) => e.fn.sum<number>('l.amount_cents').as('s')).whereRef('l.charge_id', '=', 'c.id'), eb.lit(0)).as('credited_amount'),
      eb.fn.coalesce(eb.selectFrom('credit_memo_lines as l').select((e) => e.fn.sum<number>('l.tax_cents').as('s')).whereRef('l.charge_id', '=', 'c.id'), eb.lit(0)).as('credited_tax'),
    ])
    .where('c.service_id', 'in', serviceIds)
    .where('c.kind', '=', 'recurring')
    .where('c.period_end', '>', from);
  if (accountPackageId !== null) q = q.where((eb) => eb.or([eb('c.account_package_id', '=', accountPackageId), eb('c.account_package_id', 'is', null)]));
  const rows = await q.orderBy('c.service_id').orderBy('c.period_start').orderBy('c.id').execute();
  return rows.map((r) => ({
    chargeId: r.id,
    serviceId: r.service_id,
    description: r.description,
    invoiceStatus: r.status as BilledLine['invoiceStatus'],
    invoiceNumber: r.number,
    periodStart: r.period_start as IsoDate,
    periodEnd: r.period_end as IsoDate,
    amount: cents(r.amount_cents),
    tax: cents(r.tax_cents),
    taxRatePercent: r.tax_rate_percent,
    creditedAmount: cents(Number(r.credited_amount)),
    creditedTax: cents(Number(r.credited_tax)),
  }));
}

/** The services as the move rules see them: billing state, plan traits, identity, profile answers. */
export async function sourceServices(db: Db, where: { accountPackageId: number } | { serviceId: number }, from: IsoDate): Promise<SourceService[]> {
  let q = serviceQuery(db)
    .leftJoin('package_products as pp', 'pp.id', 'sv.package_product_id')
    .select(['sv.status', 'sv.login', 'sv.ipv4_address', 'p.name as plan_name', 'p.kind as plan_kind', 'p.access_technology', 'pp.name as product_name']);
  q = 'accountPackageId' in where ? q.where('sv.account_package_id', '=', where.accountPackageId) : q.where('sv.id', '=', where.serviceId);
  const rows = await q.orderBy('sv.id').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [through, oneTime, answers, lines] = await Promise.all([
    db.selectFrom('charges').select(['service_id', (eb) => eb.fn.max('period_end').as('through')]).where('service_id', 'in', ids).where('kind', '=', 'recurring').groupBy('service_id').execute(),
    // What a one-time product stands at: its charge plus any differences charged by earlier moves.
    db
      .selectFrom('charges')
      .select(['service_id', (eb) => eb.fn.sum<number>('amount_cents').as('amount_cents')])
      .where('service_id', 'in', ids)
      .where((eb) => eb.or([eb('kind', '=', 'one-time'), eb.and([eb('kind', '=', 'manual'), eb('description', 'like', `%${ONE_TIME_DIFFERENCE}`)])]))
      .groupBy('service_id')
      .execute(),
    db
      .selectFrom('service_profile_answers as a')
      .innerJoin('profile_questions as q', 'q.id', 'a.question_id')
      .select(['a.service_id', 'a.question_id', 'q.label', 'a.answer'])
      .where('a.service_id', 'in', ids)
      .orderBy('q.position')
      .orderBy('q.id')
      .execute(),
    billedLines(db, ids, from, 'accountPackageId' in where ? where.accountPackageId : null),
  ]);
  // Suspended days that pause billing, up to `from`: what a line gives back counts them with its unused days.
  const paused = new Map<number, DateRange[]>();
  for (const subscriptionId of new Set(rows.map((r) => r.subscription_id))) {
    paused.set(subscriptionId, await pausedRangesOfSubscription(db, subscriptionId, from));
  }
  return rows.map((r) => ({
    id: r.id,
    description: r.description,
    productName: r.product_name,
    plan: { name: r.plan_name, kind: r.plan_kind, accessTechnology: r.access_technology },
    status: r.status,
    billable: toBillable(r),
    billedThrough: (through.find((t) => t.service_id === r.id)?.through as IsoDate | null | undefined) ?? null,
    oneTimeChargedCents: (() => {
      const o = oneTime.find((x) => x.service_id === r.id);
      return o ? Number(o.amount_cents) : null;
    })(),
    login: r.login,
    ipv4Address: r.ipv4_address,
    lines: lines.filter((l) => l.serviceId === r.id),
    paused: paused.get(r.subscription_id) ?? [],
    answers: answers.filter((a) => a.service_id === r.id).map((a) => ({ questionId: a.question_id, label: a.label, answer: a.answer })),
  }));
}

export async function targetProducts(db: Db, packageId: number): Promise<TargetProduct[]> {
  const rows = await db
    .selectFrom('package_products as pp')
    .leftJoin('plans as pl', 'pl.id', 'pp.plan_id')
    .leftJoin('tax_classes as t', 't.id', 'pl.tax_class_id')
    .select(['pp.id', 'pp.name', 'pp.rating_method', 'pp.plan_id', 'pp.price_cents', 'pp.min_quantity', 'pp.unit', 'pl.name as plan_name', 'pl.kind', 'pl.access_technology', 'pl.pay_period_months', 't.rate_percent'])
    .where('pp.package_id', '=', packageId)
    .orderBy('pp.position')
    .orderBy('pp.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    ratingMethod: r.rating_method as TargetProduct['ratingMethod'],
    planId: r.plan_id,
    plan: r.plan_id !== null && r.plan_name !== null && r.kind !== null ? { name: r.plan_name, kind: r.kind, accessTechnology: r.access_technology } : null,
    priceCents: r.price_cents,
    minQuantity: r.min_quantity,
    unit: r.unit,
    payPeriodMonths: r.pay_period_months ?? 1,
    taxRatePercent: r.rate_percent ?? null,
  }));
}

/** The contract of an account package, running from its own start (or the start kept across a move). */
export async function contractOf(db: Db, accountPackageId: number): Promise<ContractTerm | null> {
  const r = await db
    .selectFrom('account_packages as ap')
    .innerJoin('contracts as c', 'c.id', 'ap.contract_id')
    .select(['c.id', 'c.name', 'c.term_months', 'c.cancellation_fee_cents', 'ap.start_date', 'ap.contract_start_date'])
    .where('ap.id', '=', accountPackageId)
    .executeTakeFirst();
  if (!r) return null;
  return { contractId: r.id, name: r.name, startDate: (r.contract_start_date ?? r.start_date) as IsoDate, termMonths: r.term_months, feeCents: r.cancellation_fee_cents };
}

/** The contract a package offers (its first). */
export async function packageContract(db: Db, packageId: number): Promise<Omit<ContractTerm, 'startDate'> | null> {
  const r = await db.selectFrom('contracts').select(['id', 'name', 'term_months', 'cancellation_fee_cents']).where('package_id', '=', packageId).orderBy('id').executeTakeFirst();
  return r ? { contractId: r.id, name: r.name, termMonths: r.term_months, feeCents: r.cancellation_fee_cents } : null;
}
