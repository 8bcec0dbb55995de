/**
 * Which charges a subscriber service owes as of a date (DOMAIN.md, "Package", "Bill day"):
 * - recurring: every period due since what is already billed, in advance, prorated by days when
 *   partial (rules/periods.ts), with the discount on the days inside its window;
 * - one-time and prepaid usage: once, on the service's start date (when its package starts).
 * Each line is rated and taxed with the one rounding rule (rules/rating.ts, rules/tax.ts).
 */
import type { Cents, MoneyFormat } from '../../../../shared/domain/money';
import { addDays, compareDates, type DateRange, type IsoDate } from './dates';
import { type BillingPeriod, checkBillDay, checkPayPeriod, duePeriods, isPartial } from './periods';
import { type Discount, rateCharge } from './rating';
import { servedParts } from './suspension';
import { lineTax } from './tax';

/** The last day a date can name (the calendar rules stop at year 9999). */
const LAST_DAY = '9999-12-31' as IsoDate;

export type RatingMethod = 'recurring' | 'one-time' | 'prepaid-usage';

export interface BillableService {
  id: number;
  subscriptionId: number;
  accountPackageId: number | null;
  planId: number | null;
  description: string;
  quantity: string;
  unitPrice: Cents;
  payPeriodMonths: number;
  ratingMethod: RatingMethod;
  startDate: IsoDate;
  /** The LAST day of service, inclusive (like discount ends); null: indefinite. */
  endDate: IsoDate | null;
  discount: Discount | null;
  taxRatePercent: string | null;
}

export interface BillingState {
  /** Exclusive end of the last recurring period already charged; null if none. */
  billedThrough: IsoDate | null;
  oneTimeCharged: boolean;
  /**
   * Days of suspensions that pause billing (rules/suspension.ts), a running one up to
   * STILL_SUSPENDED: billed periods leave them out. Absent or empty: every day is billed.
   */
  paused?: readonly DateRange[];
}

export interface NewCharge {
  serviceId: number;
  subscriptionId: number;
  accountPackageId: number | null;
  planId: number | null;
  kind: 'recurring' | 'one-time';
  description: string;
  explanation: string;
  periodStart: IsoDate | null;
  /** Exclusive. */
  periodEnd: IsoDate | null;
  quantity: string;
  unitPrice: Cents;
  amount: Cents;
  taxRatePercent: string | null;
  tax: Cents;
}

/**
 * `notBefore` (the installation's billing start) leaves out every day before it: a period that
 * straddles it is billed from it, prorated; a one-time product that started before it is not charged.
 */
export function chargesDue(service: BillableService, billDay: number, state: BillingState, asOf: IsoDate, money: MoneyFormat, notBefore: IsoDate | null = null): NewCharge[] {
  if (compareDates(service.startDate, asOf) > 0) return [];
  if (service.ratingMethod !== 'recurring') {
    if (state.oneTimeCharged) return [];
    if (notBefore && compareDates(service.startDate, notBefore) < 0) return [];
    if (service.endDate && compareDates(service.endDate, service.startDate) < 0) return [];
    return [oneTimeCharge(service, service.startDate, money)];
  }
  checkPayPeriod(service.payPeriodMonths);
  const billedThrough = notBefore && (!state.billedThrough || compareDates(state.billedThrough, notBefore) < 0) ? notBefore : state.billedThrough;
  // Billed past the run date, or a billing start after it: no period can start on or before it (most
  // services on a repeat run). This also keeps a far-off billing start (9999-12-31) from walking
  // periods past the last representable date.
  if (billedThrough && compareDates(billedThrough, asOf) > 0) {
    checkBillDay(billDay);
    return [];
  }
  const due = duePeriods({
    billDay,
    payPeriodMonths: service.payPeriodMonths,
    serviceStart: service.startDate,
    // An end on the last representable day (a spreadsheet's "no end", stored before the contract bounded dates) is no end.
    serviceEnd: service.endDate && compareDates(service.endDate, LAST_DAY) < 0 ? addDays(service.endDate, 1) : null,
    asOf,
    billedThrough,
  });
  const periods = state.paused?.length ? due.flatMap((p) => servedParts(p, state.paused!)) : due;
  const charges: NewCharge[] = new Array(periods.length);
  for (let i = 0; i < periods.length; i++) {
    const period = periods[i]!;
    const rated = rateRecurring(service, period, money);
    charges[i] = {
      serviceId: service.id,
      subscriptionId: service.subscriptionId,
      accountPackageId: service.accountPackageId,
      planId: service.planId,
      kind: 'recurring',
      description: service.description,
      explanation: rated.explanation,
      periodStart: period.start,
      periodEnd: period.end,
      quantity: service.quantity,
      unitPrice: service.unitPrice,
      amount: rated.amount,
      taxRatePercent: service.taxRatePercent,
      tax: rated.tax,
    };
  }
  return charges;
}

/**
 * Rating is a pure function of these inputs, and a billing run rates the same plan over the same
 * period for thousands of subscribers: each distinct line is rated (and its explanation written)
 * once. Bounded, so a long-lived process does not keep every period it ever rated.
 */
const ratedLines = new WeakMap<MoneyFormat, Map<string, RatedRecurring>>();
const RATED_LINES_KEPT = 50_000;

interface RatedRecurring {
  amount: Cents;
  explanation: string;
  tax: Cents;
}

function rateRecurring(service: BillableService, period: BillingPeriod, money: MoneyFormat): RatedRecurring {
  let lines = ratedLines.get(money);
  if (!lines) ratedLines.set(money, (lines = new Map()));
  const d = service.discount;
  // The full period matters only for a partial one (a full one is start and end).
  const key =
    `${period.start}${period.end}${isPartial(period) ? period.fullStart + period.fullEnd : ''}\u0000${service.unitPrice}\u0000${service.quantity}\u0000${service.taxRatePercent ?? ''}\u0000` +
    `${d ? `${d.percent}|${d.start ?? ''}|${d.end ?? ''}` : ''}\u0000${service.description}`;
  const known = lines.get(key);
  if (known) return known;
  const rated = rateCharge(
    { kind: 'recurring', description: service.description, unitPrice: service.unitPrice, quantity: service.quantity, discount: service.discount, period },
    money,
  );
  const line = { amount: rated.amount, explanation: rated.explanation, tax: lineTax(rated.amount, service.taxRatePercent) };
  if (lines.size >= RATED_LINES_KEPT) lines.clear();
  lines.set(key, line);
  return line;
}

/** The one charge of a one-time or prepaid product, rated as of `date`. */
export function oneTimeCharge(service: BillableService, date: IsoDate, money: MoneyFormat): NewCharge {
  const rated = rateCharge(
    { kind: 'one-time', description: service.description, unitPrice: service.unitPrice, quantity: service.quantity, discount: service.discount, date },
    money,
  );
  return {
    serviceId: service.id,
    subscriptionId: service.subscriptionId,
    accountPackageId: service.accountPackageId,
    planId: service.planId,
    kind: 'one-time',
    description: service.description,
    explanation: rated.explanation,
    periodStart: date,
    periodEnd: null,
    quantity: service.quantity,
    unitPrice: service.unitPrice,
    amount: rated.amount,
    taxRatePercent: service.taxRatePercent,
    tax: lineTax(rated.amount, service.taxRatePercent),
  };
}
