import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../../shared/domain/ipv4';
import { type Datastore, openDatastore } from '../db/open';
import { seedCatalog } from './catalog';
import { seedPeople } from './people';
import { seededRandom } from './random';

const today = new Date('2026-11-23T09:00:00Z');
const open: { store: Datastore; dir: string }[] = [];
afterEach(async () => {
  for (const { store, dir } of open.splice(0)) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function demo(subscribers: number) {
  const dir = mkdtempSync(join(tmpdir(), 'towerline-demo-catalog-'));
  const store = await openDatastore(join(dir, 'db.sqlite'));
  open.push({ store, dir });
  const seed = await store.db.transaction().execute(async (trx) => {
    await seedPeople(trx, seededRandom(7), subscribers, today);
    return seedCatalog(trx, seededRandom(10), today);
  });
  return { db: store.db, seed };
}

describe('demo catalog and services', () => {
  it('are consistent with subscription statuses, networks and each other', async () => {
    const { db, seed } = await demo(400);
    expect(seed.services).toBeGreaterThan(300);
    expect(seed.devices).toBeGreaterThan(200);

    const rows = await db
      .selectFrom('services as s')
      .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
      .select(['s.id', 's.status', 's.stopped_by_subscription', 's.login', 's.ipv4_address', 's.router_id', 'sub.status as sub_status'])
      .execute();
    for (const r of rows) {
      if (r.sub_status === 'Inactive') expect([r.status, r.stopped_by_subscription]).toEqual(['Stopped', 1]);
      if (r.sub_status === 'Cancelled' || r.sub_status === 'Completed') expect(r.status).toBe('Archived');
      if (r.sub_status === 'Active') expect(r.status).toBe('Active');
    }
    const live = rows.filter((r) => r.status !== 'Archived' && r.login);
    expect(new Set(live.map((r) => r.login)).size).toBe(live.length);

    // Every permanent address lies in a permanent network of the service's own router, allocated once.
    const networks = await db.selectFrom('ip_networks').selectAll().execute();
    const allocations = await db.selectFrom('ip_allocations').selectAll().execute();
    const withAddress = rows.filter((r) => r.ipv4_address);
    expect(withAddress.length).toBeGreaterThan(20);
    expect(allocations).toHaveLength(withAddress.length);
    for (const r of withAddress) {
      const v = parseIpv4(r.ipv4_address!)!;
      const n = networks.find((x) => x.kind === 'permanent' && x.first_int <= v && x.last_int >= v);
      expect(n?.router_id).toBe(r.router_id);
      expect(v).toBeGreaterThan(n!.first_int + 9);
      expect(allocations.find((a) => a.service_id === r.id)?.address).toBe(r.ipv4_address);
    }

    // Package services answered their package's required question.
    const packaged = await db.selectFrom('services').select('id').where('account_package_id', 'is not', null).execute();
    expect(packaged.length).toBeGreaterThan(0);
    const answered = await db.selectFrom('service_profile_answers').select('service_id').distinct().execute();
    expect(answered.length).toBe(packaged.length);

    // Devices sit on their service's subscription.
    const mismatched = await db.selectFrom('devices as d').innerJoin('services as s', 's.id', 'd.service_id').select('d.id').whereRef('d.subscription_id', '<>', 's.subscription_id').execute();
    expect(mismatched).toEqual([]);
  });

  it('are the same for the same seed and day', async () => {
    const a = await demo(120);
    const b = await demo(120);
    const snapshot = (db: typeof a.db) => db.selectFrom('services').select(['plan_id', 'login', 'password', 'ipv4_address', 'mac_addresses', 'status']).orderBy('id').execute();
    expect(await snapshot(a.db)).toEqual(await snapshot(b.db));
  });
});
