import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, daysBetween, fromDayNumber, isoDate as d, toDayNumber } from './dates';
import { PAY_PERIOD_MONTHS, duePeriods, isPartial, nextBillDate, type PeriodsRequest } from './periods';

const monthly = { billDay: 1, payPeriodMonths: 1 } as const;

describe('due periods', () => {
  it('bills a mid-month start from the start to the next bill day, against the whole month', () => {
    // Start Nov 14, bill day 1: Nov 14 → Dec 1 is 17 days of the 30-day Nov 1 → Dec 1.
    const due = duePeriods({ ...monthly, serviceStart: d('2026-11-14'), asOf: d('2026-11-14') });
    expect(due).toEqual([{ start: '2026-11-14', end: '2026-12-01', fullStart: '2026-11-01', fullEnd: '2026-12-01' }]);
    expect(isPartial(due[0]!)).toBe(true);
  });

  it('bills the next period in advance, on its first day and not before', () => {
    const base = { ...monthly, serviceStart: d('2026-11-14') };
    expect(duePeriods({ ...base, asOf: d('2026-11-30') })).toHaveLength(1);
    expect(duePeriods({ ...base, asOf: d('2026-12-01') })).toEqual([
      { start: '2026-11-14', end: '2026-12-01', fullStart: '2026-11-01', fullEnd: '2026-12-01' },
      { start: '2026-12-01', end: '2027-01-01', fullStart: '2026-12-01', fullEnd: '2027-01-01' },
    ]);
  });

  it('bills nothing before the service starts', () => {
    expect(duePeriods({ ...monthly, serviceStart: d('2026-11-14'), asOf: d('2026-11-13') })).toEqual([]);
  });

  it('starts a full period when the service starts on the bill day', () => {
    const due = duePeriods({ billDay: 15, payPeriodMonths: 1, serviceStart: d('2026-11-15'), asOf: d('2026-11-15') });
    expect(due).toEqual([{ start: '2026-11-15', end: '2026-12-15', fullStart: '2026-11-15', fullEnd: '2026-12-15' }]);
    expect(isPartial(due[0]!)).toBe(false);
  });

  it('bills a quarterly plan once per quarter', () => {
    // $120.00 for 3 months, bill day 1, start Jan 1: one full period each Jan 1, Apr 1, Jul 1, Oct 1.
    const plan = { billDay: 1, payPeriodMonths: 3, serviceStart: d('2027-01-01') } as const;
    expect(duePeriods({ ...plan, asOf: d('2027-12-31') })).toEqual([
      { start: '2027-01-01', end: '2027-04-01', fullStart: '2027-01-01', fullEnd: '2027-04-01' },
      { start: '2027-04-01', end: '2027-07-01', fullStart: '2027-04-01', fullEnd: '2027-07-01' },
      { start: '2027-07-01', end: '2027-10-01', fullStart: '2027-07-01', fullEnd: '2027-10-01' },
      { start: '2027-10-01', end: '2028-01-01', fullStart: '2027-10-01', fullEnd: '2028-01-01' },
    ]);
    // Monthly runs in between find nothing new once the quarter is billed.
    for (const asOf of ['2027-01-31', '2027-02-01', '2027-03-01', '2027-03-31']) {
      expect(duePeriods({ ...plan, asOf: d(asOf), billedThrough: d('2027-04-01') })).toEqual([]);
    }
    expect(duePeriods({ ...plan, asOf: d('2027-04-01'), billedThrough: d('2027-04-01') })).toHaveLength(1);
  });

  it('measures a quarterly first partial period against the quarter that ends on the next bill day', () => {
    // Start Nov 14: Nov 14 → Dec 1 is 17 of the 91 days Sep 1 → Dec 1; then Dec 1 → Mar 1.
    const due = duePeriods({ billDay: 1, payPeriodMonths: 3, serviceStart: d('2026-11-14'), asOf: d('2026-12-01') });
    expect(due).toEqual([
      { start: '2026-11-14', end: '2026-12-01', fullStart: '2026-09-01', fullEnd: '2026-12-01' },
      { start: '2026-12-01', end: '2027-03-01', fullStart: '2026-12-01', fullEnd: '2027-03-01' },
    ]);
  });

  it('catches up every period missed since the last billing', () => {
    const due = duePeriods({ ...monthly, serviceStart: d('2026-06-01'), billedThrough: d('2026-12-01'), asOf: d('2027-03-05') });
    expect(due.map((p) => p.start)).toEqual(['2026-12-01', '2027-01-01', '2027-02-01', '2027-03-01']);
    expect(due.every((p) => !isPartial(p))).toBe(true);
  });

  it('bills only the rest of a period already billed in part', () => {
    const due = duePeriods({ ...monthly, serviceStart: d('2026-06-01'), billedThrough: d('2026-11-10'), asOf: d('2026-11-20') });
    expect(due).toEqual([{ start: '2026-11-10', end: '2026-12-01', fullStart: '2026-11-01', fullEnd: '2026-12-01' }]);
  });

  it('ends the last period on the service end date, which is not itself billed', () => {
    const due = duePeriods({ ...monthly, serviceStart: d('2026-11-01'), serviceEnd: d('2027-01-20'), asOf: d('2027-06-01') });
    expect(due).toEqual([
      { start: '2026-11-01', end: '2026-12-01', fullStart: '2026-11-01', fullEnd: '2026-12-01' },
      { start: '2026-12-01', end: '2027-01-01', fullStart: '2026-12-01', fullEnd: '2027-01-01' },
      { start: '2027-01-01', end: '2027-01-20', fullStart: '2027-01-01', fullEnd: '2027-02-01' },
    ]);
  });

  it('stops on the bill day when the service ends on it', () => {
    const due = duePeriods({ ...monthly, serviceStart: d('2026-11-01'), serviceEnd: d('2027-01-01'), asOf: d('2027-06-01') });
    expect(due.map((p) => p.end)).toEqual(['2026-12-01', '2027-01-01']);
  });

  it('bills a service that starts and ends within one period as one partial period', () => {
    const due = duePeriods({ ...monthly, serviceStart: d('2026-11-14'), serviceEnd: d('2026-11-20'), asOf: d('2026-12-31') });
    expect(due).toEqual([{ start: '2026-11-14', end: '2026-11-20', fullStart: '2026-11-01', fullEnd: '2026-12-01' }]);
  });

  it('bills nothing when the service ended before it started', () => {
    expect(duePeriods({ ...monthly, serviceStart: d('2026-11-14'), serviceEnd: d('2026-11-14'), asOf: d('2026-12-31') })).toEqual([]);
  });

  it('keeps bill day 28 through February', () => {
    const due = duePeriods({ billDay: 28, payPeriodMonths: 1, serviceStart: d('2027-01-28'), asOf: d('2027-03-28') });
    expect(due.map((p) => [p.start, p.end])).toEqual([
      ['2027-01-28', '2027-02-28'],
      ['2027-02-28', '2027-03-28'],
      ['2027-03-28', '2027-04-28'],
    ]);
  });

  it('refuses a bill day past 28 and an unknown pay period', () => {
    const base = { serviceStart: d('2026-11-14'), asOf: d('2026-11-14') };
    expect(() => duePeriods({ ...base, billDay: 29, payPeriodMonths: 1 })).toThrow(/1 to 28/);
    expect(() => duePeriods({ ...base, billDay: 0, payPeriodMonths: 1 })).toThrow(/1 to 28/);
    expect(() => duePeriods({ ...base, billDay: 1, payPeriodMonths: 2 as 1 })).toThrow(/1, 3, 6 or 12/);
  });

  it('finds the next bill day on or after a date', () => {
    expect(nextBillDate(d('2026-11-14'), 1)).toBe('2026-12-01');
    expect(nextBillDate(d('2026-11-14'), 14)).toBe('2026-11-14');
    expect(nextBillDate(d('2026-12-20'), 15)).toBe('2027-01-15');
  });
});

