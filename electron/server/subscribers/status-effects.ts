import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';
import type { Db } from '../db/open';
import { serviceStatusOnSubscriptionChange } from '../services/rules';

/**
 * What a subscription's status change does to the things under it (DOMAIN.md, "Inactive"):
 * going Inactive stops its Active services and marks them as stopped automatically; going Active
 * again brings back exactly those, leaving services staff stopped by hand as they are.
 */
export async function onSubscriptionStatusChange(db: Db, subscriptionId: number, from: SubscriptionStatus, to: SubscriptionStatus, now: Date): Promise<void> {
  const services = await db
    .selectFrom('services')
    .select(['id', 'status', 'stopped_by_subscription'])
    .where('subscription_id', '=', subscriptionId)
    .where('status', 'in', ['Active', 'Stopped'])
    .execute();
  const stamp = now.toISOString();
  for (const s of services) {
    const next = serviceStatusOnSubscriptionChange({ status: s.status as 'Active' | 'Stopped', stoppedBySubscription: s.stopped_by_subscription === 1 }, from, to);
    if (!next) continue;
    await db
      .updateTable('services')
      .set({ status: next.status, stopped_by_subscription: next.stoppedBySubscription ? 1 : 0, updated_at: stamp })
      .where('id', '=', s.id)
      .execute();
  }
}
