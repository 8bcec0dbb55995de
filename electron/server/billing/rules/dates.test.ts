import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addDays, addMonths, compareDates, daysBetween, daysInMonth, fromDayNumber, isoDate, makeDate, maxDate, minDate,
  overlapDays, shortDate, toDayNumber, type IsoDate,
} from './dates';

const d = isoDate;
const anyDate = fc.integer({ min: toDayNumber(d('1990-01-01')), max: toDayNumber(d('2090-12-31')) }).map(fromDayNumber);

describe('iso dates', () => {
  it('accepts real calendar dates and refuses the rest', () => {
    expect(d('2028-02-29')).toBe('2028-02-29');
    expect(() => d('2027-02-29')).toThrow(/no day 29/);
    expect(() => d('2026-13-01')).toThrow(/Month 13/);
    expect(() => d('2026-2-3')).toThrow(/YYYY-MM-DD/);
    expect(() => d('2026-02-03T00:00:00Z')).toThrow(/YYYY-MM-DD/);
  });

  it('counts days in a month, leap years included', () => {
    expect(daysInMonth(2026, 11)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
    expect(daysInMonth(2027, 2)).toBe(28);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('keeps years below 100 as they are', () => {
    expect(makeDate(99, 3, 1)).toBe('0099-03-01');
    expect(addDays(d('0099-12-31'), 1)).toBe('0100-01-01');
  });
});

describe('day arithmetic', () => {
  it('counts days with an exclusive end: Nov 14 to Dec 1 is 17 days', () => {
    expect(daysBetween(d('2026-11-14'), d('2026-12-01'))).toBe(17);
    expect(daysBetween(d('2026-12-01'), d('2026-11-14'))).toBe(-17);
    expect(daysBetween(d('2028-02-01'), d('2028-03-01'))).toBe(29);
    expect(daysBetween(d('2026-01-01'), d('2027-01-01'))).toBe(365);
  });

  it('adds days across months and years', () => {
    expect(addDays(d('2026-12-31'), 1)).toBe('2027-01-01');
    expect(addDays(d('2028-03-01'), -1)).toBe('2028-02-29');
  });

  it('clamps to the month end when adding months', () => {
    expect(addMonths(d('2027-01-31'), 1)).toBe('2027-02-28');
    expect(addMonths(d('2028-01-31'), 1)).toBe('2028-02-29');
    expect(addMonths(d('2026-03-31'), -1)).toBe('2026-02-28');
    expect(addMonths(d('2026-12-15'), 1)).toBe('2027-01-15');
    expect(addMonths(d('2026-01-15'), -1)).toBe('2025-12-15');
    expect(addMonths(d('2026-11-01'), 3)).toBe('2027-02-01');
    expect(addMonths(d('2026-11-01'), -12)).toBe('2025-11-01');
  });

  it('turns any date into a day number and back', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        expect(fromDayNumber(toDayNumber(date))).toBe(date);
      }),
    );
  });

  it('counts days exactly as the Gregorian calendar does, from year 1 to 9999', () => {
    // The reference: JavaScript's own UTC calendar (proleptic Gregorian, like the arithmetic).
    const reference = (n: number) => {
      const r = new Date(n * 86_400_000);
      return `${String(r.getUTCFullYear()).padStart(4, '0')}-${String(r.getUTCMonth() + 1).padStart(2, '0')}-${String(r.getUTCDate()).padStart(2, '0')}`;
    };
    const first = -719162; // 0001-01-01
    const last = 2932896; // 9999-12-31
    expect(fromDayNumber(first)).toBe('0001-01-01');
    expect(fromDayNumber(last)).toBe('9999-12-31');
    expect(toDayNumber(d('1970-01-01'))).toBe(0);
    expect(() => fromDayNumber(last + 1)).toThrow(/out of range/);
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (n) => {
        expect(fromDayNumber(n)).toBe(reference(n));
        expect(toDayNumber(fromDayNumber(n))).toBe(n);
      }),
      { numRuns: 5000 },
    );
    for (let n = toDayNumber(d('1999-12-01')); n < toDayNumber(d('2101-03-01')); n++) expect(fromDayNumber(n)).toBe(reference(n));
  });

  it('refuses text that is not a date where it reads one', () => {
    expect(() => toDayNumber('2026-1-01' as IsoDate)).toThrow(/YYYY-MM-DD/);
    expect(() => toDayNumber('2026-0a-01' as IsoDate)).toThrow(/YYYY-MM-DD/);
    expect(() => addMonths('20261101' as IsoDate, 1)).toThrow(/YYYY-MM-DD/);
  });

  it('makes addDays and daysBetween inverses', () => {
    fc.assert(
      fc.property(anyDate, anyDate, (a, b) => {
        expect(addDays(a, daysBetween(a, b))).toBe(b);
      }),
    );
  });

  it('moves to the right month and never past the same day of the month', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -240, max: 240 }), (date, n) => {
        const moved = addMonths(date, n);
        const [y, m] = date.split('-').map(Number) as [number, number];
        const index = y * 12 + m - 1 + n;
        expect(moved.slice(0, 7)).toBe(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
        expect(Number(moved.slice(8))).toBeLessThanOrEqual(Number(date.slice(8)));
      }),
    );
  });

  describe('in a time zone with daylight saving', () => {
    const saved = process.env.TZ;
    afterEach(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });

    it('bills the same days whatever the machine clock says', () => {
      for (const tz of ['America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
        process.env.TZ = tz;
        expect(addDays(d('2026-03-08'), 1)).toBe('2026-03-09');
        expect(daysBetween(d('2026-03-01'), d('2026-04-01'))).toBe(31);
        expect(daysBetween(d('2026-10-15'), d('2026-11-15'))).toBe(31);
        expect(addMonths(d('2026-10-31'), 1)).toBe('2026-11-30');
      }
    });
  });
});

describe('comparing and ranges', () => {
  it('compares, and picks the earliest and the latest', () => {
    expect(compareDates(d('2026-01-02'), d('2026-01-10'))).toBe(-1);
    expect(compareDates(d('2026-01-10'), d('2026-01-10'))).toBe(0);
    expect(compareDates(d('2027-01-01'), d('2026-12-31'))).toBe(1);
    expect(minDate(d('2026-05-01'), d('2026-04-30'), d('2026-06-01'))).toBe('2026-04-30');
    expect(maxDate(d('2026-05-01'), d('2026-04-30'), d('2026-06-01'))).toBe('2026-06-01');
  });

  it('counts the days two half-open ranges share', () => {
    const nov = { start: d('2026-11-01'), end: d('2026-12-01') };
    expect(overlapDays(nov, { start: d('2026-11-16'), end: d('2027-01-01') })).toBe(15);
    expect(overlapDays(nov, { start: d('2026-12-01'), end: d('2027-01-01') })).toBe(0);
    expect(overlapDays(nov, { start: d('2026-10-01'), end: d('2026-10-05') })).toBe(0);
  });

  it('writes a short date for sentences', () => {
    expect(shortDate(d('2026-11-14'))).toBe('Nov 14');
    expect(shortDate(d('2027-01-01'))).toBe('Jan 1');
  });

  it('orders dates as their text does', () => {
    fc.assert(
      fc.property(anyDate, anyDate, (a: IsoDate, b: IsoDate) => {
        expect(compareDates(a, b)).toBe(Math.sign(daysBetween(b, a)));
      }),
    );
  });
});
