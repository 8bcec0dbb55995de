import { join } from 'node:path';
import { type Dispatch, createDispatcher } from './api/dispatch';
import { type Datastore, openDatastore, writeMark } from './db/open';
import { handlers } from './handlers';
import { catchUpScheduledChanges } from './services/scheduled';
import { BILLING_SELF_TRANSACTING } from './billing/procedures';
import { NETWORK_SELF_TRANSACTING } from './network/sync-procedures';
import { FREERADIUS_SELF_TRANSACTING } from './network/freeradius/procedures';
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
  datastore: Datastore;
  dataDir: string;
  /** The box that seals router and RADIUS secrets; background jobs (network sync, RADIUS) decrypt with it. */
  secrets: SecretBox;
  /**
   * Calls `listener(procedure)` after each call that wrote to the datastore (jobs that mirror the
   * data elsewhere, such as the FreeRADIUS sync, follow changes this way). Returns an unsubscribe.
   */
  onChange(listener: (procedure: string) => void): () => void;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'towerline.sqlite';

export async function createBackend(options: BackendOptions): Promise<Backend> {
  ensureDataDir(options.dataDir);
  const datastore = await openDatastore(join(options.dataDir, DATABASE_FILE));
  await catchUpScheduledChanges(datastore.db, (options.now ?? (() => new Date()))());
  const secrets = options.secrets ?? keyFileSecretBox(options.dataDir);
  const dispatch = createDispatcher({
    db: datastore.db,
    handlers,
    secrets,
    now: options.now,
    checkOutputs: options.checkOutputs,
    selfTransacting: new Set([...BILLING_SELF_TRANSACTING, ...NETWORK_SELF_TRANSACTING, ...FREERADIUS_SELF_TRANSACTING]),
  });
  const listeners = new Set<(procedure: string) => void>();
  let written = writeMark(datastore.db).totalChanges;
  const call: Dispatch = async (procedure, input, callOptions) => {
    const envelope = await dispatch(procedure, input, callOptions);
    if (listeners.size > 0) {
      // total_changes counts rows this connection wrote: a moved count means the call wrote.
      const now = writeMark(datastore.db).totalChanges;
      if (envelope.ok && now !== written) {
        for (const listener of listeners) {
          try {
            listener(procedure);
          } catch (error) {
            console.error('[towerline] a change listener failed', error);
          }
        }
      }
      written = now;
    }
    return envelope;
  };
  return {
    call,
    datastore,
    dataDir: options.dataDir,
    secrets,
    onChange(listener) {
      written = writeMark(datastore.db).totalChanges;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => datastore.close(),
  };
}
