import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema';
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
 * Opens (creating if needed) the SQLite datastore and brings its schema up to date.
 * The pragmas are SQLite's: they live here and nowhere else.
 */
export async function openDatastore(file: string): Promise<Datastore> {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL with NORMAL sync is durable against application crashes, which is what a billing run needs.
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const migration = await migrate(db, migrations);
    return { db, file, migration, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
