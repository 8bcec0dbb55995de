/**
 * Calendar dates for billing, as `YYYY-MM-DD` strings with no time zone.
 * All math goes through integer day numbers (days since 1970-01-01, computed with UTC), so a run
 * on a machine in UTC−10 or UTC+14 bills exactly the same days. Local time is never consulted.
 */
import type { IsoDate } from '../../../../shared/domain/types';

export type { IsoDate };

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

function utcMillis(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are
  return d.getTime();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(utcMillis(year, month + 1, 1) - MS_PER_DAY).getUTCDate();
}

/** Builds a date from parts, refusing ones that do not exist (Feb 30, month 13). */
export function makeDate(year: number, month: number, day: number): IsoDate {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`Year ${year} is out of range.`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`Month ${month} does not exist.`);
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`${year}-${pad(month)} has no day ${day}.`);
  }
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}` as IsoDate;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Validates text as a real calendar date. */
export function isoDate(text: string): IsoDate {
  const m = ISO_DATE.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a date in YYYY-MM-DD form.`);
  return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function dateParts(date: IsoDate): DateParts {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a date in YYYY-MM-DD form.`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** Days since 1970-01-01 (negative before). */
export function toDayNumber(date: IsoDate): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  const { year, month, day } = dateParts(date);
  const n = Math.round(utcMillis(year, month, day) / MS_PER_DAY);
  remember(date, n);
  return n;
}

export function fromDayNumber(dayNumber: number): IsoDate {
  if (!Number.isInteger(dayNumber)) throw new RangeError(`Day number ${dayNumber} is not whole.`);
  const known = datesByNumber.get(dayNumber);
  if (known !== undefined) return known;
  const d = new Date(dayNumber * MS_PER_DAY);
  const date = makeDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  remember(date, dayNumber);
  return date;
}

// A billing run converts the same few hundred dates hundreds of thousands of times: remember them
// (bounded, so a long-lived process does not grow without limit).
const dayNumbers = new Map<string, number>();
const datesByNumber = new Map<number, IsoDate>();

function remember(date: IsoDate, n: number): void {
  if (dayNumbers.size > 20_000) {
    dayNumbers.clear();
    datesByNumber.clear();
  }
  dayNumbers.set(date, n);
  datesByNumber.set(n, date);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Moves by whole months, clamping to the month's last day: Jan 31 + 1 month = Feb 28 (or 29). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`Cannot add ${months} months.`);
  const key = `${date}${months}`;
  const known = monthsLater.get(key);
  if (known !== undefined) return known;
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  const result = makeDate(y, m, Math.min(day, daysInMonth(y, m)));
  if (monthsLater.size > 20_000) monthsLater.clear();
  monthsLater.set(key, result);
  return result;
}

const monthsLater = new Map<string, IsoDate>();

/** Days from `start` up to but not including `end`: Nov 14 → Dec 1 is 17. Negative if end < start. */
export function daysBetween(start: IsoDate, end: IsoDate): number {
  return toDayNumber(end) - toDayNumber(start);
}

/** Fixed-width YYYY-MM-DD compares correctly as text. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((m, d) => (d < m ? d : m), first);
}

export function maxDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((m, d) => (d > m ? d : m), first);
}

/** A half-open range of days [start, end). */
export interface DateRange {
  start: IsoDate;
  end: IsoDate;
}

/** The days two half-open ranges share; 0 when they do not meet. */
export function overlapDays(a: DateRange, b: DateRange): number {
  return Math.max(0, daysBetween(maxDate(a.start, b.start), minDate(a.end, b.end)));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 14", fixed English, for sentences staff read out (no locale, so it never shifts a day). */
export function shortDate(date: IsoDate): string {
  const { month, day } = dateParts(date);
  return `${MONTHS[month - 1]} ${day}`;
}
