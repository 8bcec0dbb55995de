import { addDays, addMonths, dateParts, makeDate, type IsoDate } from '../../../electron/server/billing/rules/dates';
import { generateDemo } from '../../../electron/server/demo/generate';
import { seededRandom } from '../../../electron/server/demo/random';
import { type RunningApp, startApp } from './app';

export interface BillingDemo {
  app: RunningApp;
  today: IsoDate;
  /** The first day billed: the first of last month, so a run catches up two months. */
  billingStart: IsoDate;
  firstOfThisMonth: IsoDate;
}

/**
 * The running app on demo data ready to bill: the demo generator's subscribers, and (when the
 * generator makes none) one Internet service each on a few taxed plans, as the billing benchmark
 * does. Nothing is billed yet: the test runs billing itself, from the Billing area.
 */
export async function startBillingDemo(subscribers: number): Promise<BillingDemo> {
  const app = await startApp();
  const db = app.t.backend.datastore.db;
  const now = new Date();
  const today = now.toISOString().slice(0, 10) as IsoDate;
  const { year, month } = dateParts(today);
  const firstOfThisMonth = makeDate(year, month, 1);
  const billingStart = addMonths(firstOfThisMonth, -1);

  await generateDemo(db, { subscribers, today: now });
  const services = await db.selectFrom('services').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(services.n) === 0) {
    const rng = seededRandom(4242);
    const stamp = now.toISOString();
    await db.transaction().execute(async (trx) => {
      const state = await trx.insertInto('tax_classes').values({ name: 'State sales tax', rate_percent: '6', created_at: stamp }).returning('id').executeTakeFirstOrThrow();
      const telecom = await trx.insertInto('tax_classes').values({ name: 'Telecom tax', rate_percent: '7.25', created_at: stamp }).returning('id').executeTakeFirstOrThrow();
      const plans: { id: number; name: string; months: number }[] = [];
      for (const [name, price, months, tax] of [
        ['Bronze 10/2', 2999, 1, state.id],
        ['Silver 25/5', 4499, 1, telecom.id],
        ['Gold 50/10', 6999, 1, telecom.id],
      ] as const) {
        const p = await trx
          .insertInto('plans')
          .values({ kind: 'Internet', name, price_cents: price, pay_period_months: months, tax_class_id: tax, created_at: stamp, updated_at: stamp })
          .returning('id')
          .executeTakeFirstOrThrow();
        plans.push({ id: p.id, name, months });
      }
      const subs = await trx.selectFrom('subscriptions').select('id').where('status', '=', 'Active').orderBy('id').execute();
      const rows = subs.map((s) => {
        const p = rng.pick(plans);
        return {
          subscription_id: s.id,
          plan_id: p.id,
          description: p.name,
          pay_period_months: p.months,
          rating_method: 'recurring',
          start_date: addDays(today, -rng.int(1, 400)),
          status: 'Active',
          created_at: stamp,
          updated_at: stamp,
        };
      });
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('services').values(rows.slice(i, i + 500)).execute();
    });
  }
  const settings = await app.t.call('billingSettings.get', {});
  await app.t.call('billingSettings.update', {
    billingStartDate: billingStart,
    ...(settings.ispName === 'Your ISP'
      ? { ispName: 'Pine Hollow Wireless', ispStreet: '118 Ridge Road', ispCity: 'Sandpoint', ispRegion: 'ID', ispPostalCode: '83864', ispCountry: 'United States', ispEmail: 'billing@pinehollow.net' }
      : {}),
  });
  return { app, today, billingStart, firstOfThisMonth };
}
