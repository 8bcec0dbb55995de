import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_CENTS, MAX_QUANTITY } from '../../../../shared/api/common';
import { AmountTooLargeError, cents, Dec, sumCents, type Cents, type MoneyFormat } from '../../../../shared/domain/money';
import type { IsoDate } from '../../../../shared/domain/types';
import { runningBalance, type LedgerEntry } from './ledger';
import { rateCharge } from './rating';
import { invoiceTotals, lineTax } from './tax';

/**
 * The contract's bounds (shared/api/common.ts) against the arithmetic: the maximum of every field,
 * summed over 100,000 subscriptions and ten years of monthly history, stays exact.
 */
const money: MoneyFormat = { currency: 'USD', minorDigits: 2 };
const SUBSCRIPTIONS = 100_000;
const MONTHS = 10 * 12;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The largest line the bounds allow: the maximum price times the maximum quantity, taxed at 100%. */
function maximalLine() {
  const rated = rateCharge({ kind: 'one-time', description: 'Everything at its maximum', unitPrice: cents(MAX_AMOUNT_CENTS), quantity: String(MAX_QUANTITY), date: '2026-11-01' as IsoDate }, money);
  return { amount: rated.amount, tax: lineTax(rated.amount, '100') };
}

describe('the bounds against the arithmetic', () => {
  it('rates and taxes the largest line exactly, far below 2^53', () => {
    const { amount, tax } = maximalLine();
    expect(BigInt(amount)).toBe(BigInt(MAX_AMOUNT_CENTS) * BigInt(MAX_QUANTITY));
    expect(tax).toBe(amount);
    expect(BigInt(amount + tax) * 400n).toBeLessThan(SAFE);
  });

  it('keeps ten years of the maximum of every field on one subscription below 2^53, balance and invoice totals exact', () => {
    const { amount, tax } = maximalLine();
    // Each month: one maximal recurring line, one maximal manual charge (price × quantity, taxed),
    // one maximal payment. Debits and credits are summed apart so nothing cancels out.
    const invoice = invoiceTotals([
      { amount, tax, taxRatePercent: '100' },
      { amount, tax, taxRatePercent: '100' },
    ]);
    const entries: LedgerEntry[] = [];
    for (let m = 0; m < MONTHS; m++) {
      const date = `20${String(16 + Math.floor(m / 12)).padStart(2, '0')}-${String((m % 12) + 1).padStart(2, '0')}-01` as IsoDate;
      entries.push({ kind: 'invoice', date, amount: invoice.total });
      entries.push({ kind: 'payment', date, amount: cents(MAX_AMOUNT_CENTS) });
    }
    const rows = runningBalance(entries);
    const expected = BigInt(MONTHS) * (BigInt(invoice.total) - BigInt(MAX_AMOUNT_CENTS));
    expect(BigInt(rows[rows.length - 1]!.balance)).toBe(expected);
    const debits = sumCents(entries.filter((e) => e.kind === 'invoice').map((e) => e.amount));
    expect(BigInt(debits)).toBe(BigInt(MONTHS) * BigInt(invoice.total));
    expect(BigInt(debits)).toBeLessThan(SAFE);
  });

  it('sums 100,000 such subscriptions exactly in decimal, and refuses to round the result into a number', () => {
    const { amount, tax } = maximalLine();
    const perSubscription = BigInt(MONTHS) * 2n * BigInt(amount + tax);
    const subscriptionTotal = cents(Number(perSubscription));
    let total = new Dec(0);
    for (let i = 0; i < SUBSCRIPTIONS; i++) total = total.plus(subscriptionTotal);
    const exact = perSubscription * BigInt(SUBSCRIPTIONS);
    expect(total.toFixed()).toBe(exact.toString());
    // A number cannot carry it exactly, which is why sums are formed in decimal.
    expect(Number.isSafeInteger(Number(exact))).toBe(false);
    // …and a sum past 2^53 is refused with a clear error rather than rounded.
    expect(() => sumCents(Array.from({ length: 10 }, () => subscriptionTotal))).toThrow(AmountTooLargeError);
  });

  it('keeps every single accepted amount a safe whole number', () => {
    for (const n of [MAX_AMOUNT_CENTS, -MAX_AMOUNT_CENTS, MAX_AMOUNT_CENTS * MAX_QUANTITY * 2]) expect(Number.isSafeInteger(n)).toBe(true);
    const c: Cents = cents(MAX_AMOUNT_CENTS);
    expect(c).toBe(100_000_000_000);
  });
});
