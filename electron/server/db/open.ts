import { Kysely, SqliteDialect, type Transaction, sql } from 'kysely';
import type { Database } from './schema';
import { AUTO_CHECKPOINT_PAGES, openConnection } from './connection';
import { registerSqliteHandle, sqliteHandle } from './json-rows';
import { migrate, type MigrationReport } from './migrate';
import { withStatementCache } from './statement-cache';
import { migrations } from '../../../migrations';
import { secureDatastoreFiles } from '../platform/data-dir';

export type Db = Kysely<Database>;

export interface Datastore {
  db: Db;
  /** The file behind it, for diagnostics and backups. */
  file: string;
  migration: MigrationReport;
  close(): Promise<void>;
}

/** The file behind a datastore connection; null for an in-memory one. */
export function datastoreFile(db: Db): string | null {
  const sqlite = sqliteHandle(db);
  return sqlite && !sqlite.memory ? sqlite.name : null;
}

/**
 * Where the datastore stands as seen from this connection: `dataVersion` moves when any OTHER
 * connection commits, `totalChanges` counts the rows this connection has written. Two marks that
 * differ only by the changes a caller made itself prove nobody else wrote in between.
 */
export interface WriteMark {
  dataVersion: number;
  totalChanges: number;
}

export function writeMark(db: Db): WriteMark {
  const sqlite = sqliteHandle(db);
  if (!sqlite) throw new Error('writeMark needs a datastore opened by db/open.ts');
  return {
    dataVersion: sqlite.pragma('data_version', { simple: true }) as number,
    totalChanges: sqlite.prepare('select total_changes()').pluck().get() as number,
  };
}

/**
 * Sets how many WAL pages a commit may leave before it checkpoints (0: never). A long bulk write
 * turns it off while a reader connection checkpoints beside it (checkpointWal), then restores it.
 */
export function setAutoCheckpoint(db: Db, pages: number): void {
  sqliteHandle(db)?.pragma(`wal_autocheckpoint = ${Math.max(0, Math.trunc(pages))}`);
}

/**
 * Runs an interactive command (a payment, an edit: what the UI reports as saved) in one transaction
 * committed with `synchronous = FULL`, so it survives a power cut and not only a crash of the app.
 * The connection is held throughout, so nothing else runs at FULL or commits in between; it is back
 * at NORMAL (what resumable batch work such as billing runs uses) before anything else runs.
 */
export async function durableTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const sqlite = sqliteHandle(db);
  if (!sqlite) return db.transaction().execute(work);
  return db.connection().execute(async (connection) => {
    sqlite.pragma('synchronous = FULL');
    try {
      // The transaction knows its connection too, so batch work inside it can keep prepared statements.
      return await connection.transaction().execute((trx) => (registerSqliteHandle(trx, sqlite), work(trx)));
    } finally {
      sqlite.pragma('synchronous = NORMAL');
    }
  });
}

/** The safety level commits use now (0 off, 1 NORMAL, 2 FULL, 3 EXTRA), for tests and diagnostics. */
export function synchronousLevel(db: Db): number | null {
  const sqlite = sqliteHandle(db);
  return sqlite ? (sqlite.pragma('synchronous', { simple: true }) as number) : null;
}

/** Opens (creating if needed) the SQLite datastore and brings its schema up to date. */
export async function openDatastore(file: string): Promise<Datastore> {
  if (file !== ':memory:') secureDatastoreFiles(file);
  const sqlite = openConnection(file);
  // The -wal and -shm files exist once the connection is in WAL mode.
  if (file !== ':memory:') secureDatastoreFiles(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
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
