import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cents } from '../../../../shared/domain/money';
import { addDays, fromDayNumber, isoDate as d, toDayNumber } from './dates';
import type { BillingPeriod } from './periods';
import { rateCharge, type RecurringCharge } from './rating';

const USD = { currency: 'USD', minorDigits: 2 };
const november: BillingPeriod = { start: d('2026-11-01'), end: d('2026-12-01'), fullStart: d('2026-11-01'), fullEnd: d('2026-12-01') };
const fromNov14: BillingPeriod = { ...november, start: d('2026-11-14') };

describe('rating a charge line', () => {
  it('prorates a mid-month start and says how', () => {
    // 17 of 30 days × $45.00 = 4500 × 17 / 30 = 2550.
    const line = rateCharge({ kind: 'recurring', description: 'Gold 50/10', unitPrice: cents(4500), period: fromNov14 }, USD);
    expect(line).toEqual({ amount: 2550, explanation: 'Gold 50/10: 17 of 30 days (Nov 14 – Nov 30) × $45.00 = $25.50' });
  });

  it('takes a 20% discount off only the half of the period it covers', () => {
    // Discount Nov 1–15 (15 of 30 days): 60.00 − 60.00 × 0.20 × 15/30 = 60.00 − 6.00 = 54.00.
    // As one fraction: 6000 × (100·30 − 20·15) / (100·30) = 6000 × 2700 / 3000 = 5400.
    const line = rateCharge(
      {
        kind: 'recurring',
        description: 'Silver 25/5',
        unitPrice: cents(6000),
        period: november,
        discount: { percent: '20', start: d('2026-11-01'), end: d('2026-11-15') },
      },
      USD,
    );
    expect(line).toEqual({
      amount: 5400,
      explanation: 'Silver 25/5: Nov 1 – Nov 30 (full period) $60.00; 20% discount on 15 days −$6.00; line total $54.00',
    });
  });

  it('discounts a partial period by the days both share', () => {
    // Discount from Nov 16 (open-ended) on Nov 14 → Dec 1: 15 of the 17 days.
    // 4500 × (100·17 − 20·15) / 3000 = 4500 × 1400 / 3000 = 2100; shown parts 25.50 − 4.50.
    const line = rateCharge(
      { kind: 'recurring', description: 'Gold 50/10', unitPrice: cents(4500), period: fromNov14, discount: { percent: '20', start: d('2026-11-16') } },
      USD,
    );
    expect(line).toEqual({
      amount: 2100,
      explanation: 'Gold 50/10: 17 of 30 days (Nov 14 – Nov 30) × $45.00 = $25.50; 20% discount on 15 days −$4.50; line total $21.00',
    });
  });

  it('rounds the line once, not its parts', () => {
    // $10.01, 1 of 30 days, 50% off that day: 1001 × (100 − 50) / 3000 = 16.683… → 17.
    // Rounding the parts first would give 33.37… → 33 minus 16.68… → 17 = 16.
    const line = rateCharge(
      { kind: 'recurring', description: 'Day pass', unitPrice: cents(1001), period: { ...november, start: d('2026-11-30') }, discount: { percent: '50' } },
      USD,
    );
    expect(line.amount).toBe(17);
    expect(line.explanation).toBe('Day pass: 1 of 30 days (Nov 30 – Nov 30) × $10.01 = ≈$0.33; 50% discount on 1 day −≈$0.17; line total $0.17');
  });

  it('multiplies by a fractional quantity', () => {
    // 2.5 × $10.00 = $25.00 for the full month.
    const line = rateCharge({ kind: 'recurring', description: 'Static IP', unitPrice: cents(1000), quantity: '2.5', period: november }, USD);
    expect(line).toEqual({ amount: 2500, explanation: 'Static IP: Nov 1 – Nov 30 (full period) 2.5 × $10.00 = $25.00' });
  });

  it('ignores a discount whose window misses the period', () => {
    const line = rateCharge(
      {
        kind: 'recurring',
        description: 'Gold 50/10',
        unitPrice: cents(4500),
        period: november,
        discount: { percent: '20', start: d('2026-10-01'), end: d('2026-10-31') },
      },
      USD,
    );
    expect(line).toEqual({ amount: 4500, explanation: 'Gold 50/10: Nov 1 – Nov 30 (full period) $45.00' });
  });

  it('names the years of a period that crosses into the next one', () => {
    const yearly = { start: d('2026-11-01'), end: d('2027-11-01'), fullStart: d('2026-11-01'), fullEnd: d('2027-11-01') };
    const line = rateCharge({ kind: 'recurring', description: 'Rural yearly', unitPrice: cents(48000), period: yearly }, USD);
    expect(line.explanation).toBe('Rural yearly: Nov 1, 2026 – Oct 31, 2027 (full period) $480.00');
  });

  it('counts the discount end date as a discounted day', () => {
    const line = rateCharge(
      { kind: 'recurring', description: 'x', unitPrice: cents(3000), period: november, discount: { percent: '100', end: d('2026-11-01') } },
      USD,
    );
    // 3000 × (100·30 − 100·1) / 3000 = 2900.
    expect(line.amount).toBe(2900);
  });

  it('discounts a one-time charge in full when its date is in the window, and not otherwise', () => {
    const install = { kind: 'one-time', description: 'Installation', unitPrice: cents(9900), date: d('2026-11-14') } as const;
    expect(rateCharge({ ...install, discount: { percent: '50', start: d('2026-11-01'), end: d('2026-11-30') } }, USD)).toEqual({
      amount: 4950,
      explanation: 'Installation: one-time $99.00; 50% discount −$49.50; line total $49.50',
    });
    expect(rateCharge({ ...install, discount: { percent: '50', start: d('2026-12-01') } }, USD)).toEqual({
      amount: 9900,
      explanation: 'Installation: one-time $99.00',
    });
  });

  it('refuses a negative quantity, a discount over 100% and a discount that ends before it starts', () => {
    const base: RecurringCharge = { kind: 'recurring', description: 'x', unitPrice: cents(100), period: november };
    expect(() => rateCharge({ ...base, quantity: '-1' }, USD)).toThrow(/zero or more/);
    expect(() => rateCharge({ ...base, discount: { percent: '120' } }, USD)).toThrow(/more than 100%/);
    expect(() => rateCharge({ ...base, discount: { percent: '-5' } }, USD)).toThrow(/not a percentage/);
    expect(() => rateCharge({ ...base, discount: { percent: '5', start: d('2026-11-10'), end: d('2026-11-09') } }, USD)).toThrow(/ends/);
  });
});

