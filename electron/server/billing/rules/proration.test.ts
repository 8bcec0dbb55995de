import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cents } from '../../../../shared/domain/money';
import { addDays, fromDayNumber, isoDate as d, toDayNumber } from './dates';
import { dayShare, prorate, proratePeriod, splitAt } from './proration';

describe('proration by days', () => {
  it('prorates a mid-month start by actual days', () => {
    // Nov 14 → Dec 1 of Nov 1 → Dec 1: 17/30 × $45.00 = 4500 × 17 / 30 = 76500 / 30 = 2550 → $25.50.
    const period = { start: d('2026-11-14'), end: d('2026-12-01'), fullStart: d('2026-11-01'), fullEnd: d('2026-12-01') };
    expect(dayShare(period)).toEqual({ usedDays: 17, fullDays: 30 });
    expect(proratePeriod(cents(4500), period)).toBe(2550);
  });

  it('uses the real length of the month, so 17 days of a 31-day month cost less', () => {
    // 17/31 × 4500 = 76500 / 31 = 2467.74… → 2468.
    const period = { start: d('2026-12-15'), end: d('2027-01-01'), fullStart: d('2026-12-01'), fullEnd: d('2027-01-01') };
    expect(proratePeriod(cents(4500), period)).toBe(2468);
  });

  it('charges a full period at the full price', () => {
    const full = { start: d('2027-01-01'), end: d('2027-04-01'), fullStart: d('2027-01-01'), fullEnd: d('2027-04-01') };
    expect(proratePeriod(cents(12000), full)).toBe(12000);
  });

  it('rounds an exact half cent away from zero, dividing only once', () => {
    // 15 × 1/30 = 0.5 exactly; dividing 1/30 first would give 0.4999… and round to 0.
    expect(prorate(cents(15), { usedDays: 1, fullDays: 30 })).toBe(1);
    expect(prorate(cents(-15), { usedDays: 1, fullDays: 30 })).toBe(-1);
  });

  it('refuses more days than the period has', () => {
    expect(() => prorate(cents(4500), { usedDays: 31, fullDays: 30 })).toThrow(/31 days of a 30-day/);
    expect(() => prorate(cents(4500), { usedDays: 1, fullDays: 0 })).toThrow(RangeError);
  });
});

describe('splitting a period at a day', () => {
  const nov = { fullStart: d('2026-11-01'), fullEnd: d('2026-12-01') };

  it('splits a month into the days before and from the split day', () => {
    // Split Nov 14: 13/30 × 4500 = 1950 and 17/30 × 4500 = 2550, 1950 + 2550 = 4500.
    expect(splitAt(cents(4500), nov, d('2026-11-14'))).toEqual([1950, 2550]);
    expect(splitAt(cents(4500), nov, d('2026-11-01'))).toEqual([0, 4500]);
    expect(splitAt(cents(4500), nov, d('2026-12-01'))).toEqual([4500, 0]);
  });

  it('may come to one cent more than the full price, as each part rounds on its own', () => {
    // 1 cent over 2 days: 0.5 + 0.5, each rounds up to 1.
    expect(splitAt(cents(1), { fullStart: d('2026-11-01'), fullEnd: d('2026-11-03') }, d('2026-11-02'))).toEqual([1, 1]);
  });

  it('refuses a split day outside the period', () => {
    expect(() => splitAt(cents(4500), nov, d('2026-12-02'))).toThrow(/not within/);
  });

  it('keeps the two parts within one cent of the full price, for any price and split day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: toDayNumber(d('2020-01-01')), max: toDayNumber(d('2035-12-31')) }),
        fc.constantFrom(28, 29, 30, 31, 90, 91, 92, 181, 184, 365, 366),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (price, startDay, length, where) => {
          const full = { fullStart: fromDayNumber(startDay), fullEnd: fromDayNumber(startDay + length) };
          const at = addDays(full.fullStart, Math.floor(where * length));
          const [before, after] = splitAt(cents(price), full, at);
          const off = BigInt(before) + BigInt(after) - BigInt(price); // BigInt: the sum may pass the safe range
          expect(off >= -1n && off <= 1n).toBe(true);
        },
      ),
    );
  });
});
