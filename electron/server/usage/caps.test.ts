import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makePlan, makeService, makeSubscription } from '../../../test/fixtures/factories';
import { makeTestRouter, useTestRouter } from '../../../test/routeros/harness';
import type { RouterOsTestServer } from '../../../test/routeros/server';
import { radclient } from '../../../test/radius/peers';
import { sqliteHandle } from '../db/json-rows';
import { decide } from '../network/radius/answer';
import { createLookup } from '../network/radius/lookup';
import { type RadiusServer, startRadiusServer } from '../network/radius/server';
import { startUsageCaps } from './caps';

/**
 * Data caps on the network: a service whose December usage reaches its plan's cap is throttled
 * (the cap's rate on the test RouterOS router and in the RADIUS answer, also of a running RADIUS
 * server) or Disabled, and everything comes back on 1 January.
 */
const GB = 1_000_000_000;
const SECRET = 'tower-secret-caps';
let router: RouterOsTestServer;
let t: TestBackend;
let radius: RadiusServer | undefined;
let clock = new Date('2026-12-01T09:00:00Z');

useTestRouter((r) => (router = r));
beforeEach(async () => {
  clock = new Date('2026-12-01T09:00:00Z');
  t = await testBackend({ now: () => clock });
});
afterEach(async () => {
  await radius?.stop();
  radius = undefined;
  await t.close();
});

async function world() {
  const r = await makeTestRouter(t, router, { radiusSecret: SECRET });
  const plan = await makePlan(t, { name: 'Home 50/10', priceCents: 5000, downloadKbps: 50_000, uploadKbps: 10_000, qosMode: 'Simple queue' });
  const sub = await makeSubscription(t, { billDay: 1 });
  const ppp = await makeService(t, { subscriptionId: sub.id, planId: plan.id, routerId: r.id, login: 'dyn1', password: 'pw-dyn', startDate: '2026-12-01' });
  // A fixed address without PPP: limited by a simple queue.
  const fixed = await makeService(t, { subscriptionId: sub.id, planId: plan.id, routerId: r.id, login: null, ipv4Assignment: 'permanent', ipv4Address: '100.64.0.10', startDate: '2026-12-01' });
  return { router: r, plan, sub, ppp, fixed };
}

/** Usage as the rollup holds it (the accounting tests prove how it gets there). */
async function used(serviceId: number, day: string, download: number, upload: number) {
  await t.backend.datastore.db.insertInto('usage_daily').values({ service_id: serviceId, day, download_bytes: download, upload_bytes: upload }).execute();
}

const secret = (name: string) => router.menu('/ppp/secret').find({ name })[0];
const queue = () => router.menu('/queue/simple').list()[0];
const status = async (id: number) => (await t.call('services.get', { id })).status;

