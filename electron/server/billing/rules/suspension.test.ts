import { describe, expect, it } from 'vitest';
import { cents } from '../../../../shared/domain/money';
import type { IsoDate } from './dates';
import { suspendedDaysIn, suspendedDaysOwed, suspendedRanges } from './suspension';

const d = (s: string) => s as IsoDate;

describe('billing while suspended', () => {
  it('gives back 10 of 30 days of a $30.00 month, leaving $20.00', () => {
    const ranges = suspendedRanges([{ toStatus: 'Suspended', day: d('2026-11-11') }, { toStatus: 'Active', day: d('2026-11-21') }], d('2026-12-31'));
    expect(ranges).toEqual([{ start: '2026-11-11', end: '2026-11-21' }]);
    const owed = suspendedDaysOwed({ amount: cents(3000), creditedAmount: cents(0), periodStart: d('2026-11-01'), periodEnd: d('2026-12-01') }, ranges);
    expect(owed).toBe(1000);
    expect(3000 - owed).toBe(2000);
  });

  it('rounds the share once, half away from zero: 10 of 31 days of $45.00 is $14.52', () => {
    // 4500 × 10 / 31 = 1451.6129… → 1452
    const ranges = [{ start: d('2026-12-05'), end: d('2026-12-15') }];
    expect(suspendedDaysOwed({ amount: cents(4500), creditedAmount: cents(0), periodStart: d('2026-12-01'), periodEnd: d('2027-01-01') }, ranges)).toBe(1452);
  });

  it('counts a suspension still running up to the day asked', () => {
    const ranges = suspendedRanges([{ toStatus: 'Active', day: d('2026-01-01') }, { toStatus: 'Suspended', day: d('2026-11-25') }], d('2026-12-01'));
    expect(ranges).toEqual([{ start: '2026-11-25', end: '2026-12-01' }]);
    expect(suspendedDaysIn({ start: d('2026-11-01'), end: d('2026-12-01') }, ranges)).toBe(6);
  });

  it('splits a suspension across two periods by each period’s own days', () => {
    const ranges = suspendedRanges([{ toStatus: 'Suspended', day: d('2026-11-21') }, { toStatus: 'Active', day: d('2026-12-11') }], d('2027-01-01'));
    // Nov 21–30: 10 of 30 days of $30.00; Dec 1–10: 10 of 31 days of $31.00.
    expect(suspendedDaysOwed({ amount: cents(3000), creditedAmount: cents(0), periodStart: d('2026-11-01'), periodEnd: d('2026-12-01') }, ranges)).toBe(1000);
    expect(suspendedDaysOwed({ amount: cents(3100), creditedAmount: cents(0), periodStart: d('2026-12-01'), periodEnd: d('2027-01-01') }, ranges)).toBe(1000);
  });

  it('owes nothing more once the suspended days were credited', () => {
    const ranges = [{ start: d('2026-11-11'), end: d('2026-11-21') }];
    expect(suspendedDaysOwed({ amount: cents(3000), creditedAmount: cents(-1000), periodStart: d('2026-11-01'), periodEnd: d('2026-12-01') }, ranges)).toBe(0);
  });

  it('keeps the first day of a repeated suspension and ignores one lifted the same day', () => {
    const ranges = suspendedRanges(
      [
        { toStatus: 'Suspended', day: d('2026-11-03') },
        { toStatus: 'Active', day: d('2026-11-03') },
        { toStatus: 'Suspended', day: d('2026-11-10') },
        { toStatus: 'Suspended', day: d('2026-11-12') },
        { toStatus: 'Inactive', day: d('2026-11-15') },
      ],
      d('2026-12-01'),
    );
    expect(ranges).toEqual([{ start: '2026-11-10', end: '2026-11-15' }]);
  });
});
