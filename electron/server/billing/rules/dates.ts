/**
 * Calendar dates for billing, as `YYYY-MM-DD` strings with no time zone.
 * All math goes through integer day numbers (days since 1970-01-01, by the Gregorian calendar in
 * whole numbers), so a run on a machine in UTC−10 or UTC+14 bills exactly the same days. Neither
 * local time nor the Date object is ever consulted.
 */
import type { IsoDate } from '../../../../shared/domain/types';

export type { IsoDate };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Builds a date from parts, refusing ones that do not exist (Feb 30, month 13). */
export function makeDate(year: number, month: number, day: number): IsoDate {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`Year ${year} is out of range.`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`Month ${month} does not exist.`);
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`${year}-${pad(month)} has no day ${day}.`);
  }
  return format(year, month, day);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const TWO_DIGITS = Array.from({ length: 32 }, (_, i) => pad(i));

/** Parts already checked: the text, built without padStart (a billing run formats millions). */
function format(year: number, month: number, day: number): IsoDate {
  const y = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return `${y}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}` as IsoDate;
}

/** Validates text as a real calendar date. */
export function isoDate(text: string): IsoDate {
  const m = ISO_DATE.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a date in YYYY-MM-DD form.`);
  return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Digits read by character code: an IsoDate is fixed-width, and this runs for every charge. */
export function dateParts(date: IsoDate): DateParts {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
    throw new RangeError(`"${date}" is not a date in YYYY-MM-DD form.`);
  }
  return { year: digits(date, 0, 4), month: digits(date, 5, 7), day: digits(date, 8, 10) };
}

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) throw new RangeError(`"${text}" is not a date in YYYY-MM-DD form.`);
    n = n * 10 + c;
  }
  return n;
}

/*
 * Day numbers by the proleptic Gregorian calendar in whole-number arithmetic (the "days from civil"
 * method of H. Hinnant): no Date object, so no time zone and nothing to allocate. Eras of 400 years
 * starting on March 1 put the leap day at the end of each year.
 */

/** Days since 1970-01-01 (negative before). */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = dateParts(date);
  return dayNumberOf(year, month, day);
}

function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function fromDayNumber(dayNumber: number): IsoDate {
  if (!Number.isInteger(dayNumber)) throw new RangeError(`Day number ${dayNumber} is not whole.`);
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1 || year > 9999) throw new RangeError(`Year ${year} is out of range.`);
  return format(year, month, day);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Moves by whole months, clamping to the month's last day: Jan 31 + 1 month = Feb 28 (or 29). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`Cannot add ${months} months.`);
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  if (y < 1 || y > 9999) throw new RangeError(`Year ${y} is out of range.`);
  return format(y, m, Math.min(day, daysInMonth(y, m)));
}

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

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 14", fixed English, for sentences staff read out (no locale, so it never shifts a day). */
export function shortDate(date: IsoDate): string {
  const { month, day } = dateParts(date);
  return `${MONTHS[month - 1]} ${day}`;
}

/** "Nov 14, 2026": a short date with its year, for dates that may lie in another year. */
export function longDate(date: IsoDate): string {
  return `${shortDate(date)}, ${date.slice(0, 4)}`;
}
