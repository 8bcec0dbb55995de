import { join } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { type CallOptions, type Dispatch, createDispatcher } from './api/dispatch';
import { type DatastoreChange, type DatastoreHost, registerDatastoreHost } from './db/host';
import type { MigrationReport } from './db/migrate';
import { type Datastore, openDatastore, writeMark } from './db/open';
import { handlers } from './handlers';
import { catchUpScheduledChanges } from './services/scheduled';
import { catchUpPackageMoves } from './moves/moves';
import { BILLING_SELF_TRANSACTING } from './billing/procedures';
import { BACKUP_SELF_TRANSACTING } from './backup/procedures';
import { NETWORK_SELF_TRANSACTING } from './network/sync-procedures';
import { FREERADIUS_SELF_TRANSACTING } from './network/freeradius/procedures';
import { IO_DETACHED, IO_SELF_TRANSACTING } from './io/procedures';
import { type SecretBox, keyFileSecretBox } from './platform/secrets';
import { ensureDataDir } from './platform/data-dir';

export interface BackendOptions {
  dataDir: string;
  /** Defaults to the key-file box in the data directory; the desktop app passes safeStorage's. */
  secrets?: SecretBox;
  now?: () => Date;
  checkOutputs?: boolean;
}

/** The whole back end, free of Electron: the desktop shell, the web host, tests and scripts all use this. */
export interface Backend {
  call: Dispatch;
  /** The datastore open now. A restore replaces it: read it here when needed rather than keeping it. */
  readonly datastore: Datastore;
  dataDir: string;
  /** The box that seals router and RADIUS secrets; background jobs (network sync, RADIUS) decrypt with it. */
  secrets: SecretBox;
  /**
   * Calls `listener(procedure)` after each call that wrote to the datastore (jobs that mirror the
   * data elsewhere, such as the FreeRADIUS sync, follow changes this way). Returns an unsubscribe.
   */
  onChange(listener: (procedure: string) => void): () => void;
  /** Replaces the datastore's file while it is closed (see DatastoreHost.replace), then reopens it. */
  reopen(change: DatastoreChange): Promise<MigrationReport>;
  /**
   * Calls `before()` ahead of a replacement (a restore), before the datastore closes, and `after()`
   * once a datastore is open again (the new one, or the old one if the replacement failed):
   * background jobs with connections of their own stop and start on the datastore in use.
   */
  onReplace(listener: ReplaceListener): () => void;
  close(): Promise<void>;
}

export interface ReplaceListener {
  before(): Promise<void> | void;
  after(): Promise<void> | void;
}

export const DATABASE_FILE = 'towerline.sqlite';

/** How long a restore waits for calls at work to finish before it gives up. */
const REPLACE_WAIT_MS = 30_000;

export async function createBackend(options: BackendOptions): Promise<Backend> {
  ensureDataDir(options.dataDir);
  const file = join(options.dataDir, DATABASE_FILE);
  const secrets = options.secrets ?? keyFileSecretBox(options.dataDir);
  let datastore: Datastore;
  let dispatch: Dispatch;
  /** Calls being answered, and while the datastore is being replaced, what new calls wait for. */
  let atWork = 0;
  let held: Promise<void> | null = null;

  const host: DatastoreHost = {
    dataDir: options.dataDir,
    file,
    db: () => datastore.db,
    // Called from inside a call (backups.restore): that one call is allowed to be at work.
    replace: (change) => replace(change, 1),
  };

  async function open(): Promise<MigrationReport> {
    const opened = await openDatastore(file);
    try {
      await catchUpScheduledChanges(opened.db, (options.now ?? (() => new Date()))());
      await catchUpPackageMoves(opened.db, (options.now ?? (() => new Date()))());
    } catch (error) {
      await opened.close();
      throw error;
    }
    registerDatastoreHost(opened.db, host);
    datastore = opened;
    dispatch = createDispatcher({
      db: opened.db,
      handlers,
      secrets,
      now: options.now,
      checkOutputs: options.checkOutputs,
      selfTransacting: new Set([...BILLING_SELF_TRANSACTING, ...BACKUP_SELF_TRANSACTING, ...NETWORK_SELF_TRANSACTING, ...FREERADIUS_SELF_TRANSACTING, ...IO_SELF_TRANSACTING]),
      detached: new Set(IO_DETACHED),
    });
    written = writeMark(opened.db).totalChanges;
    return opened.migration;
  }

  const listeners = new Set<(procedure: string) => void>();
  const replaceListeners = new Set<ReplaceListener>();
  /** A listener's failure is logged: it must not stop a restore half-way. */
  const settle = async (step: () => Promise<void> | void) => {
    try {
      await step();
    } catch (error) {
      console.error('[towerline] a replace listener failed', error);
    }
  };
  let written = 0;
  /** Tells the change listeners about a call that wrote (total_changes counts this connection's rows). */
  const noticeWrites = (procedure: string, ok: boolean) => {
    if (listeners.size === 0) return;
    const now = writeMark(datastore.db).totalChanges;
    if (ok && now !== written) {
      for (const listener of listeners) {
        try {
          listener(procedure);
        } catch (error) {
          console.error('[towerline] a change listener failed', error);
        }
      }
    }
    written = now;
  };

  async function replace(change: DatastoreChange, ownCalls: number): Promise<MigrationReport> {
    if (held) throw new ApiError('conflict', 'The datastore is already being replaced.');
    let release!: () => void;
    held = new Promise<void>((resolve) => (release = resolve));
    try {
      const until = Date.now() + REPLACE_WAIT_MS;
      while (atWork > ownCalls) {
        if (Date.now() > until) throw new ApiError('conflict', 'Other work on the datastore did not finish in time; nothing was replaced. Try again in a moment.');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await change.ready?.(datastore.db);
      for (const l of replaceListeners) await settle(() => l.before());
      try {
        await datastore.close();
        try {
          await change.swap(file);
          return await open();
        } catch (error) {
          // Whatever failed, the app goes on with the datastore it had.
          await change.undo(file);
          await open();
          throw error;
        }
      } finally {
        for (const l of replaceListeners) await settle(() => l.after());
      }
    } finally {
      held = null;
      release();
    }
  }

  await open();
  return {
    call: async (procedure: string, input: unknown, callOptions?: CallOptions) => {
      while (held) await held;
      atWork += 1;
      try {
        const envelope = await dispatch(procedure, input, callOptions);
        noticeWrites(procedure, envelope.ok);
        return envelope;
      } finally {
        atWork -= 1;
      }
    },
    get datastore() {
      return datastore;
    },
    dataDir: options.dataDir,
    secrets,
    onChange(listener) {
      written = writeMark(datastore.db).totalChanges;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reopen: (change) => replace(change, 0),
    onReplace(listener) {
      replaceListeners.add(listener);
      return () => replaceListeners.delete(listener);
    },
    close: () => datastore.close(),
  };
}
