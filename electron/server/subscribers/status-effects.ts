import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';
import type { Db } from '../db/open';

/**
 * What a subscription's status change does to the things under it (services stop and come back;
 * DOMAIN.md, "Inactive"). Services arrive with the catalog issue, which fills this in.
 */
export async function onSubscriptionStatusChange(_db: Db, _subscriptionId: number, _from: SubscriptionStatus, _to: SubscriptionStatus, _now: Date): Promise<void> {}
