import { describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate } from '../electron/server/db/migrate';
import { SEED_STAMP as stamp, seedPlan, seedSubscriptions, serviceRow, useMigrationDatabases } from '../test/fixtures/migration-db';

const databases = useMigrationDatabases();

describe('migration 0500', () => {
  it('opens a datastore already holding logins that differ only by case, and refuses any new clash', async () => {
    const { db } = await databases.at('0410-invoices-open-by-subscription');
    const [subscriptionId] = (await seedSubscriptions(db)).subscriptionIds as [number];
    const service = { ...serviceRow(subscriptionId, await seedPlan(db)), status: 'Active' };
    await db.insertInto('services').values({ ...service, login: 'alice' }).execute();
    const { id: upper } = await db.insertInto('services').values({ ...service, login: 'ALICE' }).returning('id').executeTakeFirstOrThrow();

    // 0500 first; the later migrations follow it.
    expect((await migrate(db, migrations)).applied[0]).toBe('0500-logins-unique-ignoring-case');
    // The clash written before stays readable and editable in other fields; no third spelling gets in.
    await db.updateTable('services').set({ description: 'Still here' }).where('id', '=', upper).execute();
    await expect(db.insertInto('services').values({ ...service, login: 'Alice' }).execute()).rejects.toThrow(/conflict:login:/);
    await expect(db.updateTable('services').set({ login: 'aLiCe' }).where('id', '=', upper).execute()).rejects.toThrow(/conflict:login:/);
    const { id: hotspotPlanId } = await db.insertInto('hotspot_plans').values({ name: 'Day', validity_days: 1, price_cents: 500, created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const guest = { subscription_id: subscriptionId, hotspot_plan_id: hotspotPlanId, kind: 'login', status: 'Active', created_at: stamp, updated_at: stamp };
    await expect(db.insertInto('hotspot_users').values({ ...guest, login: 'ALICE' }).execute()).rejects.toThrow(/conflict:login:/);
    await db.insertInto('hotspot_users').values({ ...guest, login: 'bob' }).execute();
    await expect(db.insertInto('services').values({ ...service, login: 'BOB' }).execute()).rejects.toThrow(/conflict:login:/);
    // Archived services hold no login.
    await db.insertInto('services').values({ ...service, login: 'Bob', status: 'Archived' }).execute();
    await db.destroy();
  });
});
