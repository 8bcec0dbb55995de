/**
 * Billing while suspended (billing setting "While suspended"): "keep" bills suspended days like any
 * other (the default, as most ISPs do); "pause" bills only the days served: a recurring charge is
 * prorated by days like any partial period (proration.ts): the charge's own amount × days / the
 * line's days, rounded once (the one rule in shared/domain/money.ts: half away from zero to the
 * minor unit). Monthly $30.00 over a 30-day period, suspended 10 days: $10.00 back, $20.00 paid.
 *
 * How the engine applies it:
 * - Which suspensions pause billing: those that began while the setting was "pause" (migration
 *   2150 marks them). Switching the setting later changes neither those nor earlier ones.
 * - Already billed (in advance) when the suspension began: when the suspension ends (reactivated
 *   by a payment or credit through dunning, by hand, or the subscription cancelled while
 *   suspended), in the same transaction as the status change, a charge on a closed invoice gets a
 *   credit memo line for its suspended days (credit.ts: the line's tax rule on the credited amount,
 *   capped at the tax left), and one on an open invoice is re-rated to the days before the
 *   suspension (the billing run bills the days after it).
 * - Not yet billed: the billing run (and its preview, which reads the same rows) bills a period
 *   minus its suspended days: each served part is its own prorated line, and a suspension still
 *   running counts as suspended from its first day on, so a subscription suspended on the run date
 *   is billed nothing past its suspension, and the days after it are billed by the first run after
 *   reactivation. Nothing is billed and credited both, so a run and its preview agree.
 * - What a line owes back is measured against everything already credited on it, its suspended
 *   days together with the days past its service's end (service-ends.ts): settling the same
 *   suspension twice gives nothing more, and a later end date credits only the days still owed.
 *
 * Rounding bound: each recurring line is rounded once when billed and its total credit is rounded
 * once (the cumulative share, less what was credited), so a service's billed − credited differs
 * from the exact daily rate × days served by at most one minor unit per line (half a unit each).
 */
import { cents, type Cents } from '../../../../shared/domain/money';
import { unusedDaysOwed } from './credit';
import { addDays, compareDates, dateParts, daysBetween, maxDate, MONTHS, minDate, overlapDays, type DateRange, type IsoDate } from './dates';
import type { BillingPeriod } from './periods';

export const WHILE_SUSPENDED = ['keep', 'pause'] as const;
export type WhileSuspended = (typeof WHILE_SUSPENDED)[number];

/** A suspension still running, for billing: suspended from its first day on, with no end yet. */
export const STILL_SUSPENDED = '9999-12-31' as IsoDate;

export interface StatusChange {
  /** The status the subscription entered. */
  toStatus: string;
  /** The calendar day it entered it (UTC, like every billing date). */
  day: IsoDate;
  /** On an entry into Suspended: it began while billing was set to pause. */
  paused?: boolean;
}

/**
 * The half-open day ranges a subscription spent Suspended, from its status history in order. A
 * suspension starts on the day it was recorded; the day it ends is served again (billed). A
 * suspension still running ends at `until` (exclusive).
 */
export function suspendedRanges(history: readonly StatusChange[], until: IsoDate): DateRange[] {
  return rangesOf(history, until, () => true);
}

/** The suspended ranges whose suspension began paused (what billing gives back or leaves unbilled). */
export function pausedRanges(history: readonly StatusChange[], until: IsoDate): DateRange[] {
  return rangesOf(history, until, (first) => first.paused === true);
}

function rangesOf(history: readonly StatusChange[], until: IsoDate, keep: (first: StatusChange) => boolean): DateRange[] {
  const ranges: DateRange[] = [];
  let first: StatusChange | null = null;
  const close = (end: IsoDate) => {
    if (first && keep(first) && compareDates(end, first.day) > 0) ranges.push({ start: first.day, end });
    first = null;
  };
  for (const change of history) {
    if (change.toStatus === 'Suspended') first ??= change;
    else close(change.day);
  }
  close(until);
  return ranges;
}

