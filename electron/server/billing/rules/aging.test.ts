import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_CENTS, MAX_QUANTITY } from '../../../../shared/api/common';
import { cents, formatMoney, type Cents } from '../../../../shared/domain/money';
import type { IsoDate } from '../../../../shared/domain/types';
import { AGING_BUCKETS, aging, agingBucket, agingTotals, daysPastDue, type Aging, type AgingBucket } from './aging';
import { addDays } from './dates';

/**
 * Totals across subscriptions are not bounded by 2^53: the maximum of every field, summed over
 * 100,000 subscriptions and ten years of monthly history, must still come out exact to the cent.
 */
const SUBSCRIPTIONS = 100_000;
const MONTHS = 10 * 12;
const AS_OF = '2026-11-30' as IsoDate;
/** One month's maximal invoice: two lines of the maximum price × quantity, each taxed at 100%. */
const MAX_INVOICE = 4n * BigInt(MAX_AMOUNT_CENTS) * BigInt(MAX_QUANTITY);

/** Ten years of maximal invoices, none paid, the newest due `shift` days from the report date. */
function maximalHistory(shift: number) {
  return Array.from({ length: MONTHS }, (_, m) => ({ dueDate: addDays(AS_OF, shift - m * 30), openBalance: cents(Number(MAX_INVOICE)) }));
}

describe('aging totals across subscriptions', () => {
  it('sums the maximum of every field over 100,000 subscriptions and ten years exactly, far past 2^53', () => {
    // A few distinct histories (due dates shifted) so every bucket gets a share; subscription i has history i % 7.
    const histories = Array.from({ length: 7 }, (_, k) => maximalHistory(k * 11 - 20));
    const perHistory = histories.map((h) => aging(h, AS_OF));
    const perSubscription: Aging[] = Array.from({ length: SUBSCRIPTIONS }, (_, i) => perHistory[i % 7]!);

    // The expectation counts invoices per bucket in BigInt, independent of the code under test.
    const expected: Record<AgingBucket | 'total', bigint> = { current: 0n, days1to30: 0n, days31to60: 0n, days61to90: 0n, over90: 0n, total: 0n };
    const subsWithHistory = (k: number) => BigInt(Math.floor((SUBSCRIPTIONS - 1 - k) / 7) + 1);
    histories.forEach((h, k) => {
      for (const inv of h) {
        const share = BigInt(inv.openBalance) * subsWithHistory(k);
        expected[agingBucket(daysPastDue(inv.dueDate, AS_OF))] += share;
        expected.total += share;
      }
    });

    const totals = agingTotals(perSubscription);
    expect(expected.total).toBe(BigInt(SUBSCRIPTIONS) * BigInt(MONTHS) * MAX_INVOICE);
    expect(expected.total).toBeGreaterThan(2n ** 63n); // past even SQLite's 64-bit integers
    for (const b of [...AGING_BUCKETS, 'total'] as const) expect(totals[b]).toBe(expected[b].toString());
    expect(AGING_BUCKETS.filter((b) => expected[b] > 0n)).toEqual([...AGING_BUCKETS]);
    // One subscription's aging stays a safe number (the contract's per-subscription bound).
    for (const a of perHistory) expect(Number.isSafeInteger(a.total)).toBe(true);
    // Formatted to the cent, no float in between.
    expect(formatMoney(totals.total, { currency: 'USD', minorDigits: 2 })).toBe(
      `$${(expected.total / 100n).toLocaleString('en-US')}.${(expected.total % 100n).toString().padStart(2, '0')}`,
    );
  });

  it('sums nothing to "0" and a single small aging to its own figures', () => {
    expect(agingTotals([]).total).toBe('0');
    const one = aging([{ dueDate: AS_OF, openBalance: 150 as Cents }], AS_OF);
    expect(agingTotals([one])).toEqual({ current: '150', days1to30: '0', days31to60: '0', days61to90: '0', over90: '0', total: '150' });
  });
});
