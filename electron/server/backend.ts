import { join } from 'node:path';
import { type CallOptions, type Dispatch, createDispatcher } from './api/dispatch';
import { type Datastore, openDatastore } from './db/open';
import { handlers } from './handlers';
import { catchUpScheduledChanges } from './services/scheduled';
import { BILLING_SELF_TRANSACTING } from './billing/procedures';
import { NETWORK_SELF_TRANSACTING } from './network/sync-procedures';
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
  /** Seals and opens stored secrets (router passwords) for back-end jobs such as the network sync. */
  secrets: SecretBox;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'towerline.sqlite';

export async function createBackend(options: BackendOptions): Promise<Backend> {
  ensureDataDir(options.dataDir);
  const datastore = await openDatastore(join(options.dataDir, DATABASE_FILE));
  await catchUpScheduledChanges(datastore.db, (options.now ?? (() => new Date()))());
  const secrets = options.secrets ?? keyFileSecretBox(options.dataDir);
  const dispatch = createDispatcher({ db: datastore.db, handlers, secrets, now: options.now, checkOutputs: options.checkOutputs, selfTransacting: new Set([...BILLING_SELF_TRANSACTING, ...NETWORK_SELF_TRANSACTING]) });
  return {
    call: (procedure: string, input: unknown, callOptions?: CallOptions) => dispatch(procedure, input, callOptions),
    datastore,
    dataDir: options.dataDir,
    secrets,
    close: () => datastore.close(),
  };
}
