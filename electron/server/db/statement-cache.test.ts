import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache';

describe('the statement cache kysely runs through', () => {
  it('hands out the same prepared statement for the same text, binding new parameters each run', () => {
    const sqlite = new BetterSqlite3(':memory:');
    const cached = withStatementCache(sqlite);
    const first = cached.prepare('select ? + 1 as n');
    expect(cached.prepare('select ? + 1 as n')).toBe(first);
    expect(first.all([1])).toEqual([{ n: 2 }]);
    expect(cached.prepare('select ? + 1 as n').all([41])).toEqual([{ n: 42 }]);
    cached.close();
  });

  it('prepares a second statement while the first is still being iterated', () => {
    const sqlite = new BetterSqlite3(':memory:');
    const cached = withStatementCache(sqlite);
    const text = 'select value from json_each(?)';
    const outer = cached.prepare(text);
    const seen: number[] = [];
    for (const row of outer.iterate(['[1,2]']) as Iterable<{ value: number }>) {
      const inner = cached.prepare(text);
      expect(inner).not.toBe(outer);
      seen.push(row.value, ...(inner.all(['[10]']) as { value: number }[]).map((r) => r.value));
    }
    expect(seen).toEqual([1, 10, 2, 10]);
    expect(cached.prepare(text)).toBe(outer);
    cached.close();
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const sqlite = new BetterSqlite3(':memory:');
    const cached = withStatementCache(sqlite, 2);
    const a = cached.prepare('select 1');
    const b = cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 3'); // drops "select 2", used longest ago
    expect(cached.prepare('select 1')).toBe(a);
    expect(cached.prepare('select 2')).not.toBe(b);
    cached.close();
  });

  it('runs kysely queries, streams and schema changes as an uncached connection would', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: withStatementCache(new BetterSqlite3(':memory:')) }) }); // eslint-disable-line @typescript-eslint/no-explicit-any
    await sql`create table t (id integer primary key, name text)`.execute(db);
    for (const name of ['a', 'b', 'c']) await db.insertInto('t').values({ name }).execute();
    for (let pass = 0; pass < 2; pass++) {
      const streamed: string[] = [];
      for await (const row of db.selectFrom('t').select('name').orderBy('id').stream()) streamed.push(row.name);
      expect(streamed).toEqual(['a', 'b', 'c']);
      expect((await db.selectFrom('t').select('name').orderBy('id').execute()).map((r) => r.name)).toEqual(['a', 'b', 'c']);
    }
    // A column added after the insert's statement was prepared: SQLite prepares it again by itself.
    await sql`alter table t add column note text default 'x'`.execute(db);
    await db.insertInto('t').values({ name: 'd' }).execute();
    expect(await db.selectFrom('t').selectAll().where('name', '=', 'd').execute()).toEqual([{ id: 4, name: 'd', note: 'x' }]);
    await db.destroy();
  });
});
