import { describe, expect, it } from 'vitest';
import { cents } from '../../../../shared/domain/money';
import type { IsoDate } from './dates';
import { chargesDue } from './charges';
import { pausedRanges, STILL_SUSPENDED, servedParts, suspendedDaysIn, suspendedDaysLabel, suspendedDaysOwed, suspendedRanges } from './suspension';

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

  it('counts only the suspensions that began paused', () => {
    const history = [
      { toStatus: 'Suspended', day: d('2026-11-03'), paused: false },
      { toStatus: 'Active', day: d('2026-11-06') },
      { toStatus: 'Suspended', day: d('2026-11-10'), paused: true },
      // A second entry while suspended does not change how the suspension began.
      { toStatus: 'Suspended', day: d('2026-11-12'), paused: false },
      { toStatus: 'Cancelled', day: d('2026-11-20') },
    ];
    expect(pausedRanges(history, d('2026-12-01'))).toEqual([{ start: '2026-11-10', end: '2026-11-20' }]);
    expect(pausedRanges([{ toStatus: 'Suspended', day: d('2026-11-25'), paused: true }], STILL_SUSPENDED)).toEqual([{ start: '2026-11-25', end: STILL_SUSPENDED }]);
  });

  it('splits a period into its served parts, each keeping the full period for proration', () => {
    const full = { start: d('2026-12-01'), end: d('2027-01-01'), fullStart: d('2026-12-01'), fullEnd: d('2027-01-01') };
    expect(servedParts(full, [{ start: d('2026-12-05'), end: d('2026-12-15') }])).toEqual([
      { ...full, end: '2026-12-05' },
      { ...full, start: '2026-12-15' },
    ]);
    expect(servedParts(full, [{ start: d('2026-11-11'), end: d('2026-12-11') }])).toEqual([{ ...full, start: '2026-12-11' }]);
    expect(servedParts(full, [{ start: d('2026-11-25'), end: STILL_SUSPENDED }])).toEqual([]);
    expect(servedParts(full, [{ start: d('2027-01-01'), end: d('2027-01-05') }])).toEqual([full]);
    // Ranges given out of order are taken in order.
    expect(servedParts(full, [{ start: d('2026-12-20'), end: d('2026-12-22') }, { start: d('2026-12-02'), end: d('2026-12-03') }]).map((p) => [p.start, p.end])).toEqual([
      ['2026-12-01', '2026-12-02'],
      ['2026-12-03', '2026-12-20'],
      ['2026-12-22', '2027-01-01'],
    ]);
  });

  it('bills the run only the served days: Dec 11–31 of a $30.00 month is 21/31 = $20.32', () => {
    const money = { currency: 'USD', minorDigits: 2 };
    const service = {
      id: 1, subscriptionId: 1, accountPackageId: null, planId: 1, description: 'Home 30', quantity: '1', unitPrice: cents(3000), payPeriodMonths: 1,
      ratingMethod: 'recurring' as const, startDate: d('2026-11-01'), endDate: null, discount: null, taxRatePercent: '10',
    };
    const state = { billedThrough: d('2026-12-01'), oneTimeCharged: false };
    const running = chargesDue(service, 1, { ...state, paused: [{ start: d('2026-11-21'), end: STILL_SUSPENDED }] }, d('2026-12-01'), money);
    expect(running).toEqual([]);
    const lifted = chargesDue(service, 1, { ...state, paused: [{ start: d('2026-11-21'), end: d('2026-12-11') }] }, d('2026-12-11'), money);
    expect(lifted.map((c) => [c.periodStart, c.periodEnd, c.amount, c.tax])).toEqual([['2026-12-11', '2027-01-01', 2032, 203]]);
    // Without paused days the run is what it always was.
    expect(chargesDue(service, 1, state, d('2026-12-11'), money).map((c) => c.amount)).toEqual([3000]);
  });

  it('owes the suspended days and the days past the service end together, less what was credited', () => {
    const charge = { amount: cents(3000), creditedAmount: cents(0), periodStart: d('2026-11-01'), periodEnd: d('2026-12-01') };
    const ranges = [{ start: d('2026-11-12'), end: d('2026-11-22') }];
    // Served until Nov 26 (exclusive): 5 days past the end + 10 suspended = 15 of 30.
    expect(suspendedDaysOwed(charge, ranges, d('2026-11-26'))).toBe(1500);
    expect(suspendedDaysOwed({ ...charge, creditedAmount: cents(-1000) }, ranges, d('2026-11-26'))).toBe(500);
    // A suspension running past the end counts only up to the end.
    expect(suspendedDaysOwed(charge, [{ start: d('2026-11-21'), end: d('2026-12-11') }], d('2026-11-26'))).toBe(1000);
  });

  it('labels the suspended days a credit gives back', () => {
    const nov = { start: d('2026-11-01'), end: d('2026-12-01') };
    expect(suspendedDaysLabel(nov, [{ start: d('2026-11-10'), end: d('2026-11-20') }])).toBe('Suspended 10–19 Nov: 10 of 30 days');
    expect(suspendedDaysLabel(nov, [{ start: d('2026-11-21'), end: d('2026-12-11') }])).toBe('Suspended 21–30 Nov: 10 of 30 days');
    expect(suspendedDaysLabel({ start: d('2026-12-15'), end: d('2027-01-15') }, [{ start: d('2026-12-28'), end: d('2027-01-03') }])).toBe('Suspended 28 Dec 2026–2 Jan 2027: 6 of 31 days');
    expect(suspendedDaysLabel(nov, [{ start: d('2026-11-03'), end: d('2026-11-04') }, { start: d('2026-11-28'), end: d('2026-12-02') }])).toBe('Suspended 3 Nov, 28–30 Nov: 4 of 30 days');
    expect(suspendedDaysLabel(nov, [{ start: d('2026-12-03'), end: d('2026-12-04') }])).toBeNull();
  });
});