/** Days of a charge's period that fall in the suspended ranges (ranges never overlap each other). */
export function suspendedDaysIn(period: DateRange, ranges: readonly DateRange[]): number {
  let days = 0;
  for (const r of ranges) days += overlapDays(period, r);
  return days;
}

/**
 * The parts of a billing period outside the suspended ranges, oldest first, each keeping the full
 * period it belongs to, so each is prorated by its own days (proration.ts) like any partial period.
 */
export function servedParts(period: BillingPeriod, ranges: readonly DateRange[]): BillingPeriod[] {
  const parts: BillingPeriod[] = [];
  let from = period.start;
  const sorted = [...ranges].sort((a, b) => compareDates(a.start, b.start));
  for (const r of sorted) {
    if (compareDates(r.end, from) <= 0) continue;
    if (compareDates(r.start, period.end) >= 0) break;
    if (compareDates(r.start, from) > 0) parts.push({ ...period, start: from, end: r.start });
    from = maxDate(from, r.end);
    if (compareDates(from, period.end) >= 0) return parts;
  }
  if (compareDates(from, period.end) < 0) parts.push({ ...period, start: from, end: period.end });
  return parts;
}

export interface SuspendableCharge {
  amount: Cents;
  /** Sum of the credits already written against the charge (opposite sign, or 0). */
  creditedAmount: Cents;
  periodStart: IsoDate;
  /** Exclusive. */
  periodEnd: IsoDate;
}

/**
 * What a recurring charge still owes back for its days not served (a positive amount, or 0): its
 * suspended days, and with `servedUntil` (the exclusive end of its service) the days from then
 * on, as the prorated share of the line's own amount less everything already credited on it, so
 * settling the same suspension (or end date) twice gives back nothing more.
 */
export function suspendedDaysOwed(charge: SuspendableCharge, ranges: readonly DateRange[], servedUntil: IsoDate | null = null): Cents {
  const lineDays = daysBetween(charge.periodStart, charge.periodEnd);
  if (lineDays <= 0) return cents(0);
  const servedEnd = servedUntil === null ? charge.periodEnd : maxDate(charge.periodStart, minDate(charge.periodEnd, servedUntil));
  const days = daysBetween(servedEnd, charge.periodEnd) + suspendedDaysIn({ start: charge.periodStart, end: servedEnd }, ranges);
  if (days === 0) return cents(0);
  return unusedDaysOwed({ amount: charge.amount, creditedAmount: charge.creditedAmount }, days, lineDays);
}

/** "10–19 Nov", "21 Nov–10 Dec", "21 Dec 2026–10 Jan 2027": a range by its first and last day. */
export function dayRangeLabel(range: DateRange): string {
  const a = dateParts(range.start);
  const b = dateParts(addDays(range.end, -1));
  const month = (m: number) => MONTHS[m - 1]!;
  if (a.year !== b.year) return `${a.day} ${month(a.month)} ${a.year}–${b.day} ${month(b.month)} ${b.year}`;
  if (a.month !== b.month) return `${a.day} ${month(a.month)}–${b.day} ${month(b.month)}`;
  if (a.day === b.day) return `${a.day} ${month(a.month)}`;
  return `${a.day}–${b.day} ${month(a.month)}`;
}

/**
 * What a credit for a suspension says on the credit memo and the statement: "Suspended 10–19 Nov:
 * 10 of 30 days", the suspended days the line covered out of its days; null when none.
 */
export function suspendedDaysLabel(period: DateRange, ranges: readonly DateRange[]): string | null {
  const parts: string[] = [];
  let days = 0;
  for (const r of ranges) {
    const overlap = { start: maxDate(period.start, r.start), end: minDate(period.end, r.end) };
    if (compareDates(overlap.start, overlap.end) >= 0) continue;
    parts.push(dayRangeLabel(overlap));
    days += daysBetween(overlap.start, overlap.end);
  }
  if (days === 0) return null;
  return `Suspended ${parts.join(', ')}: ${days} of ${daysBetween(period.start, period.end)} days`;
}
