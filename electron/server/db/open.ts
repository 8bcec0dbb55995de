import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema';
import { registerSqliteHandle } from './json-rows';
import { migrate, type MigrationReport } from './migrate';
import { migrations } from '../../../migrations';

export type Db = Kysely<Database>;

export interface Datastore {
  db: Db;
  /** The file behind it, for diagnostics and backups. */
  file: string;
  migration: MigrationReport;
  close(): Promise<void>;
}

/**
 * Opens a connection to a datastore file with the settings every connection gets.
 * The pragmas are SQLite's: they live here and nowhere else.
 */
export function openConnection(file: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL with NORMAL sync is durable against application crashes, which is what a billing run needs.
  sqlite.pragma('synchronous = NORMAL');
  // SQLite's default page cache is 2 MiB; at 100,000 subscribers the datastore is some 250 MB and a
  // billing run rewrites index pages all over it. 64 MiB keeps the working set in memory.
  sqlite.pragma('cache_size = -65536');
  // Checkpoint the WAL every ~40 MB instead of every 4 MB: a billing run commits batch after batch,
  // and each checkpoint copies back index pages the next batch dirties again. The file is cut back
  // to 64 MB after a checkpoint.
  sqlite.pragma('wal_autocheckpoint = 10000');
  sqlite.pragma('journal_size_limit = 67108864');
  return sqlite;
}

/** Opens (creating if needed) the SQLite datastore and brings its schema up to date. */
export async function openDatastore(file: string): Promise<Datastore> {
  const sqlite = openConnection(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  registerSqliteHandle(db, sqlite);
  try {
    const migration = await migrate(db, migrations);
    // Keeps the planner's statistics fresh (bounded work; SQLite's advice for long-lived connections).
    sqlite.pragma('optimize = 0x10002');
    return {
      db,
      file,
      migration,
      close: async () => {
        if (sqlite.open) sqlite.pragma('optimize');
        await db.destroy();
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * Recomputes the query planner's statistics in full. After a bulk load (demo data, an import) the
 * planner otherwise guesses, and a filtered, sorted list can pick a plan that sorts 70,000 rows.
 */
export async function refreshQueryStatistics(db: Db): Promise<void> {
  await sql`analyze`.execute(db);
}
