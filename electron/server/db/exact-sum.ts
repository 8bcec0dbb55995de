import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type CentsTotal, centsTotal } from '../../../shared/domain/money';

/** Rows per group summed by SQLite: 2^9 amounts, each below 2^53, stay below 2^62. */
const GROUP_BITS = 9;

export interface ExactTotals {
  /** The sum of `v`, exact at any size. */
  sum: CentsTotal;
  /** How many rows. */
  rows: number;
  /** How many distinct `k`. */
  keys: number;
}

/**
 * The exact sum of integer amounts over any number of rows, with the count of rows and of distinct
 * keys (say, the subscriptions the amounts belong to). SQLite's sum() is 64-bit and raises "integer
 * overflow" past 2^63, and a number past 2^53 reaches JavaScript as a rounded float. So SQLite sums
 * the rows in key order in groups of 512 (each amount below 2^53, so a group stays below 2^62),
 * hands each group's sum over as text, and the groups are added in BigInt: one row back per 512.
 * A key that spans two neighbouring groups is counted once.
 *
 * `amounts` is a query whose rows carry the key in `k` and the amount in `v` (NULL counts as zero).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function exactTotals(db: Kysely<any>, amounts: RawBuilder<{ k: number; v: number | null }>): Promise<ExactTotals> {
  const { rows } = await sql<{ s: string | null; n: number; d: number; lo: number; hi: number }>`
    select cast(sum(v) as text) as s, count(*) as n, count(distinct k) as d, min(k) as lo, max(k) as hi
      from (select k, v, (row_number() over (order by k)) >> ${sql.lit(GROUP_BITS)} as g from (${amounts}))
     group by g order by g`.execute(db);
  let sum = 0n;
  let count = 0;
  let keys = 0;
  let previousHigh: number | null = null;
  for (const r of rows) {
    if (r.s !== null) sum += BigInt(r.s);
    count += Number(r.n);
    keys += Number(r.d) - (previousHigh !== null && previousHigh === r.lo ? 1 : 0);
    previousHigh = r.hi;
  }
  return { sum: centsTotal(sum), rows: count, keys };
}
