/**
 * Writing what a move or a plan change worked out: the credits (a credit memo for closed lines,
 * open lines cut or removed) and the new charges on the subscription's open invoice. Both sides
 * come from the plan unchanged, so what is written is what the preview showed.
 */
import { ApiError } from '../../../shared/api/errors';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { createCreditMemo } from '../billing/credit-memos';
import { deleteEmptyAutomaticInvoices, openInvoiceFor } from '../billing/invoices';
import { recomputeInvoiceTotals } from '../billing/run';
import type { IsoDate } from '../billing/rules/dates';
import type { PlannedCharge } from './rules/plan';
import type { LineCredit } from './rules/settle';

export async function writeCredits(db: Db, subscriptionId: number, credits: LineCredit[], reason: string, today: IsoDate, actor: Actor, now: Date): Promise<string[]> {
  const touched = new Set<number>();
  for (const c of credits) {
    if (c.mode === 'credit-memo') continue;
    const row = await db.selectFrom('charges').select(['invoice_id', 'explanation']).where('id', '=', c.chargeId).executeTakeFirstOrThrow();
    touched.add(row.invoice_id);
    if (c.mode === 'remove-open') await db.deleteFrom('charges').where('id', '=', c.chargeId).execute();
    else {
      const left = c.remaining!;
      await db
        .updateTable('charges')
        .set({ amount_cents: left.amount, tax_cents: left.tax, period_end: left.periodEnd, explanation: `${row.explanation}; ${c.explanation}` })
        .where('id', '=', c.chargeId)
        .execute();
    }
  }
  if (touched.size > 0) await deleteEmptyAutomaticInvoices(db, [...touched]);
  const memoLines = credits.filter((c) => c.mode === 'credit-memo');
  if (memoLines.length === 0) return [];
  const memo = await createCreditMemo(db, { subscriptionId, reason, date: today, lines: memoLines.map((c) => ({ chargeId: c.chargeId, amountCents: c.amountCents })) }, actor, now);
  const expected = memoLines.reduce((a, c) => a + c.amountCents + c.taxCents, 0);
  // The memo is rated by the same credit rules as the preview; a difference is a bug, never written.
  if (memo.totalCents !== expected) throw new ApiError('internal', `The credit memo came to ${memo.totalCents} where the preview showed ${expected}.`);
  return [memo.number];
}

export interface ChargeTarget {
  serviceId: number | null;
  accountPackageId: number | null;
}

export async function writeCharges(db: Db, subscriptionId: number, charges: PlannedCharge[], where: (c: PlannedCharge) => ChargeTarget, now: Date): Promise<number | null> {
  if (charges.length === 0) return null;
  const invoiceId = await openInvoiceFor(db, subscriptionId, now);
  const stamp = now.toISOString();
  await db
    .insertInto('charges')
    .values(
      charges.map((c) => {
        const target = where(c);
        return {
          invoice_id: invoiceId,
          subscription_id: subscriptionId,
          service_id: target.serviceId,
          account_package_id: target.accountPackageId,
          plan_id: c.planId,
          kind: c.kind === 'recurring' ? 'recurring' : c.kind === 'one-time' ? 'one-time' : 'manual',
          description: c.description,
          explanation: c.explanation,
          period_start: c.periodStart,
          period_end: c.periodEnd,
          quantity: c.quantity,
          unit_price_cents: c.unitPrice,
          amount_cents: c.amount,
          tax_rate_percent: c.taxRatePercent,
          tax_cents: c.tax,
          created_at: stamp,
        };
      }),
    )
    .execute();
  await recomputeInvoiceTotals(db, [invoiceId]);
  return invoiceId;
}
