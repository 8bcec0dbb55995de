import type { Migration } from '../electron/server/db/migration';
import { migration as m0100 } from './0100-people-and-subscriptions';
import { migration as m0200 } from './0200-catalog-plans-packages';
import { migration as m0300 } from './0300-subscriber-services';
import { migration as m0340 } from './0340-devices-and-hotspot';
import { migration as m0400 } from './0400-billing-documents';
import { migration as m0410 } from './0410-invoices-open-by-subscription';
import { migration as m0500 } from './0500-logins-unique-ignoring-case';
import { migration as m0520 } from './0520-backup-settings-and-history';
import { migration as m0600 } from './0600-network-sync-outbox';
import { migration as m0640 } from './0640-radius-settings-and-sessions';
import { migration as m0660 } from './0660-freeradius-settings';
import { migration as m0661 } from './0661-background-settings';
import { migration as m0700 } from './0700-dunning';
import { migration as m0800 } from './0800-upgrade-paths-and-package-moves';
import { migration as m0900 } from './0900-import-mappings';
import { migration as m1000 } from './1000-usage-rollups';
import { migration as m1020 } from './1020-usage-cap-actions';
import { migration as m1100 } from './1100-hotspot-voucher-status';
import { migration as m1200 } from './1200-dunning-throttle-outbox';
import { migration as m1240 } from './1240-billing-while-suspended';
import { migration as m1300 } from './1300-radius-login-changes';
import { migration as m1600 } from './1600-find-anything-indexes';
import { migration as m1700 } from './1700-subscription-name-sort-key';
import { migration as m1710 } from './1710-billing-run-duration';
import { migration as m1960 } from './1960-radius-login-changes-follow-dunning';
import { migration as m2050 } from './2050-radius-dynamic-outbox';
import { migration as m2150 } from './2150-paused-suspensions';
import { migration as m2200 } from './2200-dunning-notices-by-date';
import { migration as m2250 } from './2250-router-usage-source';
import { migration as m2350 } from './2350-dunning-settlement-indexes';
import { migration as m2360 } from './2360-usage-live-sessions-by-service';
import { migration as m2400 } from './2400-billing-run-amount-as-exact-text';
import { migration as m2450 } from './2450-drop-superseded-subscription-name-indexes';
import { migration as m2500 } from './2500-subscription-name-sort-key-given-on-insert';
import { migration as m2550 } from './2550-service-last-seen-after-session-ends';

/**
 * Every migration, in order. An explicit list (not a folder scan) so a bundled app carries them.
 * Never edit a migration once it has landed: add a new one.
 */
export const migrations: readonly Migration[] = [m0100, m0200, m0300, m0340, m0400, m0410, m0500, m0520, m0600, m0640, m0660, m0661, m0700, m0800, m0900, m1000, m1020, m1100, m1200, m1240, m1300, m1600, m1700, m1710, m1960, m2050, m2150, m2200, m2250, m2350, m2360, m2400, m2450, m2500, m2550];
