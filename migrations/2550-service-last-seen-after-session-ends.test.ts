import { describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate } from '../electron/server/db/migrate';
import { SEED_STAMP, seedPlan, seedSubscriptions, serviceRow, useMigrationDatabases } from '../test/fixtures/migration-db';

const databases = useMigrationDatabases();

describe('migration 2550', () => {
  it("keeps a service's last report when its live session goes, the latest winning, and nothing for a deleted service", async () => {
    const { db } = await databases.at('2500-subscription-name-sort-key-given-on-insert');
    const { subscriptionIds } = await seedSubscriptions(db, [{}]);
    const planId = await seedPlan(db);
    const [a, b] = await Promise.all(
      ['alpha', 'beta'].map(async (login) => (await db.insertInto('services').values({ ...serviceRow(subscriptionIds[0]!, planId), status: 'Active', login }).returning('id').executeTakeFirstOrThrow()).id),
    );
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('2550-service-last-seen-after-session-ends');

    const live = (key: string, serviceId: number, updatedAt: string) =>
      db
        .insertInto('usage_live_sessions')
        .values({ session_key: key, source: 'routeros', service_id: serviceId, hotspot_user_id: null, router_id: null, login: 'x', started_at: SEED_STAMP, updated_at: updatedAt, session_seconds: 0, input_counter: 0, output_counter: 0 })
        .execute();
    await live('a1', a!, '2026-11-23T10:00:00.000Z');
    await live('a2', a!, '2026-11-23T11:00:00.000Z');
    await live('b1', b!, '2026-11-23T10:30:00.000Z');
    const seen = async () => Object.fromEntries((await db.selectFrom('service_last_seen').selectAll().orderBy('service_id').execute()).map((r) => [r.service_id, r.seen_at]));
    expect(await seen()).toEqual({});

    await db.deleteFrom('usage_live_sessions').where('session_key', '=', 'a2').execute();
    await db.deleteFrom('usage_live_sessions').where('session_key', '=', 'a1').execute();
    // The earlier report that went later does not move it back.
    expect(await seen()).toEqual({ [a!]: '2026-11-23T11:00:00.000Z' });

    // Deleting the service takes its live session with it (cascade): that keeps nothing, and fails nothing.
    await db.deleteFrom('services').where('id', '=', b!).execute();
    expect(await seen()).toEqual({ [a!]: '2026-11-23T11:00:00.000Z' });
    await db.deleteFrom('services').where('id', '=', a!).execute();
    expect(await seen()).toEqual({});
  });
});
