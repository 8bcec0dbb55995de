import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';
import type { Db } from '../db/open';
import { executeCached, jsonIds } from '../db/json-rows';
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

/**
 * The same effects for many subscriptions at once (the dunning run): one read of their services
 * and one prepared update per service that changes.
 */
export async function onSubscriptionStatusChanges(db: Db, changes: readonly { id: number; from: SubscriptionStatus; to: SubscriptionStatus }[], now: Date): Promise<void> {
  const stamp = now.toISOString();
  const byId = new Map(changes.map((c) => [c.id, c]));
  const services = await executeCached(
    db,
    db,
    db
      .selectFrom('services')
      .select(['id', 'subscription_id', 'status', 'stopped_by_subscription'])
      .where('subscription_id', 'in', jsonIds([...byId.keys()]))
      .where('status', 'in', ['Active', 'Stopped'])
      .compile(),
  );
  for (const s of services) {
    const change = byId.get(s.subscription_id)!;
    const next = serviceStatusOnSubscriptionChange({ status: s.status as 'Active' | 'Stopped', stoppedBySubscription: s.stopped_by_subscription === 1 }, change.from, change.to);
    if (!next) continue;
    await executeCached(
      db,
      db,
      db.updateTable('services').set({ status: next.status, stopped_by_subscription: next.stoppedBySubscription ? 1 : 0, updated_at: stamp }).where('id', '=', s.id).compile(),
    );
  }
}
