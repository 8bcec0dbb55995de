/**
 * A recurring service that ends inside a period it was already charged for in advance (DOMAIN.md,
 * "Proration": a partial period is charged or credited by the share of days used):
 * - on an open invoice the charge is re-rated to the days served, or removed when none are;
 * - on a closed invoice a credit memo gives back the unused days, prorated on the charge's own
 *   amount (what the subscriber was billed, whatever the price is now).
 * Settling again for the same end date credits nothing more: what a charge is owed back is
 * measured against everything already credited on it.
 */
import { ApiError } from '../../../shared/api/errors';
import { type Cents, cents } from '../../../shared/domain/money';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { createCreditMemo } from './credit-memos';
import { deleteEmptyAutomaticInvoices, rerateInvoice } from './invoices';
import { unusedDaysOwed } from './rules/credit';
import { addDays, type DateRange, daysBetween, longDate, maxDate, type IsoDate } from './rules/dates';
import { suspendedDaysOwed } from './rules/suspension';
import { pausedRangesOfSubscription } from './due-reads';
import { dayOf } from './settings';

/** Recurring charges of a service that reach past `endExclusive`, with what was credited on each. */
function chargesPast(db: Db, serviceId: number, endExclusive: IsoDate) {
  return db
    .selectFrom('charges as c')
    .innerJoin('invoices as i', 'i.id', 'c.invoice_id')
    .select(['c.id', 'c.invoice_id', 'c.period_start', 'c.period_end', 'c.amount_cents', 'i.status', 'i.number'])
    .select((eb) =>
      eb.fn.coalesce(eb.selectFrom('credit_memo_lines as l').select((e) => e.fn.sum<number>('l.amount_cents').as('s')).whereRef('l.charge_id', '=', 'c.id'), eb.lit(0)).as('credited'),
    )
    .where('c.service_id', '=', serviceId)
    .where('c.kind', '=', 'recurring')
    .where('c.period_end', '>', endExclusive)
    .execute();
}

export async function settleServiceEnds(db: Db, serviceIds: readonly number[], actor: Actor, now: Date): Promise<void> {
  if (serviceIds.length === 0) return;
  const services = await db
    .selectFrom('services')
    .select(['id', 'subscription_id', 'description', 'end_date'])
    .where('id', 'in', [...serviceIds])
    .where('rating_method', '=', 'recurring')
    .where('end_date', 'is not', null)
    .execute();
  const paused = new Map<number, DateRange[]>();
  for (const id of new Set(services.map((s) => s.subscription_id))) paused.set(id, await pausedRangesOfSubscription(db, id, dayOf(now)));
  const openInvoices = new Set<number>();
  const credits = new Map<number, { lines: { chargeId: number; amountCents: number }[]; ended: string[] }>();
  for (const s of services) {
    const lastDay = s.end_date as IsoDate;
    const endExclusive = addDays(lastDay, 1);
    for (const c of await chargesPast(db, s.id, endExclusive)) {
      if (c.status === 'open') {
        openInvoices.add(c.invoice_id);
        continue;
      }
      const start = c.period_start as IsoDate;
      const end = c.period_end as IsoDate;
      const credited = cents(Number(c.credited));
      let due: Cents;
      if (paused.get(s.subscription_id)?.length) {
        // Billing paused while suspended: the line's suspended days before the end are owed back
        // too, and a suspension credit already written counts against them (rules/suspension.ts).
        due = suspendedDaysOwed({ amount: cents(c.amount_cents), creditedAmount: credited, periodStart: start, periodEnd: end }, paused.get(s.subscription_id)!, endExclusive);
      } else {
        const lineDays = daysBetween(start, end);
        const unusedDays = daysBetween(maxDate(start, endExclusive), end);
        due = unusedDaysOwed({ amount: cents(c.amount_cents), creditedAmount: credited }, unusedDays, lineDays);
      }
      if (due <= 0) continue;
      const memo = credits.get(s.subscription_id) ?? { lines: [], ended: [] };
      memo.lines.push({ chargeId: c.id, amountCents: due });
      memo.ended.push(`${s.description} ended ${longDate(lastDay)}`);
      credits.set(s.subscription_id, memo);
    }
  }
  for (const invoiceId of openInvoices) await rerateInvoice(db, invoiceId);
  if (openInvoices.size > 0) await deleteEmptyAutomaticInvoices(db, [...openInvoices]);
  for (const [subscriptionId, memo] of credits) {
    const reason = `${[...new Set(memo.ended)].join('; ')}: unused days credited`;
    await createCreditMemo(db, { subscriptionId, reason, date: dayOf(now), lines: memo.lines }, actor, now);
  }
}

/**
 * Moving an end date later would serve again days a credit memo already gave back, which the
 * billing run would never charge a second time (it bills from the end of the last charged period):
 * refused, naming the document.
 */
export async function refuseEndAfterCredit(db: Db, serviceId: number, newLastDay: IsoDate | null): Promise<void> {
  const current = await db.selectFrom('services').select(['end_date']).where('id', '=', serviceId).executeTakeFirst();
  if (!current?.end_date) return;
  const currentLastDay = current.end_date as IsoDate;
  if (newLastDay !== null && newLastDay <= currentLastDay) return;
  const credited = await db
    .selectFrom('charges as c')
    .innerJoin('credit_memo_lines as l', 'l.charge_id', 'c.id')
    .innerJoin('credit_memos as m', 'm.id', 'l.credit_memo_id')
    .select(['m.number'])
    .where('c.service_id', '=', serviceId)
    .where('c.kind', '=', 'recurring')
    .where('c.period_end', '>', addDays(currentLastDay, 1))
    .executeTakeFirst();
  if (credited) {
    throw new ApiError(
      'refused',
      `The days after ${longDate(currentLastDay)} were credited on ${credited.number}; add a new service from the day after instead of extending this one.`,
      { endDate: `Days after ${currentLastDay} were credited` },
    );
  }
}
