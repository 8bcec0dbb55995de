/**
 * Proration by days (DOMAIN.md, "Proration"): a partial period costs the full price times the share
 * of the full period's actual days it covers (a 17-day slice of a 30-day November is 17/30; of a
 * 31-day month 17/31). Rounded once, with the one rule in shared/domain/money.ts.
 */
import { fromDecimal, toDecimal, type Cents } from '../../../../shared/domain/money';
import type Decimal from 'decimal.js';
import { daysBetween, type IsoDate } from './dates';
import type { BillingPeriod } from './periods';

/** Days used out of the days of the full period, kept as two integers so nothing is divided early. */
export interface DayShare {
  usedDays: number;
  fullDays: number;
}

export function dayShare(period: BillingPeriod): DayShare {
  const usedDays = daysBetween(period.start, period.end);
  const fullDays = daysBetween(period.fullStart, period.fullEnd);
  checkShare({ usedDays, fullDays });
  return { usedDays, fullDays };
}

function checkShare({ usedDays, fullDays }: DayShare): void {
  if (!Number.isInteger(usedDays) || !Number.isInteger(fullDays) || fullDays <= 0 || usedDays < 0 || usedDays > fullDays) {
    throw new RangeError(`Cannot prorate ${usedDays} days of a ${fullDays}-day period.`);
  }
}

/** The unrounded prorated amount, in minor units, for callers that round later (rating). */
export function prorateExact(fullPrice: Cents, share: DayShare): Decimal {
  checkShare(share);
  return toDecimal(fullPrice).times(share.usedDays).div(share.fullDays);
}

/** fullPrice × usedDays / fullDays, rounded once. */
export function prorate(fullPrice: Cents, share: DayShare): Cents {
  return fromDecimal(prorateExact(fullPrice, share));
}

export function proratePeriod(fullPrice: Cents, period: BillingPeriod): Cents {
  return prorate(fullPrice, dayShare(period));
}

/**
 * Splits a full period's price at a day (e.g. a package move date): [fullStart, at) and [at, fullEnd).
 * Each part is its own invoice line and is rounded on its own, so the two may sum to one minor
 * unit more or less than the full price (each rounding moves at most half a unit).
 */
export function splitAt(fullPrice: Cents, full: { fullStart: IsoDate; fullEnd: IsoDate }, at: IsoDate): [before: Cents, after: Cents] {
  const fullDays = daysBetween(full.fullStart, full.fullEnd);
  const before = daysBetween(full.fullStart, at);
  if (before < 0 || before > fullDays) throw new RangeError(`${at} is not within ${full.fullStart} – ${full.fullEnd}.`);
  return [prorate(fullPrice, { usedDays: before, fullDays }), prorate(fullPrice, { usedDays: fullDays - before, fullDays })];
}
