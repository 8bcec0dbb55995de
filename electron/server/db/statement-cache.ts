import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statements kept prepared per connection: far more than the app's own queries. */
const CAPACITY = 1000;

/**
 * The connection as kysely's SQLite driver sees it, with each statement prepared once and kept:
 * the driver prepares every query anew, and a command that runs a dozen small queries per row
 * (an import of 10,000 rows through the procedures) spent a third of its time re-parsing the
 * same SQL. Statements are reused by their text (their parameters are bound at each run), the
 * least recently used dropped past CAPACITY; one still being iterated (a streamed query) is not
 * handed out twice, a fresh one is prepared instead.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, capacity = CAPACITY): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const kept = cache.get(sql);
      if (kept && !kept.busy) {
        // Most recently used last, so the first key is the one to drop.
        cache.delete(sql);
        cache.set(sql, kept);
        return kept;
      }
      const statement = sqlite.prepare(sql);
      if (!kept) {
        cache.set(sql, statement);
        if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}