describe('a data cap', () => {
  it('rejects a throttle cap without its speeds, naming the field', async () => {
    const plan = await makePlan(t, { priceCents: 1000 });
    await expect(t.call('usage.setPlanCap', { planId: plan.id, cap: { capGb: 100, action: 'throttle', throttleDownloadKbps: 2000 } })).rejects.toMatchObject({
      fields: { 'cap.throttleUploadKbps': expect.any(String) },
    });
  });

  it('throttles to the cap\'s rate on the router and in the RADIUS answer, until the next month', async () => {
    const w = await world();
    await t.call('usage.setPlanCap', { planId: w.plan.id, cap: { capGb: 100, action: 'throttle', throttleDownloadKbps: 2000, throttleUploadKbps: 512 } });
    await t.call('network.sync', { routerId: w.router.id });
    radius = await startRadiusServer(t.backend, { authPort: 0, acctPort: 0, heartbeatMs: 100, log: () => {} });
    const login = async () => (await radclient(radius!.authPort, 'auth', SECRET, ['User-Name = dyn1', 'User-Password = pw-dyn', 'Message-Authenticator = 0x00'])).attributes['Mikrotik-Rate-Limit'];
    expect(await login()).toBe('10M/50M');

    // 99 GB + 1 GB - 1 byte: one byte short of the cap on the 20th, nothing happens.
    await used(w.ppp.id, '2026-12-05', 60 * GB, 39 * GB);
    await used(w.ppp.id, '2026-12-20', GB - 1, 0);
    await used(w.fixed.id, '2026-12-20', 100 * GB, 0);
    // Last month's usage does not count.
    await used(w.ppp.id, '2026-11-30', 500 * GB, 0);
    clock = new Date('2026-12-20T12:00:00Z');
    expect(await t.call('usage.applyCaps', {})).toEqual({ day: '2026-12-20', applied: [{ serviceId: w.fixed.id, action: 'throttle' }], lifted: [], failed: [] });
    await t.backend.datastore.db.updateTable('usage_daily').set({ upload_bytes: 1 }).where('service_id', '=', w.ppp.id).where('day', '=', '2026-12-20').execute();
    expect((await t.call('usage.applyCaps', {})).applied).toEqual([{ serviceId: w.ppp.id, action: 'throttle' }]);
    // Applied once per period.
    expect(await t.call('usage.applyCaps', {})).toMatchObject({ applied: [], lifted: [] });
    expect(await status(w.ppp.id)).toBe('Active');

    // Queued for the router in the same transaction, and the running RADIUS server follows.
    expect((await t.call('network.status', { routerId: w.router.id })).pending).toBeGreaterThanOrEqual(2);
    expect(await login()).toBe('512k/2M');
    await t.call('network.sync', { routerId: w.router.id });
    expect(secret('dyn1')?.profile).toBe('towerline-capped-512k-2M');
    expect(router.menu('/ppp/profile').find({ name: 'towerline-capped-512k-2M' })[0]).toMatchObject({ 'rate-limit': '512k/2M', comment: 'towerline:profile=capped-512k/2M' });
    expect(queue()).toMatchObject({ 'max-limit': '512000/2000000', 'burst-limit': '0/0' });
    const lookup = createLookup(t.backend.datastore.db, sqliteHandle(t.backend.datastore.db)!);
    expect(decide(lookup.login('dyn1')!, { suspendedAnswer: 'address-list', now: clock, nasRouterId: w.router.id })).toEqual({ accept: true, attributes: [['Mikrotik-Rate-Limit', '512k/2M']] });

    clock = new Date('2027-01-01T00:10:00Z');
    const lifted = await t.call('usage.applyCaps', {});
    expect(lifted.lifted.map((l) => [l.serviceId, l.reason])).toEqual([
      [w.ppp.id, 'next period'],
      [w.fixed.id, 'next period'],
    ]);
    expect(await login()).toBe('10M/50M');
    await t.call('network.sync', { routerId: w.router.id });
    expect(secret('dyn1')?.profile).toBe(`towerline-plan-${w.plan.id}`);
    expect(router.menu('/ppp/profile').find({ name: 'towerline-capped-512k-2M' })).toEqual([]);
    expect(queue()).toMatchObject({ 'max-limit': '10000000/50000000' });

    const history = await t.call('usage.capActions', { serviceId: w.ppp.id });
    expect(history).toEqual([
      expect.objectContaining({ period: '2026-12', action: 'throttle', throttleRate: '512k/2M', usedBytes: 100 * GB, capBytes: 100 * GB, liftReason: 'next period', liftedAt: '2027-01-01T00:10:00.000Z' }),
    ]);
  });

  it('disables the service through its status, and gives it back next month unless staff changed it', async () => {
    const w = await world();
    await t.call('usage.setPlanCap', { planId: w.plan.id, cap: { capGb: 50, action: 'disable' } });
    await t.call('network.sync', { routerId: w.router.id });
    await used(w.ppp.id, '2026-12-10', 30 * GB, 20 * GB);
    await used(w.fixed.id, '2026-12-10', 50 * GB, 0);
    clock = new Date('2026-12-10T18:00:00Z');
    expect((await t.call('usage.applyCaps', {})).applied.map((a) => a.action)).toEqual(['disable', 'disable']);
    expect(await status(w.ppp.id)).toBe('Disabled');
    expect(await status(w.fixed.id)).toBe('Disabled');
    const lookup = createLookup(t.backend.datastore.db, sqliteHandle(t.backend.datastore.db)!);
    expect(decide(lookup.login('dyn1')!, { suspendedAnswer: 'reject', now: clock, nasRouterId: w.router.id }).accept).toBe(false);
    await t.call('network.sync', { routerId: w.router.id });
    expect(secret('dyn1')?.profile).toBe('towerline-suspended');

    // Staff give the fixed subscriber its service back by hand: not disabled again this month.
    await t.call('services.update', { id: w.fixed.id, status: 'Active' });
    expect((await t.call('usage.applyCaps', {})).applied).toEqual([]);
    expect(await status(w.fixed.id)).toBe('Active');

    clock = new Date('2027-01-01T06:00:00Z');
    expect((await t.call('usage.applyCaps', {})).lifted.length).toBe(2);
    expect(await status(w.ppp.id)).toBe('Active');
    expect(await status(w.fixed.id)).toBe('Active');
    await t.call('network.sync', { routerId: w.router.id });
    expect(secret('dyn1')?.profile).toBe(`towerline-plan-${w.plan.id}`);
  });

  it('is applied by the cap job at its start, which then wakes the network sync', async () => {
    const w = await world();
    await t.call('usage.setPlanCap', { planId: w.plan.id, cap: { capGb: 1, action: 'disable' } });
    await used(w.ppp.id, '2026-12-02', GB, 0);
    clock = new Date('2026-12-02T10:00:00Z');
    const lines: string[] = [];
    let woken = 0;
    const job = startUsageCaps(t.backend, { now: () => clock, log: (l) => lines.push(l), onChanged: () => (woken += 1) });
    await job.stop();
    expect(lines).toEqual(['usage caps: 1 applied, 0 lifted']);
    expect(woken).toBe(1);
    expect(await status(w.ppp.id)).toBe('Disabled');
  });
});
