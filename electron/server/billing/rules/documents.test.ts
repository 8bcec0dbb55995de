import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cents, sumCents, type Cents } from '../../../../shared/domain/money';
import { allocateOldestFirst } from './allocation';
import { creditByAmount, creditInFull, type CreditableCharge, unusedDaysOwed } from './credit';
import type { IsoDate } from './dates';
import { closingBalance, LEDGER_KINDS, runningBalance } from './ledger';
import { invoiceTotals, lineTax } from './tax';

const amount = fc.integer({ min: -500_000, max: 5_000_000 }).map(cents);
const rate = fc.option(fc.constantFrom('0', '3.5', '5', '7.25', '8.875', '10', '20', '33.3333'), { nil: null });
const line = fc.record({ amount, taxRatePercent: rate });

describe('invoice totals', () => {
  it('total is exactly the sum of the lines plus the taxes, and the per-rate taxes add up to the tax total', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const t = invoiceTotals(lines);
        expect(t.subtotal).toBe(sumCents(lines.map((l) => l.amount)));
        expect(t.taxTotal).toBe(sumCents(lines.map((l) => lineTax(l.amount, l.taxRatePercent))));
        expect(t.total).toBe(t.subtotal + t.taxTotal);
        expect(sumCents(t.taxes.map((r) => r.tax))).toBe(t.taxTotal);
      }),
    );
  });
});

describe('credit memos', () => {
  const charge = fc.record({ amount: fc.integer({ min: 1, max: 5_000_000 }).map(cents), taxRatePercent: rate });

  it('a charge and its full credit net to zero', () => {
    fc.assert(
      fc.property(charge, ({ amount: a, taxRatePercent }) => {
        const c: CreditableCharge = { amount: a, tax: lineTax(a, taxRatePercent), taxRatePercent, creditedAmount: cents(0), creditedTax: cents(0) };
        const credit = creditInFull(c);
        expect(c.amount + credit.amount).toBe(0);
        expect(c.tax + credit.tax).toBe(0);
      }),
    );
  });

  it('partial credits never take more than the charge, and the last full credit brings it to exactly zero', () => {
    fc.assert(
      fc.property(charge, fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 8 }), ({ amount: a, taxRatePercent }, shares) => {
        const tax = lineTax(a, taxRatePercent);
        let creditedAmount = cents(0);
        let creditedTax = cents(0);
        for (const share of shares) {
          const left = a + creditedAmount;
          const want = Math.max(1, Math.floor((left * share) / 2000));
          if (left <= 0 || want > left) break;
          const c = creditByAmount({ amount: a, tax, taxRatePercent, creditedAmount, creditedTax }, cents(want));
          creditedAmount = cents(creditedAmount + c.amount);
          creditedTax = cents(creditedTax + c.tax);
          expect(-creditedAmount).toBeLessThanOrEqual(a);
          expect(Math.abs(creditedTax)).toBeLessThanOrEqual(Math.abs(tax));
        }
        if (a + creditedAmount > 0) {
          const rest = creditInFull({ amount: a, tax, taxRatePercent, creditedAmount, creditedTax });
          creditedAmount = cents(creditedAmount + rest.amount);
          creditedTax = cents(creditedTax + rest.tax);
        }
        expect(a + creditedAmount).toBe(0);
        expect(tax + creditedTax).toBe(0);
      }),
    );
  });
});

describe('ledger and payments', () => {
  const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-11-${String(d).padStart(2, '0')}` as IsoDate);
  const entry = fc.record({ kind: fc.constantFrom(...LEDGER_KINDS), date: day, amount: fc.integer({ min: 0, max: 1_000_000 }).map(cents) });

  it('the balance is the sum of the ledger, and the running balance ends there', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 50 }), fc.integer({ min: -10_000, max: 10_000 }).map(cents), (entries, opening) => {
        const rows = runningBalance(entries, opening);
        const closing = closingBalance(entries, opening);
        expect(closing).toBe(opening + sumCents(rows.map((r) => r.signed)));
        expect(rows.at(-1)?.balance ?? opening).toBe(closing);
      }),
    );
  });

  it('a payment is fully accounted for: allocations plus credit, never more than an invoice owes', () => {
    const invoice = fc.record({ id: fc.nat(), number: fc.nat().map(String), dueDate: day, openBalance: fc.integer({ min: -100, max: 100_000 }).map(cents) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000 }).map(cents), fc.uniqueArray(invoice, { selector: (i) => i.id, maxLength: 12 }), (payment, invoices) => {
        const plan = allocateOldestFirst(payment, invoices);
        expect(sumCents(plan.allocations.map((a) => a.amount)) + plan.credit).toBe(payment);
        for (const a of plan.allocations) {
          const inv = invoices.find((i) => i.id === a.invoiceId)!;
          expect(a.amount).toBeGreaterThan(0);
          expect(a.amount).toBeLessThanOrEqual(inv.openBalance);
        }
        const owed: Cents = sumCents(invoices.filter((i) => i.openBalance > 0).map((i) => i.openBalance));
        expect(plan.credit).toBe(Math.max(0, payment - owed));
      }),
    );
  });
});

describe('unused days of a service that ended', () => {
  it('owes back the unused share of the charge: 15 of 30 days of $60.00 is $30.00', () => {
    expect(unusedDaysOwed({ amount: cents(6000), creditedAmount: cents(0) }, 15, 30)).toBe(3000);
    expect(unusedDaysOwed({ amount: cents(6000), creditedAmount: cents(0) }, 30, 30)).toBe(6000);
    // 1 of 31 days of $45.00 = 145.16… → 145.
    expect(unusedDaysOwed({ amount: cents(4500), creditedAmount: cents(0) }, 1, 31)).toBe(145);
  });

  it('counts what was already credited, so settling twice owes nothing more and never more than the charge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 366 }), fc.nat(), fc.nat(), (amount, lineDays, a, b) => {
        const first = a % (lineDays + 1);
        const more = Math.max(first, b % (lineDays + 1));
        const owed = unusedDaysOwed({ amount: cents(amount), creditedAmount: cents(0) }, first, lineDays);
        expect(owed).toBeGreaterThanOrEqual(0);
        expect(owed).toBeLessThanOrEqual(amount);
        expect(unusedDaysOwed({ amount: cents(amount), creditedAmount: cents(-owed) }, first, lineDays)).toBe(0);
        // Moving the end earlier owes the difference: both credits together are the larger share.
        const extra = unusedDaysOwed({ amount: cents(amount), creditedAmount: cents(-owed) }, more, lineDays);
        expect(owed + extra).toBe(unusedDaysOwed({ amount: cents(amount), creditedAmount: cents(0) }, more, lineDays));
      }),
    );
  });
});

