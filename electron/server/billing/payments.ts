/**
 * Payments: money received, allocated to closed invoices oldest-due first unless staff say where it
 * goes (rules/allocation.ts); what is left is account credit. Refunds give back part of a payment's
 * unallocated credit. Nothing is ever edited: mistakes are corrected with new documents.
 */
import type { z } from 'zod';
import type { payment, refund } from '../../../shared/api/billing';
import { ApiError } from '../../../shared/api/errors';
import { cents } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { nextSequenceValue } from '../db/sequences';
import { invoiceSummaryQuery, toInvoiceSummary } from './invoices';
import { type OpenInvoice, allocatePayment } from './rules/allocation';
import { documentNumber } from './settings';

type Payment = z.output<typeof payment>;
type Refund = z.output<typeof refund>;
type Method = Payment['method'];

export const PAYMENT_SEQUENCE = 'payment_number';

/** Closed invoices of a subscription that still have something to pay. */
export async function unpaidInvoices(db: Db, subscriptionId: number): Promise<OpenInvoice[]> {
  const rows = await invoiceSummaryQuery(db).where('i.subscription_id', '=', subscriptionId).where('i.status', '=', 'closed').execute();
  return rows
    .map(toInvoiceSummary)
    .filter((i) => i.openBalanceCents > 0)
    .map((i) => ({ id: i.id, number: i.number ?? '', dueDate: i.dueDate as IsoDate, openBalance: cents(i.openBalanceCents) }));
}

export interface PaymentRequest {
  subscriptionId: number;
  method: Method;
  receivedDate: IsoDate;
  amountCents: number;
  reference: string | null;
  notes: string | null;
  allocations?: { invoiceId: number; amountCents: number }[] | undefined;
}

export async function recordPayment(db: Db, req: PaymentRequest, actor: Actor, now: Date): Promise<Payment> {
  const sub = await db.selectFrom('subscriptions').select('id').where('id', '=', req.subscriptionId).executeTakeFirst();
  if (!sub) throw new ApiError('not_found', `Subscription ${req.subscriptionId} does not exist.`, { subscriptionId: `No subscription ${req.subscriptionId}` });
  const open = await unpaidInvoices(db, req.subscriptionId);
  const requested = req.allocations?.map((a) => ({ invoiceId: a.invoiceId, amount: cents(a.amountCents) }));
  const plan = allocatePayment(cents(req.amountCents), open, requested);
  if (!plan.ok) {
    const index = plan.invoiceId === null ? -1 : (req.allocations ?? []).findIndex((a) => a.invoiceId === plan.invoiceId);
    throw new ApiError('validation', plan.message, { [index >= 0 ? `allocations.${index}.amountCents` : 'allocations']: plan.message });
  }
  const number = documentNumber('PAY', await nextSequenceValue(db, PAYMENT_SEQUENCE));
  const made = await db
    .insertInto('payments')
    .values({
      subscription_id: req.subscriptionId,
      number,
      method: req.method,
      received_date: req.receivedDate,
      amount_cents: req.amountCents,
      reference: req.reference,
      notes: req.notes,
      created_at: now.toISOString(),
      created_by_name: actor.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (plan.allocations.length) {
    await db
      .insertInto('payment_allocations')
      .values(plan.allocations.map((a) => ({ payment_id: made.id, invoice_id: Number(a.invoiceId), amount_cents: a.amount, allocated_at: now.toISOString() })))
      .execute();
  }
  return getPayment(db, made.id);
}

async function paymentsWhere(db: Db, filter: { id?: number; subscriptionId?: number }): Promise<Payment[]> {
  let q = db.selectFrom('payments').selectAll();
  if (filter.id !== undefined) q = q.where('id', '=', filter.id);
  if (filter.subscriptionId !== undefined) q = q.where('subscription_id', '=', filter.subscriptionId);
  const payments = await q.orderBy('received_date', 'desc').orderBy('id', 'desc').execute();
  if (payments.length === 0) return [];
  const ids = payments.map((p) => p.id);
  const [allocations, refunds] = await Promise.all([
    db
      .selectFrom('payment_allocations as a')
      .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
      .select(['a.payment_id', 'a.invoice_id', 'i.number', 'a.amount_cents'])
      .where('a.payment_id', 'in', ids)
      .orderBy('a.id')
      .execute(),
    db.selectFrom('refunds').select(['payment_id', 'amount_cents']).where('payment_id', 'in', ids).execute(),
  ]);
  return payments.map((p) => {
    const mine = allocations.filter((a) => a.payment_id === p.id);
    const allocated = mine.reduce((s, a) => s + a.amount_cents, 0);
    const refunded = refunds.filter((r) => r.payment_id === p.id).reduce((s, r) => s + r.amount_cents, 0);
    return {
      id: p.id,
      subscriptionId: p.subscription_id,
      number: p.number,
      method: p.method as Method,
      receivedDate: p.received_date,
      amountCents: p.amount_cents,
      reference: p.reference,
      notes: p.notes,
      allocations: mine.map((a) => ({ invoiceId: a.invoice_id, invoiceNumber: a.number ?? '', amountCents: a.amount_cents })),
      unallocatedCents: p.amount_cents - allocated - refunded,
      refundedCents: refunded,
      createdBy: p.created_by_name,
    };
  });
}

export async function getPayment(db: Db, id: number): Promise<Payment> {
  const [p] = await paymentsWhere(db, { id });
  if (!p) throw new ApiError('not_found', `Payment ${id} does not exist.`);
  return p;
}

export function listPayments(db: Db, subscriptionId: number): Promise<Payment[]> {
  return paymentsWhere(db, { subscriptionId });
}

export interface RefundRequest {
  paymentId: number;
  amountCents: number;
  date: IsoDate;
  method: Method;
  reference: string | null;
  reason: string;
}

export async function refundPayment(db: Db, req: RefundRequest, actor: Actor, now: Date): Promise<Refund> {
  const p = await getPayment(db, req.paymentId);
  if (req.amountCents > p.unallocatedCents) {
    const message = p.unallocatedCents > 0 ? `Only ${p.unallocatedCents} cents of this payment are unallocated credit.` : 'All of this payment is allocated to invoices or already refunded.';
    throw new ApiError('validation', message, { amountCents: message });
  }
  if (req.date < p.receivedDate) throw new ApiError('validation', 'A refund cannot come before the payment.', { date: 'Before the payment was received' });
  const made = await db
    .insertInto('refunds')
    .values({
      subscription_id: p.subscriptionId,
      payment_id: p.id,
      refund_date: req.date,
      amount_cents: req.amountCents,
      method: req.method,
      reference: req.reference,
      reason: req.reason,
      created_at: now.toISOString(),
      created_by_name: actor.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: made.id, paymentId: p.id, refundDate: req.date, amountCents: req.amountCents, method: req.method, reference: req.reference, reason: req.reason };
}
