/**
 * Credit memos: new documents with negative lines that reverse all or part of charges on closed
 * invoices (the charges themselves never change). Numbered from their own unbroken sequence.
 */
import type { z } from 'zod';
import type { creditMemo } from '../../../shared/api/billing';
import { ApiError } from '../../../shared/api/errors';
import { cents, formatMoney, sumCents } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { nextSequenceValue } from '../db/sequences';
import { CreditError, type CreditLine, creditByAmount, creditInFull } from './rules/credit';
import { documentNumber, moneyFormat } from './settings';

type CreditMemo = z.output<typeof creditMemo>;

export const CREDIT_MEMO_SEQUENCE = 'credit_memo_number';

export interface CreditMemoRequest {
  subscriptionId: number;
  reason: string;
  date: IsoDate;
  /** `description`: what the line says instead of the charge's own description (e.g. the suspended days it gives back). */
  lines: { chargeId: number; amountCents?: number | undefined; description?: string }[];
}

export async function createCreditMemo(db: Db, req: CreditMemoRequest, actor: Actor, now: Date): Promise<CreditMemo> {
  const sub = await db.selectFrom('subscriptions').select('id').where('id', '=', req.subscriptionId).executeTakeFirst();
  if (!sub) throw new ApiError('not_found', `Subscription ${req.subscriptionId} does not exist.`, { subscriptionId: `No subscription ${req.subscriptionId}` });
  const seen = new Set<number>();
  const lines: (CreditLine & { chargeId: number; description: string })[] = [];
  for (const [i, line] of req.lines.entries()) {
    const field = `lines.${i}.chargeId`;
    if (seen.has(line.chargeId)) throw new ApiError('validation', 'A charge is listed twice.', { [field]: 'Listed twice' });
    seen.add(line.chargeId);
    const charge = await db
      .selectFrom('charges as c')
      .innerJoin('invoices as i', 'i.id', 'c.invoice_id')
      .select(['c.id', 'c.description', 'c.amount_cents', 'c.tax_cents', 'c.tax_rate_percent', 'c.subscription_id', 'i.status', 'i.number'])
      .select((eb) => [
        eb.fn.coalesce(eb.selectFrom('credit_memo_lines as l').select((e) => e.fn.sum<number>('l.amount_cents').as('s')).whereRef('l.charge_id', '=', 'c.id'), eb.lit(0)).as('credited_amount'),
        eb.fn.coalesce(eb.selectFrom('credit_memo_lines as l').select((e) => e.fn.sum<number>('l.tax_cents').as('s')).whereRef('l.charge_id', '=', 'c.id'), eb.lit(0)).as('credited_tax'),
      ])
      .where('c.id', '=', line.chargeId)
      .executeTakeFirst();
    if (!charge || charge.subscription_id !== req.subscriptionId) throw new ApiError('validation', `Charge ${line.chargeId} is not a charge of this subscription.`, { [field]: 'Not a charge of this subscription' });
    if (charge.status !== 'closed') {
      throw new ApiError('validation', 'Only charges on closed invoices are credited; on an open invoice, remove or re-rate the charge instead.', { [field]: 'On an open invoice' });
    }
    const creditable = {
      amount: cents(charge.amount_cents),
      tax: cents(charge.tax_cents),
      taxRatePercent: charge.tax_rate_percent,
      creditedAmount: cents(Number(charge.credited_amount)),
      creditedTax: cents(Number(charge.credited_tax)),
    };
    let credit: CreditLine;
    try {
      credit = line.amountCents === undefined ? creditInFull(creditable) : creditByAmount(creditable, cents(line.amountCents));
    } catch (e) {
      if (e instanceof CreditError) {
        const money = e.overLimit ? await moneyFormat(db) : null;
        const message = e.overLimit && money ? `Only ${formatMoney(e.overLimit.left, money)} of this charge is left to credit; ${formatMoney(e.overLimit.asked, money)} was asked.` : e.message;
        throw new ApiError('validation', message, { [line.amountCents === undefined ? field : `lines.${i}.amountCents`]: message });
      }
      throw e;
    }
    if (credit.amount === 0 && credit.tax === 0) throw new ApiError('validation', `Charge "${charge.description}" on ${charge.number} is already fully credited.`, { [field]: 'Already fully credited' });
    lines.push({ ...credit, chargeId: charge.id, description: line.description ?? charge.description });
  }
  const subtotal = -sumCents(lines.map((l) => l.amount));
  const tax = -sumCents(lines.map((l) => l.tax));
  const number = documentNumber('CM', await nextSequenceValue(db, CREDIT_MEMO_SEQUENCE));
  const memo = await db
    .insertInto('credit_memos')
    .values({
      subscription_id: req.subscriptionId,
      number,
      issue_date: req.date,
      reason: req.reason,
      subtotal_cents: subtotal,
      tax_cents: tax,
      total_cents: subtotal + tax,
      created_at: now.toISOString(),
      created_by_name: actor.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('credit_memo_lines')
    .values(lines.map((l) => ({ credit_memo_id: memo.id, charge_id: l.chargeId, description: l.description, amount_cents: l.amount, tax_rate_percent: l.taxRatePercent, tax_cents: l.tax })))
    .execute();
  return getCreditMemo(db, memo.id);
}

async function memosWhere(db: Db, filter: { id?: number; subscriptionId?: number }): Promise<CreditMemo[]> {
  let q = db.selectFrom('credit_memos').selectAll();
  if (filter.id !== undefined) q = q.where('id', '=', filter.id);
  if (filter.subscriptionId !== undefined) q = q.where('subscription_id', '=', filter.subscriptionId);
  const memos = await q.orderBy('issue_date', 'desc').orderBy('id', 'desc').execute();
  if (memos.length === 0) return [];
  const lines = await db
    .selectFrom('credit_memo_lines as l')
    .innerJoin('charges as c', 'c.id', 'l.charge_id')
    .innerJoin('invoices as i', 'i.id', 'c.invoice_id')
    .select(['l.id', 'l.credit_memo_id', 'l.charge_id', 'c.invoice_id', 'i.number', 'l.description', 'l.amount_cents', 'l.tax_rate_percent', 'l.tax_cents'])
    .where('l.credit_memo_id', 'in', memos.map((m) => m.id))
    .orderBy('l.id')
    .execute();
  return memos.map((m) => ({
    id: m.id,
    subscriptionId: m.subscription_id,
    number: m.number,
    issueDate: m.issue_date,
    reason: m.reason,
    subtotalCents: m.subtotal_cents,
    taxCents: m.tax_cents,
    totalCents: m.total_cents,
    createdBy: m.created_by_name,
    lines: lines
      .filter((l) => l.credit_memo_id === m.id)
      .map((l) => ({
        id: l.id,
        chargeId: l.charge_id,
        invoiceId: l.invoice_id,
        invoiceNumber: l.number ?? '',
        description: l.description,
        amountCents: l.amount_cents,
        taxRatePercent: l.tax_rate_percent,
        taxCents: l.tax_cents,
      })),
  }));
}

export async function getCreditMemo(db: Db, id: number): Promise<CreditMemo> {
  const [memo] = await memosWhere(db, { id });
  if (!memo) throw new ApiError('not_found', `Credit memo ${id} does not exist.`);
  return memo;
}

export function listCreditMemos(db: Db, subscriptionId: number): Promise<CreditMemo[]> {
  return memosWhere(db, { subscriptionId });
}
