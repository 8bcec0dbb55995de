/**
 * Billing while suspended, set to pause (rules/suspension.ts has the rule and the mechanism): a
 * suspension that paused billing gives back, as it ends, the suspended days of the recurring
 * charges already billed for them. Runs in the transaction of the status change that ends it.
 */
import { cents } from '../../../shared/domain/money';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { createCreditMemo } from './credit-memos';
import { pausedRangesOfSubscription } from './due-reads';
import { deleteEmptyAutomaticInvoices, rerateInvoice } from './invoices';
import { addDays, type IsoDate } from './rules/dates';
import { suspendedDaysLabel, suspendedDaysOwed } from './rules/suspension';
import { dayOf } from './settings';

/**
 * Settles the paused suspensions of subscriptions that just left Suspended (by payment through
 * dunning, by hand, or cancelled): a credit memo per subscription for the suspended days of its
 * charges on closed invoices; charges on open invoices are re-rated to the days before the
 * suspension (the run bills the days after it). Nothing more on a second call.
 */
export async function settleSuspensionEnds(db: Db, subscriptionIds: readonly number[], actor: Actor, now: Date): Promise<void> {
  const today = dayOf(now);
  for (const subscriptionId of subscriptionIds) {
    const ranges = await pausedRangesOfSubscription(db, subscriptionId, today);
    if (ranges.length === 0) continue;
    const charges = await db
      .selectFrom('charges as c')
      .innerJoin('invoices as i', 'i.id', 'c.invoice_id')
      .leftJoin('services as sv', 'sv.id', 'c.service_id')
      .select(['c.id', 'c.invoice_id', 'c.description', 'c.period_start', 'c.period_end', 'c.amount_cents', 'i.status', 'sv.end_date'])
      .select((eb) =>
        eb.fn.coalesce(eb.selectFrom('credit_memo_lines as l').select((e) => e.fn.sum<number>('l.amount_cents').as('s')).whereRef('l.charge_id', '=', 'c.id'), eb.lit(0)).as('credited'),
      )
      .where('c.subscription_id', '=', subscriptionId)
      .where('c.kind', '=', 'recurring')
      .where('c.period_end', '>', ranges[0]!.start)
      .where('c.period_start', '<', ranges[ranges.length - 1]!.end)
      .orderBy('c.id')
      .execute();
    const openInvoices = new Set<number>();
    const lines: { chargeId: number; amountCents: number; description: string }[] = [];
    const labels = new Set<string>();
    // The suspension that just ended names the credit; earlier ones were settled when they ended.
    const latest = ranges.slice(-1);
    for (const c of charges) {
      if (c.status === 'open') {
        openInvoices.add(c.invoice_id);
        continue;
      }
      const period = { start: c.period_start as IsoDate, end: c.period_end as IsoDate };
      const owed = suspendedDaysOwed(
        { amount: cents(c.amount_cents), creditedAmount: cents(Number(c.credited)), periodStart: period.start, periodEnd: period.end },
        ranges,
        c.end_date ? addDays(c.end_date as IsoDate, 1) : null,
      );
      if (owed <= 0) continue;
      const label = suspendedDaysLabel(period, latest) ?? suspendedDaysLabel(period, ranges) ?? 'Suspended days';
      labels.add(label);
      lines.push({ chargeId: c.id, amountCents: owed, description: `${c.description}: ${label}` });
    }
    for (const invoiceId of openInvoices) await rerateInvoice(db, invoiceId);
    if (openInvoices.size > 0) await deleteEmptyAutomaticInvoices(db, [...openInvoices]);
    if (lines.length > 0) await createCreditMemo(db, { subscriptionId, reason: [...labels].join('; '), date: today, lines }, actor, now);
  }
}
