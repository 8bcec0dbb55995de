/**
 * Aging: open balances by how long they are past due, as of a date. Due today is still current;
 * the day after the due date is 1 day past due.
 */
import { cents, centsTotal, sumCents, type Cents, type CentsTotal } from '../../../../shared/domain/money';
import { daysBetween, type IsoDate } from './dates';

export const AGING_BUCKETS = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export const AGING_LABELS: Record<AgingBucket, string> = {
  current: 'Current',
  days1to30: '1–30 days',
  days31to60: '31–60 days',
  days61to90: '61–90 days',
  over90: 'Over 90 days',
};

export interface AgingInput {
  dueDate: IsoDate;
  openBalance: Cents;
}

export type Aging = Record<AgingBucket, Cents> & { total: Cents };

export function daysPastDue(dueDate: IsoDate, asOf: IsoDate): number {
  return Math.max(0, daysBetween(dueDate, asOf));
}

export function agingBucket(daysPast: number): AgingBucket {
  if (daysPast <= 0) return 'current';
  if (daysPast <= 30) return 'days1to30';
  if (daysPast <= 60) return 'days31to60';
  if (daysPast <= 90) return 'days61to90';
  return 'over90';
}

/** Sums open balances into buckets; settled invoices (balance 0) add nothing. */
export function aging(invoices: readonly AgingInput[], asOf: IsoDate): Aging {
  const parts: Record<AgingBucket, Cents[]> = { current: [], days1to30: [], days31to60: [], days61to90: [], over90: [] };
  for (const inv of invoices) parts[agingBucket(daysPastDue(inv.dueDate, asOf))].push(inv.openBalance);
  const result = { total: sumCents(invoices.map((i) => i.openBalance)) } as Aging;
  for (const b of AGING_BUCKETS) result[b] = parts[b].length ? sumCents(parts[b]) : cents(0);
  return result;
}

export type AgingTotals = Record<AgingBucket | 'total', CentsTotal>;

/**
 * The report's totals over every subscription's aging. One subscription's aging stays below 2^53
 * (the contract's bounds), but their sum over many subscriptions does not: BigInt, exact text.
 */
export function agingTotals(perSubscription: Iterable<Aging>): AgingTotals {
  const sums = { current: 0n, days1to30: 0n, days31to60: 0n, days61to90: 0n, over90: 0n, total: 0n };
  for (const a of perSubscription) {
    sums.current += BigInt(a.current);
    sums.days1to30 += BigInt(a.days1to30);
    sums.days31to60 += BigInt(a.days31to60);
    sums.days61to90 += BigInt(a.days61to90);
    sums.over90 += BigInt(a.over90);
    sums.total += BigInt(a.total);
  }
  return {
    current: centsTotal(sums.current),
    days1to30: centsTotal(sums.days1to30),
    days31to60: centsTotal(sums.days31to60),
    days61to90: centsTotal(sums.days61to90),
    over90: centsTotal(sums.over90),
    total: centsTotal(sums.total),
  };
}
