/**
 * SQLite's side of backups: an online copy of a datastore file taken with the backup API, and a
 * look inside a file that claims to be a datastore (integrity, recorded migrations).
 */
import { closeSync, chmodSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { openReadOnly } from './connection';

export interface CopyProgress {
  donePages: number;
  totalPages: number;
}

export interface CopyOptions {
  /** Pages copied per step; between steps the event loop runs other work. */
  pagesPerStep?: number;
  onProgress?(progress: CopyProgress): void;
}

/**
 * 512 pages of 4 KiB (2 MB) per step, so calls keep being answered between steps. The backup bench
 * measured 2,048 (8 MB): calls waited some 240 ms (p50) behind each step on a loaded machine; at
 * 512 they waited about 50 ms (18 ms with no backup running) and the backup took no longer.
 */
const PAGES_PER_STEP = 512;

/**
 * Copies a datastore file while the app keeps using it. The copy is read on a connection of its own
 * inside ONE read transaction, so it is the datastore exactly as some commit left it (a billing
 * run's batch boundary, never half a batch), however long the copy takes and whatever is written
 * meanwhile (WAL lets the writer go on). `destination` must not exist; it is created owner-only
 * (it holds customers' names, addresses and passwords) and left as one self-contained file.
 */
export async function onlineBackup(source: string, destination: string, options: CopyOptions = {}): Promise<{ bytes: number; pages: number }> {
  // Opening a missing file would create an empty datastore where the caller expected one.
  if (!existsSync(source)) throw new Error(`There is no datastore at ${source}.`);
  closeSync(openSync(destination, 'wx', 0o600));
  let connection: BetterSqlite3.Database | null = null;
  try {
    connection = openReadOnly(source);
    const reader = connection;
    reader.exec('begin');
    // The first read starts the snapshot every step of the copy then reads.
    reader.prepare('select count(*) from sqlite_schema').pluck().get();
    const step = Math.max(1, Math.trunc(options.pagesPerStep ?? PAGES_PER_STEP));
    const result = await reader.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        options.onProgress?.({ donePages: totalPages - remainingPages, totalPages });
        return step;
      },
    });
    reader.exec('commit');
    options.onProgress?.({ donePages: result.totalPages, totalPages: result.totalPages });
    // The copy keeps the source's WAL flag; a backup is one file, so it uses a rollback journal.
    const copy = new BetterSqlite3(destination, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    chmodSync(destination, 0o600);
    return { bytes: statSync(destination).size, pages: result.totalPages };
  } catch (error) {
    rmSync(destination, { force: true });
    throw error;
  } finally {
    connection?.close();
  }
}

/** What a file holds, as far as a restore needs to know before it trusts it. */
export type DatastoreFileReport =
  | { kind: 'not-sqlite' }
  | { kind: 'corrupt'; problems: string[] }
  | { kind: 'foreign' }
  | { kind: 'datastore'; migrations: { id: string; checksum: string }[] };

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

function startsLikeSqlite(file: string): boolean {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/**
 * Looks inside a copy of a would-be datastore: SQLite at all, `PRAGMA integrity_check` clean, and
 * the migrations it records. Opens the file for writing (to leave WAL mode, so no file beside it is
 * needed): pass a copy, never the only one.
 */
export function inspectDatastoreFile(file: string): DatastoreFileReport {
  if (statSync(file).size === 0 || !startsLikeSqlite(file)) return { kind: 'not-sqlite' };
  let sqlite: BetterSqlite3.Database | null = null;
  try {
    sqlite = new BetterSqlite3(file, { fileMustExist: true });
    sqlite.pragma('journal_mode = DELETE');
    const problems = (sqlite.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== 'ok') return { kind: 'corrupt', problems };
    const table = sqlite.prepare("select sql from sqlite_schema where type = 'table' and name = 'towerline_migrations'").pluck().get() as string | undefined;
    if (!table || !/\bchecksum\b/.test(table)) return { kind: 'foreign' };
    const migrations = sqlite.prepare('select id, checksum from towerline_migrations order by id').all() as { id: string; checksum: string }[];
    return { kind: 'datastore', migrations };
  } catch (error) {
    // SQLite's own words ("database disk image is malformed", "file is not a database").
    return { kind: 'corrupt', problems: [error instanceof Error ? error.message : String(error)] };
  } finally {
    sqlite?.close();
  }
}
