/**
 * Invoices: open while charges may still be added, re-rated or removed; closing numbers them from an
 * unbroken sequence (the counter moves inside the closing transaction, so a failed close gives its
 * number back), sets the due date from the payment terms and freezes them (the database refuses
 * later changes, see migration 0400).
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { invoice, invoiceSummary } from '../../../shared/api/billing';
import { ApiError } from '../../../shared/api/errors';
import { Dec, cents } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import type { Db } from '../db/open';
import { nextSequenceValue } from '../db/sequences';
import { oneTimeCharge } from './rules/charges';
import { addDays, type IsoDate as Day } from './rules/dates';
import { duePeriods } from './rules/periods';
import { rateCharge } from './rules/rating';
import { invoiceTotals, lineTax } from './rules/tax';
import { toBillable } from './due';
import { pausedRangesOfSubscription, serviceQuery } from './due-reads';
import { STILL_SUSPENDED, servedParts } from './rules/suspension';
import { recomputeInvoiceTotals } from './run';
import { dayOf, documentNumber, dueDateFor, getBillingSettings, moneyFormat } from './settings';

type Invoice = z.output<typeof invoice>;
type InvoiceSummary = z.output<typeof invoiceSummary>;

export const INVOICE_SEQUENCE = 'invoice_number';

/** Paid and credited sums per invoice, computed by the database from allocations and credit lines. */
export function invoiceSummaryQuery(db: Db) {
  return db
    .selectFrom('invoices as i')
    .innerJoin('subscriptions as s', 's.id', 'i.subscription_id')
    .select([
      'i.id',
      'i.subscription_id',
      's.name as subscription_name',
      's.unique_id',
      'i.status',
      'i.number',
      'i.issue_date',
      'i.due_date',
      'i.subtotal_cents',
      'i.tax_cents',
      'i.total_cents',
      'i.created_at',
      sql<number>`coalesce((select sum(a.amount_cents) from payment_allocations a where a.invoice_id = i.id), 0)`.as('paid_cents'),
      sql<number>`coalesce((select -sum(l.amount_cents + l.tax_cents) from credit_memo_lines l join charges c on c.id = l.charge_id where c.invoice_id = i.id), 0)`.as('credited_cents'),
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof invoiceSummaryQuery>['executeTakeFirstOrThrow']>>;

export function toInvoiceSummary(r: SummaryRow): InvoiceSummary {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    subscriptionName: r.subscription_name,
    uniqueId: r.unique_id,
    status: r.status as InvoiceSummary['status'],
    number: r.number,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    subtotalCents: r.subtotal_cents,
    taxCents: r.tax_cents,
    totalCents: r.total_cents,
    paidCents: r.paid_cents,
    creditedCents: r.credited_cents,
    openBalanceCents: r.total_cents - r.credited_cents - r.paid_cents,
    createdAt: r.created_at,
  };
}

export async function getInvoice(db: Db, id: number): Promise<Invoice> {
  const row = await invoiceSummaryQuery(db).where('i.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Invoice ${id} does not exist.`);
  const [charges, payments] = await Promise.all([
    db
      .selectFrom('charges as c')
      .selectAll('c')
      .select(sql<number>`coalesce((select sum(l.amount_cents) from credit_memo_lines l where l.charge_id = c.id), 0)`.as('credited_cents'))
      .where('c.invoice_id', '=', id)
      .orderBy('c.service_id')
      .orderBy('c.period_start')
      .orderBy('c.id')
      .execute(),
    db
      .selectFrom('payment_allocations as a')
      .innerJoin('payments as p', 'p.id', 'a.payment_id')
      .select(['p.id', 'p.number', 'p.received_date', 'a.amount_cents'])
      .where('a.invoice_id', '=', id)
      .orderBy('p.received_date')
      .orderBy('p.id')
      .execute(),
  ]);
  const totals = invoiceTotals(charges.map((c) => ({ amount: cents(c.amount_cents), tax: cents(c.tax_cents), taxRatePercent: c.tax_rate_percent })));
  return {
    ...toInvoiceSummary(row),
    charges: charges.map((c) => ({
      id: c.id,
      invoiceId: c.invoice_id,
      serviceId: c.service_id,
      accountPackageId: c.account_package_id,
      kind: c.kind as Invoice['charges'][number]['kind'],
      description: c.description,
      explanation: c.explanation,
      periodStart: c.period_start,
      periodLast: c.period_end ? addDays(c.period_end as Day, -1) : c.kind === 'recurring' ? null : c.period_start,
      quantity: c.quantity,
      unitPriceCents: c.unit_price_cents,
      amountCents: c.amount_cents,
      taxRatePercent: c.tax_rate_percent,
      taxCents: c.tax_cents,
      creditedCents: c.credited_cents,
    })),
    taxes: totals.taxes.map((t) => ({ ratePercent: t.ratePercent, taxableCents: t.taxable, taxCents: t.tax })),
    payments: payments.map((p) => ({ paymentId: p.id, number: p.number, receivedDate: p.received_date, amountCents: p.amount_cents })),
  };
}

export async function listInvoicesOfSubscription(db: Db, subscriptionId: number): Promise<InvoiceSummary[]> {
  const rows = await invoiceSummaryQuery(db).where('i.subscription_id', '=', subscriptionId).orderBy('i.id', 'desc').execute();
  return rows.map(toInvoiceSummary);
}

export async function listOpenInvoices(db: Db, page: number, pageSize: number): Promise<{ rows: InvoiceSummary[]; total: number }> {
  const [rows, count] = await Promise.all([
    invoiceSummaryQuery(db).where('i.status', '=', 'open').orderBy('i.id').limit(pageSize).offset((page - 1) * pageSize).execute(),
    db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toInvoiceSummary), total: Number(count.n) };
}

export async function requireOpenInvoice(db: Db, id: number): Promise<{ id: number; subscription_id: number; auto_created: number }> {
  const inv = await db.selectFrom('invoices').select(['id', 'subscription_id', 'status', 'number', 'auto_created']).where('id', '=', id).executeTakeFirst();
  if (!inv) throw new ApiError('not_found', `Invoice ${id} does not exist.`);
  if (inv.status !== 'open') throw new ApiError('refused', `Invoice ${inv.number} is closed and can no longer change; issue a credit memo instead.`);
  return inv;
}

/** The subscription's newest open invoice, or a new one (created automatically, so removed again if left empty). */
export async function openInvoiceFor(db: Db, subscriptionId: number, now: Date): Promise<number> {
  const open = await db.selectFrom('invoices').select('id').where('subscription_id', '=', subscriptionId).where('status', '=', 'open').orderBy('id', 'desc').executeTakeFirst();
  if (open) return open.id;
  const made = await db
    .insertInto('invoices')
    .values({ subscription_id: subscriptionId, status: 'open', auto_created: 1, created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return made.id;
}

export interface ManualCharge {
  subscriptionId: number;
  invoiceId?: number;
  description: string;
  unitPriceCents: number;
  quantity: string;
  taxRatePercent: string | null;
}

export async function addManualCharge(db: Db, input: ManualCharge, now: Date): Promise<Invoice> {
  const sub = await db.selectFrom('subscriptions').select('id').where('id', '=', input.subscriptionId).executeTakeFirst();
  if (!sub) throw new ApiError('not_found', `Subscription ${input.subscriptionId} does not exist.`, { subscriptionId: `No subscription ${input.subscriptionId}` });
  let invoiceId: number;
  if (input.invoiceId) {
    const inv = await requireOpenInvoice(db, input.invoiceId);
    if (inv.subscription_id !== input.subscriptionId) throw new ApiError('validation', 'That invoice belongs to another subscription.', { invoiceId: 'Belongs to another subscription' });
    invoiceId = inv.id;
  } else {
    invoiceId = await openInvoiceFor(db, input.subscriptionId, now);
  }
  const money = await moneyFormat(db);
  const day = dayOf(now);
  const rated = rateCharge({ kind: 'one-time', description: input.description, unitPrice: cents(input.unitPriceCents), quantity: input.quantity, date: day }, money);
  await db
    .insertInto('charges')
    .values({
      invoice_id: invoiceId,
      subscription_id: input.subscriptionId,
      kind: 'manual',
      description: input.description,
      explanation: rated.explanation,
      period_start: day,
      quantity: new Dec(input.quantity).toFixed(),
      unit_price_cents: input.unitPriceCents,
      amount_cents: rated.amount,
      tax_rate_percent: input.taxRatePercent,
      tax_cents: lineTax(rated.amount, input.taxRatePercent),
      created_at: now.toISOString(),
    })
    .execute();
  await recomputeInvoiceTotals(db, [invoiceId]);
  return getInvoice(db, invoiceId);
}

export async function removeCharge(db: Db, chargeId: number): Promise<Invoice> {
  const charge = await db.selectFrom('charges').select(['id', 'invoice_id']).where('id', '=', chargeId).executeTakeFirst();
  if (!charge) throw new ApiError('not_found', `Charge ${chargeId} does not exist.`);
  await requireOpenInvoice(db, charge.invoice_id);
  await db.deleteFrom('charges').where('id', '=', chargeId).execute();
  await recomputeInvoiceTotals(db, [charge.invoice_id]);
  return getInvoice(db, charge.invoice_id);
}

/**
 * Re-rates the service charges of an open invoice from the services as they are now (price, quantity,
 * discount, dates, tax rate). A recurring charge keeps its period start; if the service no longer
 * covers that period the charge is removed. One-time charges move to the service's start date.
 */
export async function rerateInvoice(db: Db, invoiceId: number): Promise<void> {
  await requireOpenInvoice(db, invoiceId);
  const charges = await db
    .selectFrom('charges')
    .select(['id', 'service_id', 'kind', 'period_start', 'account_package_id', 'plan_id'])
    .where('invoice_id', '=', invoiceId)
    .where('service_id', 'is not', null)
    .execute();
  if (charges.length === 0) return;
  const money = await moneyFormat(db);
  const serviceIds = [...new Set(charges.map((c) => c.service_id!))];
  const services = new Map((await serviceQuery(db).where('sv.id', 'in', serviceIds).execute()).map((r) => [r.id, toBillable(r)]));
  const sub = await db
    .selectFrom('invoices as i')
    .innerJoin('subscriptions as s', 's.id', 'i.subscription_id')
    .select(['s.bill_day', 's.id as subscription_id'])
    .where('i.id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  // Suspensions that pause billing: a recurring line keeps only its served part (rules/suspension.ts).
  const paused = await pausedRangesOfSubscription(db, sub.subscription_id, STILL_SUSPENDED);
  for (const c of charges) {
    const service = services.get(c.service_id!);
    if (!service) continue;
    // A line of the package or plan the service left (a package move or a prorated plan change,
    // moves/) was settled when it left: it is not the service's to re-rate any more.
    if (c.kind !== 'manual' && ((c.account_package_id ?? null) !== service.accountPackageId || (c.plan_id !== null && c.plan_id !== service.planId))) continue;
    if (c.kind === 'recurring') {
      const start = c.period_start as Day;
      const [whole] = duePeriods({
        billDay: sub.bill_day,
        payPeriodMonths: service.payPeriodMonths as 1,
        serviceStart: service.startDate,
        serviceEnd: service.endDate ? addDays(service.endDate, 1) : null,
        asOf: start,
        billedThrough: start,
      });
      const period = whole && paused.length ? servedParts(whole, paused).find((p) => p.start === start) : whole;
      if (!period || period.start !== start || service.ratingMethod !== 'recurring') {
        await db.deleteFrom('charges').where('id', '=', c.id).execute();
        continue;
      }
      const rated = rateCharge({ kind: 'recurring', description: service.description, unitPrice: service.unitPrice, quantity: service.quantity, discount: service.discount, period }, money);
      await db
        .updateTable('charges')
        .set({
          description: service.description,
          explanation: rated.explanation,
          period_end: period.end,
          quantity: service.quantity,
          unit_price_cents: service.unitPrice,
          amount_cents: rated.amount,
          tax_rate_percent: service.taxRatePercent,
          tax_cents: lineTax(rated.amount, service.taxRatePercent),
          plan_id: service.planId,
        })
        .where('id', '=', c.id)
        .execute();
    } else if (c.kind === 'one-time') {
      const n = oneTimeCharge(service, service.startDate, money);
      await db
        .updateTable('charges')
        .set({
          description: n.description,
          explanation: n.explanation,
          period_start: n.periodStart,
          quantity: n.quantity,
          unit_price_cents: n.unitPrice,
          amount_cents: n.amount,
          tax_rate_percent: n.taxRatePercent,
          tax_cents: n.tax,
          plan_id: n.planId,
        })
        .where('id', '=', c.id)
        .execute();
    }
  }
  await recomputeInvoiceTotals(db, [invoiceId]);
}

/** Totals of the given open invoices from their charges; those created by a run and left without lines are deleted. */
export async function deleteEmptyAutomaticInvoices(db: Db, invoiceIds: number[]): Promise<void> {
  await recomputeInvoiceTotals(db, invoiceIds);
  await db
    .deleteFrom('invoices as i')
    .where('i.id', 'in', invoiceIds)
    .where('i.status', '=', 'open')
    .where('i.auto_created', '=', 1)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('charges as c').select('c.id').whereRef('c.invoice_id', '=', 'i.id'))))
    .execute();
}

export async function closeInvoice(db: Db, id: number, date: IsoDate, now: Date): Promise<Invoice> {
  await requireOpenInvoice(db, id);
  const count = await db.selectFrom('charges').select((eb) => eb.fn.countAll<number>().as('n')).where('invoice_id', '=', id).executeTakeFirstOrThrow();
  if (Number(count.n) === 0) throw new ApiError('refused', 'An invoice without charges cannot be closed.');
  const settings = await getBillingSettings(db);
  await recomputeInvoiceTotals(db, [id]);
  const number = documentNumber('INV', await nextSequenceValue(db, INVOICE_SEQUENCE));
  await db
    .updateTable('invoices')
    .set({ status: 'closed', number, issue_date: date, due_date: dueDateFor(date, settings.paymentTermsDays), closed_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
  return getInvoice(db, id);
}

/** Closes every open invoice that has charges, oldest first, so numbers follow creation order. */
export async function closeAllOpenInvoices(db: Db, date: IsoDate, now: Date): Promise<number> {
  const settings = await getBillingSettings(db);
  const open = await db
    .selectFrom('invoices as i')
    .select('i.id')
    .where('i.status', '=', 'open')
    .where((eb) => eb.exists(eb.selectFrom('charges as c').select('c.id').whereRef('c.invoice_id', '=', 'i.id')))
    .orderBy('i.id')
    .execute();
  const due = dueDateFor(date, settings.paymentTermsDays);
  for (const { id } of open) {
    const number = documentNumber('INV', await nextSequenceValue(db, INVOICE_SEQUENCE));
    await db.updateTable('invoices').set({ status: 'closed', number, issue_date: date, due_date: due, closed_at: now.toISOString() }).where('id', '=', id).execute();
  }
  return open.length;
}
