import type { Db } from '../../electron/server/db/open';
import { addDays } from '../../electron/server/billing/rules/dates';
import type { IsoDate } from '../../shared/domain/types';
import { seedPeople } from '../../electron/server/demo/people';
import { seededRandom } from '../../electron/server/demo/random';

/**
 * A datastore for the crash test: subscriptions with a mix of services (monthly and quarterly,
 * prorated starts, discounts, one-time fees, two tax rates), all starting in the months before `asOf`
 * so a run has periods to catch up.
 */
export async function seedBillingData(db: Db, subscriptions: number, asOf: IsoDate): Promise<void> {
  const rng = seededRandom(4242);
  const stamp = `${asOf}T00:00:00.000Z`;
  await db.transaction().execute(async (trx) => {
    const people = await seedPeople(trx, rng, subscriptions, new Date(stamp));
    const sales = await trx.insertInto('tax_classes').values({ name: 'Sales tax', rate_percent: '7.25', created_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const telecom = await trx.insertInto('tax_classes').values({ name: 'Telecom', rate_percent: '3.5', created_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const plans = [
      { name: 'Bronze 10/2', price: 2999, months: 1, tax: sales.id },
      { name: 'Silver 25/5', price: 4499, months: 1, tax: sales.id },
      { name: 'Gold 50/10', price: 6999, months: 1, tax: sales.id },
      { name: 'Rural quarterly', price: 13497, months: 3, tax: sales.id },
      { name: 'Voice line', price: 1999, months: 1, tax: telecom.id },
      { name: 'Installation', price: 9900, months: 1, tax: null },
    ];
    const planIds: number[] = [];
    for (const p of plans) {
      const r = await trx
        .insertInto('plans')
        .values({ kind: 'Internet', name: p.name, price_cents: p.price, pay_period_months: p.months, tax_class_id: p.tax, created_at: stamp, updated_at: stamp })
        .returning('id')
        .executeTakeFirstOrThrow();
      planIds.push(r.id);
    }
    const rows = [];
    for (const subscriptionId of people.subscriptionIds) {
      const start = addDays(asOf, -rng.int(0, 200));
      const main = rng.int(0, 3);
      rows.push({
        subscription_id: subscriptionId,
        plan_id: planIds[main]!,
        description: plans[main]!.name,
        pay_period_months: plans[main]!.months,
        rating_method: 'recurring',
        start_date: start,
        end_date: rng.chance(0.1) ? addDays(start, rng.int(10, 150)) : null,
        discount_percent: rng.chance(0.2) ? String(rng.pick([10, 15, 20, 33.3])) : null,
        discount_start: start,
        discount_end: addDays(start, rng.int(5, 90)),
        status: 'Active',
        created_at: stamp,
        updated_at: stamp,
      });
      if (rng.chance(0.3)) {
        rows.push({ subscription_id: subscriptionId, plan_id: planIds[4]!, description: 'Voice line', pay_period_months: 1, rating_method: 'recurring', start_date: addDays(start, rng.int(0, 30)), end_date: null, discount_percent: null, discount_start: null, discount_end: null, status: 'Active', created_at: stamp, updated_at: stamp });
      }
      if (rng.chance(0.5)) {
        rows.push({ subscription_id: subscriptionId, plan_id: planIds[5]!, description: 'Installation', pay_period_months: 1, rating_method: 'one-time', start_date: start, end_date: null, discount_percent: null, discount_start: null, discount_end: null, status: 'Active', created_at: stamp, updated_at: stamp });
      }
    }
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('services').values(rows.slice(i, i + 500)).execute();
  });
}
