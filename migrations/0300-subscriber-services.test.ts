import { describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate } from '../electron/server/db/migrate';
import { SEED_STAMP as stamp, seedPlan, seedSubscriptions, serviceRow, useMigrationDatabases } from '../test/fixtures/migration-db';

const databases = useMigrationDatabases();

describe('migrations 0200, 0300 and 0340', () => {
  it('apply over a database with subscribers, which then take services with unique live logins', async () => {
    const { db } = await databases.at('0100-people-and-subscriptions');
    const [subscriptionId] = (await seedSubscriptions(db)).subscriptionIds as [number];

    const report = await migrate(db, migrations);
    expect(report.applied).toEqual(expect.arrayContaining(['0200-catalog-plans-packages', '0300-subscriber-services', '0340-devices-and-hotspot']));

    const planId = await seedPlan(db);
    const service = { ...serviceRow(subscriptionId, planId), login: 'olsen1' };
    await db.insertInto('services').values({ ...service, status: 'Active' }).execute();
    await expect(db.insertInto('services').values({ ...service, status: 'Pending' }).execute()).rejects.toThrow(/UNIQUE/);
    await db.insertInto('services').values({ ...service, status: 'Archived' }).execute();
    await expect(db.insertInto('services').values({ ...service, login: 'x', status: 'Gone' }).execute()).rejects.toThrow(/CHECK/);
    await expect(db.insertInto('plans').values({ kind: 'Internet', name: 'Bad', price_cents: 1, pay_period_months: 2, created_at: stamp, updated_at: stamp }).execute()).rejects.toThrow(/CHECK/);
    await db.destroy();
  });
});
