import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cents } from '../../../../shared/domain/money';
import { type BillableService, chargesDue } from './charges';
import { isoDate as d } from './dates';
import { duePeriods } from './periods';
import { rateCharge } from './rating';
import { lineTax } from './tax';

const USD = { currency: 'USD', minorDigits: 2 };
const EUR = { currency: 'EUR', minorDigits: 2 };
const none = { billedThrough: null, oneTimeCharged: false };

function service(over: Partial<BillableService> = {}): BillableService {
  return {
    id: 1,
    subscriptionId: 1,
    accountPackageId: null,
    planId: 1,
    description: 'Gold 50/10',
    quantity: '1',
    unitPrice: cents(6999),
    payPeriodMonths: 1,
    ratingMethod: 'recurring',
    startDate: d('2026-10-14'),
    endDate: null,
    discount: null,
    taxRatePercent: '7.25',
    ...over,
  };
}

describe('charges due from many services alike', () => {
  it('rates each line from its own inputs even when many lines share a plan and a period', () => {
    // Rated lines are reused across services; any input that changes the line must change the result.
    const asOf = d('2026-11-01');
    const plain = chargesDue(service(), 1, none, asOf, USD);
    const variants = [
      service({ id: 2, quantity: '2' }),
      service({ id: 3, unitPrice: cents(7000) }),
      service({ id: 4, taxRatePercent: '8' }),
      service({ id: 5, description: 'Silver 25/5' }),
      service({ id: 6, discount: { percent: '15', start: null, end: d('2026-10-20') } }),
      service({ id: 7, startDate: d('2026-10-15') }),
    ];
    for (const v of variants) {
      const lines = chargesDue(v, 1, none, asOf, USD);
      expect(lines.map((l) => [l.amount, l.tax, l.explanation])).not.toEqual(plain.map((l) => [l.amount, l.tax, l.explanation]));
    }
    expect(chargesDue(service(), 1, none, asOf, EUR)[0]!.explanation).toContain('€');
    expect(chargesDue(service({ id: 9, subscriptionId: 9 }), 1, none, asOf, USD).map((l) => [l.amount, l.tax, l.explanation])).toEqual(
      plain.map((l) => [l.amount, l.tax, l.explanation]),
    );
  });

  it('gives every line what rating it alone gives, whatever was rated before it', () => {
    // A reused line keyed on too little would hand one service another's line: the order would show it.
    const arbitraryService = fc.record({
      // Few distinct values, so lines alike in all but one input meet often.
      price: fc.constantFrom(0, 2999, 4500, 999_999),
      quantity: fc.constantFrom('1', '2', '0.5', '3.25'),
      percent: fc.option(fc.constantFrom('10', '15', '33.3'), { nil: null }),
      daysBefore: fc.constantFrom(0, 17, 45, 100),
      tax: fc.constantFrom('7.25', '8', null),
    });
    fc.assert(
      fc.property(fc.array(arbitraryService, { minLength: 2, maxLength: 8 }), fc.integer({ min: 1, max: 28 }), (specs, billDay) => {
        const services = specs.map((x, i) =>
          service({
            id: i + 1,
            unitPrice: cents(x.price),
            quantity: x.quantity,
            taxRatePercent: x.tax,
            startDate: d(new Date(Date.UTC(2026, 10, 1) - x.daysBefore * 86_400_000).toISOString().slice(0, 10)),
            discount: x.percent ? { percent: x.percent, start: d('2026-10-01'), end: d('2026-10-31') } : null,
          }),
        );
        for (const s of services) {
          const lines = chargesDue(s, billDay, none, d('2026-11-01'), USD);
          const alone = duePeriods({ billDay, payPeriodMonths: 1, serviceStart: s.startDate, serviceEnd: null, asOf: d('2026-11-01'), billedThrough: null }).map((period) => {
            const rated = rateCharge({ kind: 'recurring', description: s.description, unitPrice: s.unitPrice, quantity: s.quantity, discount: s.discount, period }, USD);
            return [period.start, rated.amount, lineTax(rated.amount, s.taxRatePercent), rated.explanation];
          });
          expect(lines.map((l) => [l.periodStart, l.amount, l.tax, l.explanation])).toEqual(alone);
        }
      }),
      { numRuns: 200 },
    );
  });
});