describe('rating, for any charge', () => {
  const charge = fc
    .record({
      price: fc.integer({ min: 0, max: 10_000_000_00 }),
      quantity: fc.integer({ min: 0, max: 100 }),
      fullStart: fc.integer({ min: toDayNumber(d('2024-01-01')), max: toDayNumber(d('2030-01-01')) }),
      fullDays: fc.integer({ min: 28, max: 366 }),
      startAt: fc.nat(),
      endAt: fc.nat(),
      percent: fc.integer({ min: 0, max: 100 }),
      discountFrom: fc.integer({ min: -40, max: 400 }),
      discountDays: fc.integer({ min: 1, max: 400 }),
    })
    .map((r) => {
      const startOffset = r.startAt % r.fullDays;
      const endOffset = startOffset + 1 + (r.endAt % (r.fullDays - startOffset));
      const fullStart = fromDayNumber(r.fullStart);
      const discountStart = addDays(fullStart, r.discountFrom);
      return {
        ...r,
        usedDays: endOffset - startOffset,
        charge: {
          kind: 'recurring',
          description: 'Plan',
          unitPrice: cents(r.price),
          quantity: r.quantity,
          period: {
            start: addDays(fullStart, startOffset),
            end: addDays(fullStart, endOffset),
            fullStart,
            fullEnd: addDays(fullStart, r.fullDays),
          },
          discount: { percent: String(r.percent), start: discountStart, end: addDays(discountStart, r.discountDays - 1) },
        } satisfies RecurringCharge,
      };
    });

  it('equals the exact fraction rounded half away from zero, checked with integers', () => {
    fc.assert(
      fc.property(charge, ({ charge: c, price, quantity, percent, fullDays, usedDays }) => {
        const dStart = c.discount.start < c.period.start ? c.period.start : c.discount.start;
        const dEndExcl = addDays(c.discount.end, 1) < c.period.end ? addDays(c.discount.end, 1) : c.period.end;
        const discountDays = Math.max(0, toDayNumber(dEndExcl) - toDayNumber(dStart));
        const num = BigInt(price) * BigInt(quantity) * BigInt(100 * usedDays - percent * discountDays);
        const den = BigInt(100 * fullDays);
        const expected = (2n * num + den) / (2n * den); // num ≥ 0: floor(x + 1/2)
        expect(BigInt(rateCharge(c, USD).amount)).toBe(expected);
      }),
    );
  });

  it('never charges more than the undiscounted line, nor less than zero', () => {
    fc.assert(
      fc.property(charge, ({ charge: c }) => {
        const discounted = rateCharge(c, USD).amount;
        const plain = rateCharge({ ...c, discount: null }, USD).amount;
        expect(discounted).toBeGreaterThanOrEqual(0);
        expect(discounted).toBeLessThanOrEqual(plain);
        expect(plain).toBeLessThanOrEqual(c.unitPrice * c.quantity);
      }),
    );
  });
});
