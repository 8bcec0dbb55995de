/**
 * Billing while suspended (billing setting "While suspended"): "keep" bills suspended days like any
 * other (the default, as most ISPs do); "pause" gives back the suspended days of each recurring
 * charge, prorated by days like any partial period: the charge's own amount × suspended days / the
 * line's days, rounded once (proration.ts, the one rule in shared/domain/money.ts: half away from
 * zero to the minor unit). Monthly $30.00 over a 30-day period, suspended 10 days: $10.00 back,
 * $20.00 paid.
 */
import { cents, type Cents } from '../../../../shared/domain/money';
import { unusedDaysOwed } from './credit';
import { compareDates, daysBetween, overlapDays, type DateRange, type IsoDate } from './dates';

export const WHILE_SUSPENDED = ['keep', 'pause'] as const;
export type WhileSuspended = (typeof WHILE_SUSPENDED)[number];

export interface StatusChange {
  /** The status the subscription entered. */
  toStatus: string;
  /** The calendar day it entered it (UTC, like every billing date). */
  day: IsoDate;
}

/**
 * The half-open day ranges a subscription spent Suspended, from its status history in order. A
 * suspension starts on the day it was recorded; the day it ends is served again (billed). A
 * suspension still running ends at `until` (exclusive).
 */
export function suspendedRanges(history: readonly StatusChange[], until: IsoDate): DateRange[] {
  const ranges: DateRange[] = [];
  let from: IsoDate | null = null;
  for (const change of history) {
    if (change.toStatus === 'Suspended') {
      from ??= change.day;
    } else if (from !== null) {
      if (compareDates(change.day, from) > 0) ranges.push({ start: from, end: change.day });
      from = null;
    }
  }
  if (from !== null && compareDates(until, from) > 0) ranges.push({ start: from, end: until });
  return ranges;
}

/** Days of a charge's period that fall in the suspended ranges (ranges never overlap each other). */
export function suspendedDaysIn(period: DateRange, ranges: readonly DateRange[]): number {
  let days = 0;
  for (const r of ranges) days += overlapDays(period, r);
  return days;
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
 * What a recurring charge still owes back for its suspended days (a positive amount, or 0): the
 * prorated share of all its suspended days less what was already credited on it, so settling the
 * same suspension twice gives back nothing more.
 */
export function suspendedDaysOwed(charge: SuspendableCharge, ranges: readonly DateRange[]): Cents {
  const lineDays = daysBetween(charge.periodStart, charge.periodEnd);
  if (lineDays <= 0) return cents(0);
  const days = suspendedDaysIn({ start: charge.periodStart, end: charge.periodEnd }, ranges);
  if (days === 0) return cents(0);
  return unusedDaysOwed({ amount: charge.amount, creditedAmount: charge.creditedAmount }, days, lineDays);
}
