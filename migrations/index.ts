import type { Migration } from '../electron/server/db/migration';
import { migration as m0100 } from './0100-people-and-subscriptions';
import { migration as m0200 } from './0200-catalog-plans-packages';
import { migration as m0300 } from './0300-subscriber-services';
import { migration as m0340 } from './0340-devices-and-hotspot';
import { migration as m0400 } from './0400-billing-documents';
import { migration as m0410 } from './0410-invoices-open-by-subscription';
import { migration as m0700 } from './0700-dunning';

/**
 * Every migration, in order. An explicit list (not a folder scan) so a bundled app carries them.
 * Never edit a migration once it has landed: add a new one.
 */
export const migrations: readonly Migration[] = [m0100, m0200, m0300, m0340, m0400, m0410, m0700];
