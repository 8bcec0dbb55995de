import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CallOptions, type Dispatch, createDispatcher } from './api/dispatch';
import { type Datastore, openDatastore } from './db/open';
import { handlers } from './handlers';
import { catchUpScheduledChanges } from './services/scheduled';
import { catchUpPackageMoves } from './moves/moves';
import { BILLING_SELF_TRANSACTING } from './billing/procedures';
import { type SecretBox, keyFileSecretBox } from './platform/secrets';

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
  close(): Promise<void>;
}

export const DATABASE_FILE = 'towerline.sqlite';

export async function createBackend(options: BackendOptions): Promise<Backend> {
  mkdirSync(options.dataDir, { recursive: true });
  const datastore = await openDatastore(join(options.dataDir, DATABASE_FILE));
  await catchUpScheduledChanges(datastore.db, (options.now ?? (() => new Date()))());
  await catchUpPackageMoves(datastore.db, (options.now ?? (() => new Date()))());
  const secrets = options.secrets ?? keyFileSecretBox(options.dataDir);
  const dispatch = createDispatcher({ db: datastore.db, handlers, secrets, now: options.now, checkOutputs: options.checkOutputs, selfTransacting: new Set(BILLING_SELF_TRANSACTING) });
  return {
    call: (procedure: string, input: unknown, callOptions?: CallOptions) => dispatch(procedure, input, callOptions),
    datastore,
    dataDir: options.dataDir,
    close: () => datastore.close(),
  };
}