describe('due periods, for any plan', () => {
  const day = (from: string, to: string) => fc.integer({ min: toDayNumber(d(from)), max: toDayNumber(d(to)) });
  const request = fc
    .record({
      billDay: fc.integer({ min: 1, max: 28 }),
      payPeriodMonths: fc.constantFrom(...PAY_PERIOD_MONTHS),
      start: day('2024-01-01', '2027-12-31'),
      length: fc.option(fc.integer({ min: 0, max: 1500 })),
      asOfAfter: fc.integer({ min: -60, max: 1500 }),
      billedAfter: fc.option(fc.integer({ min: -30, max: 1500 })),
    })
    .map(({ billDay, payPeriodMonths, start, length, asOfAfter, billedAfter }): PeriodsRequest => ({
      billDay,
      payPeriodMonths,
      serviceStart: fromDayNumber(start),
      serviceEnd: length === null ? null : fromDayNumber(start + length),
      asOf: fromDayNumber(start + asOfAfter),
      billedThrough: billedAfter === null ? null : fromDayNumber(start + billedAfter),
    }));

  it('returns contiguous, non-empty periods inside bill-day-anchored full periods, all due', () => {
    fc.assert(
      fc.property(request, (req) => {
        const due = duePeriods(req);
        const from = req.billedThrough && req.billedThrough > req.serviceStart ? req.billedThrough : req.serviceStart;
        due.forEach((p, i) => {
          expect(p.start < p.end).toBe(true);
          expect(p.fullStart <= p.start && p.end <= p.fullEnd).toBe(true);
          expect(p.start <= req.asOf).toBe(true);
          expect(addMonths(p.fullStart, req.payPeriodMonths)).toBe(p.fullEnd);
          expect(Number(p.fullEnd.slice(8))).toBe(req.billDay);
          if (req.serviceEnd) expect(p.end <= req.serviceEnd).toBe(true);
          expect(p.start).toBe(i === 0 ? from : due[i - 1]!.end);
        });
      }),
    );
  });

  it('leaves no due day unbilled: the next period would start after the run date or the service end', () => {
    fc.assert(
      fc.property(request, (req) => {
        const due = duePeriods(req);
        const last = due.at(-1);
        const from = req.billedThrough && req.billedThrough > req.serviceStart ? req.billedThrough : req.serviceStart;
        const next = last ? last.end : from;
        expect(next > req.asOf || (req.serviceEnd != null && next >= req.serviceEnd)).toBe(true);
      }),
    );
  });

  it('bills each day of service once, however the runs are spaced', () => {
    fc.assert(
      fc.property(request, fc.array(fc.integer({ min: 1, max: 120 }), { maxLength: 20 }), (req, gaps) => {
        let billedThrough = req.serviceStart;
        let asOf = toDayNumber(req.serviceStart);
        let days = 0;
        for (const gap of [0, ...gaps]) {
          asOf += gap;
          for (const p of duePeriods({ ...req, billedThrough, asOf: fromDayNumber(asOf) })) {
            days += daysBetween(p.start, p.end);
            billedThrough = p.end;
          }
        }
        const all = duePeriods({ ...req, billedThrough: null, asOf: fromDayNumber(asOf) });
        expect(days).toBe(all.reduce((n, p) => n + daysBetween(p.start, p.end), 0));
      }),
    );
  });
});
