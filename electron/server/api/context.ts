import type { Db } from '../db/open';
import type { SecretBox } from '../platform/secrets';

/** Who is making a call: recorded in history ("who") and shown to staff. */
export interface Actor {
  staffId: number | null;
  name: string;
}

/** What every handler gets besides its input. `db` is the command's own transaction. */
export interface CallContext {
  db: Db;
  actor: Actor;
  /** The clock, injectable so rules about dates are testable. */
  now(): Date;
  secrets: SecretBox;
  /** Reports progress of long work (billing runs, imports); a no-op when nobody listens. */
  progress(done: number, total: number, label?: string): void;
}
