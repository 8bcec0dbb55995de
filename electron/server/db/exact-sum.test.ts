import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { exactTotals } from './exact-sum';

let db: Kysely<unknown>;
afterEach(async () => {
  await db.destroy();
});

async function table(rows: [k: number, v: number | null][]) {
  db = new Kysely({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  await sql`create table t (k integer not null, v integer) strict`.execute(db);
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    await sql`insert into t (k, v) values ${sql.join(chunk.map(([k, v]) => sql`(${k}, ${v})`))}`.execute(db);
  }
}

describe('exact totals of an integer column', () => {
  it('sums 10,000 amounts of 2^53 − 1 exactly, where SQLite alone would overflow 2^63', async () => {
    await table(Array.from({ length: 10_000 }, (_, i) => [i + 1, Number.MAX_SAFE_INTEGER]));
    await expect(sql`select sum(v) from t`.execute(db)).rejects.toThrow(/integer overflow/);
    const totals = await exactTotals(db, sql<{ k: number; v: number }>`select k, v from t`);
    expect(totals).toEqual({ sum: (BigInt(Number.MAX_SAFE_INTEGER) * 10_000n).toString(), rows: 10_000, keys: 10_000 });
  });

  it('counts a key whose rows span two groups once, and treats NULL as zero', async () => {
    // 700 keys of three rows each: 2,100 rows in groups of 512, so several keys straddle a boundary.
    const rows: [number, number | null][] = [];
    for (let k = 1; k <= 700; k++) rows.push([k, -5], [k, 7], [k, null]);
    await table(rows.reverse());
    expect(await exactTotals(db, sql<{ k: number; v: number | null }>`select k, v from t`)).toEqual({ sum: String(700 * 2), rows: 2_100, keys: 700 });
  });

  it('answers zero for no rows', async () => {
    await table([]);
    expect(await exactTotals(db, sql<{ k: number; v: number }>`select k, v from t`)).toEqual({ sum: '0', rows: 0, keys: 0 });
  });
});
