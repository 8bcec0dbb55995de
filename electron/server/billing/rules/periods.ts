/**
 * Billing periods of a recurring charge (DOMAIN.md, "Bill day", "Package": recurring is billed each
 * pay period, in advance).
 *
 * Periods are anchored on the bill day: a full period is [bill day of month M, bill day of month
 * M + pay period). The cycle starts at the first bill day on or after the service start; the days
 * before it form a first partial period, measured against the full period that ends on that bill
 * day. A service end date (exclusive: the first day no longer served, e.g. the move date of a
 * package change) cuts the period it falls in short. A period is due once its start has come
 * (billed in advance), and every period missed since `billedThrough` is returned (catch-up).
 */
import { compareDates, type DateParts, dateParts, makeDate, maxDate, minDate, type IsoDate } from './dates';

export const PAY_PERIOD_MONTHS = [1, 3, 6, 12] as const;
export type PayPeriodMonths = (typeof PAY_PERIOD_MONTHS)[number];

/** What is billed: [start, end) of the full period [fullStart, fullEnd). Ends are exclusive. */
export interface BillingPeriod {
  start: IsoDate;
  end: IsoDate;
  fullStart: IsoDate;
  fullEnd: IsoDate;
}

export interface PeriodsRequest {
  /** 1–28, so every month has it. */
  billDay: number;
  payPeriodMonths: PayPeriodMonths;
  serviceStart: IsoDate;
  /** Exclusive: the first day without service. Null or absent: indefinite. */
  serviceEnd?: IsoDate | null;
  /** The billing run date: periods starting on or before it are due. */
  asOf: IsoDate;
  /** Exclusive end of what is already invoiced; nothing before it is returned again. */
  billedThrough?: IsoDate | null;
}

export function checkBillDay(billDay: number): void {
  if (!Number.isInteger(billDay) || billDay < 1 || billDay > 28) {
    throw new RangeError(`The bill day must be a whole day from 1 to 28, got ${billDay}.`);
  }
}

export function checkPayPeriod(months: number): asserts months is PayPeriodMonths {
  if (!(PAY_PERIOD_MONTHS as readonly number[]).includes(months)) {
    throw new RangeError(`A pay period is 1, 3, 6 or 12 months, got ${months}.`);
  }
}

/** The first bill day on or after `date`. */
export function nextBillDate(date: IsoDate, billDay: number): IsoDate {
  checkBillDay(billDay);
  return billDate(firstBillMonth(dateParts(date), billDay), billDay);
}

export function isPartial(period: BillingPeriod): boolean {
  return period.start !== period.fullStart || period.end !== period.fullEnd;
}

/** Every period due as of `asOf`, oldest first. */
export function duePeriods(req: PeriodsRequest): BillingPeriod[] {
  const { billDay, payPeriodMonths: months, serviceStart, serviceEnd, asOf, billedThrough } = req;
  checkBillDay(billDay);
  checkPayPeriod(months);
  const from = billedThrough ? maxDate(serviceStart, billedThrough) : serviceStart;
  const due: BillingPeriod[] = [];
  // Full periods start on the bill day (1–28, in every month), so they are counted as month indexes
  // (year × 12 + month − 1) and only written out as dates.
  // A start on the bill day opens a full period; any other start falls inside the full period
  // that ends on the next bill day, and is billed from the start only.
  const start = dateParts(serviceStart);
  const firstBill = firstBillMonth(start, billDay);
  const anchor = start.day === billDay ? firstBill : firstBill - months;
  // Skip the whole periods that end before `from` (a service billed for years would otherwise walk
  // all of them on every run): the last bill day on or before `from`, in whole periods.
  const f = dateParts(from);
  const lastBillBeforeFrom = monthIndex(f) - (f.day < billDay ? 1 : 0);
  let index = anchor + months * Math.floor(Math.max(0, lastBillBeforeFrom - anchor) / months);
  let fullStart = billDate(index, billDay);
  for (;;) {
    const fullEnd = billDate(index + months, billDay);
    const periodStart = maxDate(fullStart, from);
    if (compareDates(periodStart, asOf) > 0) break;
    if (serviceEnd && compareDates(periodStart, serviceEnd) >= 0) break;
    const end = serviceEnd ? minDate(fullEnd, serviceEnd) : fullEnd;
    if (compareDates(periodStart, end) < 0) due.push({ start: periodStart, end, fullStart, fullEnd });
    fullStart = fullEnd;
    index += months;
  }
  return due;
}

function monthIndex(date: DateParts): number {
  return date.year * 12 + date.month - 1;
}

/** The month index of the first bill day on or after `date`. */
function firstBillMonth(date: DateParts, billDay: number): number {
  return monthIndex(date) + (date.day <= billDay ? 0 : 1);
}

/** The bill day in the month with this index. */
function billDate(index: number, billDay: number): IsoDate {
  const year = Math.floor(index / 12);
  return makeDate(year, index - year * 12 + 1, billDay);
}
