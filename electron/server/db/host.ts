import type { MigrationReport } from './migrate';
import type { Db } from './open';

/** A change to the datastore's file, made while it is closed (a restore). */
export interface DatastoreChange {
  /** Runs once no other call is at work and before anything closes: throw to call the change off. */
  ready?(db: Db): void | Promise<void>;
  /** Replaces the closed datastore's file. */
  swap(file: string): void | Promise<void>;
  /** Puts the previous file back when the swap failed or the new file cannot be opened. */
  undo(file: string): void | Promise<void>;
}

/** What owns the open datastore (the Backend): where it lives, and how to replace it. */
export interface DatastoreHost {
  dataDir: string;
  /** The datastore file. */
  file: string;
  /** The connection open now (a restore replaces it). */
  db(): Db;
  /**
   * Holds new calls, waits for those at work (other than the caller's own), closes the datastore,
   * applies the change and opens the file again, migrating it; new calls then use the new connection.
   */
  replace(change: DatastoreChange): Promise<MigrationReport>;
}

const hosts = new WeakMap<Db, DatastoreHost>();

export function registerDatastoreHost(db: Db, host: DatastoreHost): void {
  hosts.set(db, host);
}

/** The host of a datastore connection opened by a Backend (not of a transaction on it). */
export function datastoreHostOf(db: Db): DatastoreHost {
  const host = hosts.get(db);
  if (!host) throw new Error('This connection has no host: backups need a datastore opened by createBackend.');
  return host;
}
