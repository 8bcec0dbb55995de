/**
 * Rating one charge line: unit price × quantity × proration share − discount, rounded ONCE at the
 * end (shared/domain/money.ts). The whole line is one fraction with a single division,
 *
 *   amount = price × quantity × (100·usedDays − percent·discountDays) / (100·fullDays)
 *
 * so no intermediate is rounded, and the explanation says in words how the amount came about.
 */
import type Decimal from 'decimal.js';
import { Dec, cents, formatMoney, fromDecimal, toDecimal, type Cents, type MoneyFormat } from '../../../../shared/domain/money';
import { addDays, longDate, overlapDays, shortDate, type IsoDate } from './dates';
import { parsePercent } from './percent';
import type { BillingPeriod } from './periods';
import { dayShare } from './proration';

export interface Discount {
  /** "20" for 20%. */
  percent: string;
  /** First discounted day; null or absent: from the beginning. */
  start?: IsoDate | null;
  /** LAST discounted day, inclusive; null or absent: no end. */
  end?: IsoDate | null;
}

interface ChargeBase {
  /** What the line is for, e.g. the plan name "Gold 50/10". */
  description: string;
  /** Price of one unit for one full pay period (recurring) or once (one-time). */
  unitPrice: Cents;
  /** Decimal text or number ("2.5"); 1 when absent. */
  quantity?: Decimal.Value;
  discount?: Discount | null;
}

/** A recurring charge for one billing period, possibly partial (prorated by days). */
export interface RecurringCharge extends ChargeBase {
  kind: 'recurring';
  period: BillingPeriod;
}

/** A one-time charge on a date: the discount applies in full if the date is in its window. */
export interface OneTimeCharge extends ChargeBase {
  kind: 'one-time';
  date: IsoDate;
}

export type Charge = RecurringCharge | OneTimeCharge;

export interface RatedLine {
  amount: Cents;
  /** A sentence staff can read out, e.g. "Gold 50/10: 17 of 30 days (Nov 14 – Nov 30) × $45.00 = $25.50". */
  explanation: string;
}

export function rateCharge(charge: Charge, money: MoneyFormat): RatedLine {
  const quantity = new Dec(charge.quantity ?? 1);
  if (!quantity.isFinite() || quantity.isNeg()) throw new RangeError(`The quantity of "${charge.description}" must be zero or more.`);
  const discountPercent = charge.discount ? parsePercent(charge.discount.percent) : new Dec(0);
  const window = charge.discount ? discountWindow(charge.discount) : null;

  const { usedDays, fullDays, discountDays } =
    charge.kind === 'recurring'
      ? { ...dayShare(charge.period), discountDays: window ? overlapDays(charge.period, window) : 0 }
      : { usedDays: 1, fullDays: 1, discountDays: window && charge.date >= window.start && charge.date < window.end ? 1 : 0 };

  const base = toDecimal(charge.unitPrice).times(quantity);
  const denominator = new Dec(100).times(fullDays);
  // A whole period without discount is exactly price × quantity: the same value without dividing
  // (the common case in a billing run, where a 50-digit division is the costliest step).
  const whole = usedDays === fullDays && discountDays === 0;
  const exact = whole ? base : base.times(new Dec(100).times(usedDays).minus(discountPercent.times(discountDays))).div(denominator);
  const amount = fromDecimal(exact);

  // The parts are shown for reading only; the amount above is the one rounding.
  const money$ = (c: Cents) => formatMoney(c, money);
  const shown = (d: Decimal) => (d.isInteger() ? '' : '≈') + money$(fromDecimal(d));
  const gross = usedDays === fullDays ? base : base.times(usedDays).div(fullDays);
  const discount = discountDays === 0 ? new Dec(0) : base.times(discountPercent).times(discountDays).div(denominator);
  const priced = quantity.eq(1) ? money$(charge.unitPrice) : `${quantity.toFixed()} × ${money$(charge.unitPrice)}`;

  let text: string;
  if (charge.kind === 'recurring') {
    const { start, end } = charge.period;
    const last = addDays(end, -1);
    // Within one year the month and day say it; a range across years (a quarterly plan from
    // December, a yearly one) names the years, or "Nov 1 – Oct 31" reads as going backwards.
    const range = start.slice(0, 4) === last.slice(0, 4) ? `${shortDate(start)} – ${shortDate(last)}` : `${longDate(start)} – ${longDate(last)}`;
    text = usedDays === fullDays
      ? `${charge.description}: ${range} (full period) ${priced}${quantity.eq(1) ? '' : ` = ${shown(gross)}`}`
      : `${charge.description}: ${usedDays} of ${fullDays} days (${range}) × ${priced} = ${shown(gross)}`;
    if (discountDays > 0) text += `; ${discountPercent.toFixed()}% discount on ${discountDays} ${discountDays === 1 ? 'day' : 'days'} −${shown(discount)}`;
  } else {
    text = `${charge.description}: one-time ${priced}${quantity.eq(1) ? '' : ` = ${shown(gross)}`}`;
    if (discountDays > 0) text += `; ${discountPercent.toFixed()}% discount −${shown(discount)}`;
  }
  if (discountDays > 0) text += `; line total ${money$(amount)}`;
  return { amount: cents(amount), explanation: text };
}

/** The discount window as a half-open range; an open end is pushed past any real date. */
function discountWindow(d: Discount): { start: IsoDate; end: IsoDate } {
  const start = d.start ?? ('0001-01-01' as IsoDate);
  const end = d.end && d.end < '9999-12-31' ? addDays(d.end, 1) : ('9999-12-31' as IsoDate);
  if (end <= start) throw new RangeError(`The discount ends (${d.end}) before it starts (${d.start}).`);
  return { start, end };
}
