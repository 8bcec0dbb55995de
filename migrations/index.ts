import type { Migration } from '../electron/server/db/migration';
import { migration as m0100 } from './0100-people-and-subscriptions';

/**
 * Every migration, in order. An explicit list (not a folder scan) so a bundled app carries them.
 * Never edit a migration once it has landed: add a new one.
 */
export const migrations: readonly Migration[] = [m0100];
