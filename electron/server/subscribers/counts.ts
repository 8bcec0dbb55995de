import type { Db } from '../db/open';

/** What hangs off a subscription, for the Summary tab: live (non-archived) services, hotspot users and devices. */
export async function countSubscriptionItems(db: Db, subscriptionId: number): Promise<{ services: number; hotspotUsers: number; devices: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('services').select(eb.fn.countAll<number>().as('n')).where('subscription_id', '=', subscriptionId).where('status', '<>', 'Archived').as('services'),
      eb.selectFrom('hotspot_users').select(eb.fn.countAll<number>().as('n')).where('subscription_id', '=', subscriptionId).as('hotspotUsers'),
      eb.selectFrom('devices').select(eb.fn.countAll<number>().as('n')).where('subscription_id', '=', subscriptionId).as('devices'),
    ])
    .executeTakeFirstOrThrow();
  return { services: Number(row.services ?? 0), hotspotUsers: Number(row.hotspotUsers ?? 0), devices: Number(row.devices ?? 0) };
}
