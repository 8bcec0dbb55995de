import type { Db } from '../db/open';
import { refreshQueryStatistics } from '../db/open';
import { rebuildSubscriptionSearch } from '../db/search';
import { seedDemoBilling } from './billing';
import { seedCatalog } from './catalog';
import { seedPeople } from './people';
import { seededRandom } from './random';

export interface DemoOptions {
  subscribers: number;
  seed?: number;
  /** The day the demo ISP is "now"; dates in the data are relative to it. */
  today?: Date;
}

export interface DemoSummary {
  subscribers: number;
  staff: number;
}

/**
 * Fills an empty datastore with a realistic small ISP: the same seed and day give the same data.
 * 2,000 subscribers for a first look; 100,000 for benchmarks.
 */
export async function generateDemo(db: Db, options: DemoOptions): Promise<DemoSummary> {
  const rng = seededRandom(options.seed ?? 20261123);
  const today = options.today ?? new Date();
  const existing = await db.selectFrom('subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) throw new Error('Demo data goes into an empty datastore; this one already has subscriptions.');
  const summary = await db.transaction().execute(async (trx) => {
    const people = await seedPeople(trx, rng, options.subscribers, today);
    await rebuildSubscriptionSearch(trx);
    await seedCatalog(trx, seededRandom((options.seed ?? 20261123) + 3), today);
    return { subscribers: people.subscriptionIds.length, staff: people.staffIds.length };
  });
  // After the catalog and services: billing history is made by the real billing run, in its own transactions.
  await seedDemoBilling(db, seededRandom((options.seed ?? 20261123) + 4), today, options.subscribers);
  await refreshQueryStatistics(db);
  return summary;
}
