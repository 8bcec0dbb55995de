/**
 * Connections to a datastore file, in plain better-sqlite3: the settings every connection gets, and
 * the read-only one the billing run's read-ahead worker uses (which has no use for kysely: it runs
 * statements kysely compiled on the main thread).
 */
import BetterSqlite3 from 'better-sqlite3';

/** WAL pages (4 KiB each) a commit may leave before it checkpoints: ~40 MB. */
export const AUTO_CHECKPOINT_PAGES = 10_000;

/**
 * Opens a connection to a datastore file with the settings every connection gets.
 * The pragmas are SQLite's: they live here and nowhere else.
 */
export function openConnection(file: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL with NORMAL sync is durable against application crashes, which is what resumable batch work
  // (billing runs, demo data) needs. Interactive commands commit with FULL (open.ts, durableTransaction).
  sqlite.pragma('synchronous = NORMAL');
  // SQLite's default page cache is 2 MiB; at 100,000 subscribers the datastore is some 250 MB and a
  // billing run rewrites index pages all over it. 64 MiB keeps the working set in memory.
  sqlite.pragma('cache_size = -65536');
  // Checkpoint the WAL every ~40 MB instead of every 4 MB: a billing run commits batch after batch,
  // and each checkpoint copies back index pages the next batch dirties again. The file is cut back
  // to 64 MB after a checkpoint.
  sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  sqlite.pragma('journal_size_limit = 67108864');
  return sqlite;
}

/**
 * A second connection that only reads (query_only): the billing run's read-ahead worker reads the
 * next batch on it while the main connection writes the current one (WAL lets one writer and any
 * number of readers work at once).
 */
export function openReadOnly(file: string): BetterSqlite3.Database {
  const sqlite = openConnection(file);
  sqlite.pragma('query_only = ON');
  return sqlite;
}

/** Copies what it can of the WAL back into the file, without waiting for readers or the writer. */
export function checkpointWal(sqlite: BetterSqlite3.Database): void {
  sqlite.pragma('wal_checkpoint(PASSIVE)');
}

/** A statement compiled elsewhere (by kysely), as it travels between threads. */
export interface CompiledRead {
  sql: string;
  parameters: readonly unknown[];
}

const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/** Runs a compiled select through a statement prepared once per connection; rows come back raw (arrays of columns). */
export function readRaw(sqlite: BetterSqlite3.Database, read: CompiledRead): { columns: string[]; rows: unknown[][] } {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  let statement = cache.get(read.sql);
  if (!statement) cache.set(read.sql, (statement = sqlite.prepare(read.sql).raw(true)));
  return { columns: statement.columns().map((c) => c.name), rows: statement.all(read.parameters as unknown[]) as unknown[][] };
}

/** Moves whenever ANOTHER connection commits: a cheap cue to reload what a connection caches. */
export function dataVersion(sqlite: BetterSqlite3.Database): number {
  let statement = dataVersions.get(sqlite);
  if (!statement) dataVersions.set(sqlite, (statement = sqlite.prepare('pragma data_version').pluck()));
  return statement.get() as number;
}
const dataVersions = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/**
 * How long a statement on this connection waits for another connection's write lock. A network
 * server on the main thread sets 0 and retries later: better-sqlite3 would otherwise block the
 * whole event loop, including the transaction it waits for.
 */
export function setBusyTimeout(sqlite: BetterSqlite3.Database, ms: number): void {
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(ms))}`);
}
