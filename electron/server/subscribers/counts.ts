import type { Db } from '../db/open';

/**
 * What hangs off a subscription, for the Summary tab. Services, hotspot users and devices
 * arrive with the catalog issue; until their tables exist there is nothing to count.
 */
export async function countSubscriptionItems(_db: Db, _subscriptionId: number): Promise<{ services: number; hotspotUsers: number; devices: number }> {
  return { services: 0, hotspotUsers: 0, devices: 0 };
}
