import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/api/errors';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makeNetwork, makePlan, makeRouter, makeService, makeSubscription } from '../../../test/fixtures/factories';

let t: TestBackend;
let clock = new Date('2026-11-23T09:00:00Z');
beforeEach(async () => {
  clock = new Date('2026-11-23T09:00:00Z');
  t = await testBackend({ now: () => clock });
});
afterEach(async () => {
  await t.close();
});

describe('services', () => {
  it('uses the plan price unless overridden, and says which applies', async () => {
    const plan = await makePlan(t, { priceCents: 6000 });
    const onPlan = await makeService(t, { planId: plan.id });
    expect(onPlan).toMatchObject({ priceCents: 6000, planPriceCents: 6000, priceOverridden: false, description: plan.name, payPeriodMonths: 1 });
    const own = await t.call('services.update', { id: onPlan.id, priceCents: 5500 });
    expect(own).toMatchObject({ priceCents: 5500, priceOverridden: true });
    await t.call('plans.update', { id: plan.id, priceCents: 6500 });
    expect((await t.call('services.get', { id: onPlan.id })).priceCents).toBe(5500);
    const back = await t.call('services.update', { id: onPlan.id, priceCents: null });
    expect(back).toMatchObject({ priceCents: 6500, priceOverridden: false });
  });

  it('keeps fields not sent in an edit, including status', async () => {
    const s = await makeService(t, { status: 'Pending', quantity: '2' });
    const edited = await t.call('services.update', { id: s.id, description: 'Cabin link' });
    expect(edited).toMatchObject({ status: 'Pending', quantity: '2', description: 'Cabin link', login: s.login });
  });

  it('falls back to the subscription password and says which applies', async () => {
    const sub = await makeSubscription(t);
    await t.call('subscriptions.update', { id: sub.id, servicePassword: 'house-secret' });
    const s = await makeService(t, { subscriptionId: sub.id });
    expect(s).toMatchObject({ password: 'house-secret', passwordSource: 'subscription' });
    const own = await t.call('services.update', { id: s.id, password: 'own-secret' });
    expect(own).toMatchObject({ password: 'own-secret', passwordSource: 'service' });
  });

  it('refuses tariff options on a plan that is not Internet', async () => {
    const voice = await makePlan(t, { kind: 'Voice', name: 'VoIP line', priceCents: 2000 });
    const sub = await makeSubscription(t);
    const error = await t.fail('services.create', { subscriptionId: sub.id, planId: voice.id, startDate: '2026-11-01', login: 'voip1' });
    expect(error.fields).toHaveProperty('login');
    const ok = await t.call('services.create', { subscriptionId: sub.id, planId: voice.id, startDate: '2026-11-01' });
    expect(ok).toMatchObject({ planKind: 'Voice', login: null, ipv4Assignment: 'none' });
  });

  it('checks dates and discount windows', async () => {
    const s = await makeService(t);
    expect((await t.fail('services.update', { id: s.id, endDate: '2026-10-01' })).fields).toHaveProperty('endDate');
    expect((await t.fail('services.addDiscount', { id: s.id, percent: '10', start: '2026-12-01', end: '2026-11-30' })).fields).toHaveProperty('discountEnd');
    expect((await t.fail('services.addDiscount', { id: s.id, percent: '120', start: '2026-12-01' })).fields).toHaveProperty('percent');
    const d = await t.call('services.addDiscount', { id: s.id, percent: '12.50', start: '2026-12-01', end: '2027-02-28' });
    expect(d).toMatchObject({ discountPercent: '12.5', discountStart: '2026-12-01', discountEnd: '2027-02-28' });
  });
});

describe('logins', () => {
  it('refuses a duplicate login among non-archived services, naming login', async () => {
    const first = await makeService(t, { login: 'pine-cabin' });
    const error = await t.fail('services.create', { subscriptionId: first.subscriptionId, planId: first.planId, startDate: '2026-11-01', login: 'pine-cabin' });
    expect(error.code).toBe('conflict');
    expect(error.fields?.login).toContain('pine-cabin');
    await t.call('services.update', { id: first.id, status: 'Archived' });
    const reused = await makeService(t, { login: 'pine-cabin' });
    expect(reused.login).toBe('pine-cabin');
  });

  it('is enforced by the database itself, not only by the code', async () => {
    const first = await makeService(t, { login: 'db-decides' });
    const db = t.backend.datastore.db;
    const row = await db.selectFrom('services').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    const { id: _id, ...copy } = row;
    await expect(db.insertInto('services').values({ ...copy, status: 'Active' }).execute()).rejects.toThrow(/UNIQUE constraint failed: services.login/);
    await expect(db.insertInto('services').values({ ...copy, status: 'Archived' }).execute()).resolves.toBeDefined();
  });

  it('lets exactly one of two concurrent saves on one back end win; the loser gets a conflict naming login', async () => {
    const sub = await makeSubscription(t);
    const plan = await makePlan(t);
    const input = { subscriptionId: sub.id, planId: plan.id, startDate: '2026-11-01', login: 'same-moment' };
    const results = await Promise.all([t.backend.call('services.create', input), t.backend.call('services.create', input)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser && !loser.ok && loser.error).toMatchObject({ code: 'conflict', fields: { login: expect.stringContaining('same-moment') } });
  });

  it('lets exactly one of two racing processes on the same file win; the database refuses the other, naming login', async () => {
    const sub = await makeSubscription(t);
    const plan = await makePlan(t);
    const input = JSON.stringify({ subscriptionId: sub.id, planId: plan.id, startDate: '2026-11-01', login: 'race-login' });
    const workers = [0, 1].map(() => raceWorker(t.dataDir, input));
    // Both processes have their back end open before either is told to go.
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const results = await Promise.all(workers.map((w) => w.result));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser && !loser.ok && loser.error).toMatchObject({ code: 'conflict', fields: { login: expect.stringContaining('race-login') } });
    const list = await t.call('services.listBySubscription', { subscriptionId: sub.id });
    expect(list.rows.filter((s) => s.login === 'race-login')).toHaveLength(1);
  }, 20_000);
});

describe('IPv4 tariff options', () => {
  it('gives a permanent address from a permanent network and shows who holds it', async () => {
    const net = await makeNetwork(t, { cidr: '10.20.0.0/24', gateway: '10.20.0.1' });
    const s = await makeService(t, { ipv4Assignment: 'permanent', ipv4Address: '10.20.0.15' });
    expect(s.ipv4Address).toBe('10.20.0.15');
    expect(await t.call('ipNetworks.utilization', { id: net.id })).toEqual({ size: 256, usable: 253, used: 1, free: 252 });
    const held = await t.call('ipNetworks.allocations', { id: net.id });
    expect(held.rows).toEqual([expect.objectContaining({ address: '10.20.0.15', serviceId: s.id, login: s.login })]);
    expect((await t.call('ipNetworks.nextFree', { id: net.id })).address).toBe('10.20.0.2');
  });

  it('refuses an address outside any permanent network, naming the address', async () => {
    await makeNetwork(t, { cidr: '10.20.0.0/24' });
    await makeNetwork(t, { cidr: '100.64.0.0/22', kind: 'pool', gateway: null });
    const outside = await t.fail('services.create', { ...(await base()), ipv4Assignment: 'permanent', ipv4Address: '10.99.0.5' });
    expect(outside.fields?.ipv4Address).toBe('10.99.0.5 is not in any permanent network');
    const inPool = await t.fail('services.create', { ...(await base()), ipv4Assignment: 'permanent', ipv4Address: '100.64.1.9' });
    expect(inPool.fields?.ipv4Address).toContain('100.64.1.9 is in pool network 100.64.0.0/22');
  });

  it('refuses the network, broadcast and gateway addresses and excluded ranges', async () => {
    await makeNetwork(t, { cidr: '10.20.0.0/24', gateway: '10.20.0.1', excluded: [{ first: '10.20.0.240', last: '10.20.0.250', reason: 'Tower gear' }] });
    const cases = [
      ['10.20.0.0', 'the network address'],
      ['10.20.0.255', 'the broadcast address'],
      ['10.20.0.1', 'the gateway'],
      ['10.20.0.245', 'in an excluded range'],
    ] as const;
    for (const [address, why] of cases) {
      const e = await t.fail('services.create', { ...(await base()), ipv4Assignment: 'permanent', ipv4Address: address });
      expect(e.fields?.ipv4Address).toBe(`${address} is ${why} of 10.20.0.0/24`);
    }
  });

  it('refuses an address already taken, naming it and its holder', async () => {
    await makeNetwork(t);
    const holder = await makeService(t, { ipv4Assignment: 'permanent', ipv4Address: '10.20.0.20' });
    const e = await t.fail('services.create', { ...(await base()), ipv4Assignment: 'permanent', ipv4Address: '10.20.0.20' });
    expect(e.code).toBe('conflict');
    expect(e.fields?.ipv4Address).toContain('10.20.0.20 is already taken');
    const sub = await t.call('subscriptions.get', { id: holder.subscriptionId });
    expect(e.fields?.ipv4Address).toContain(sub.uniqueId);
    // Re-saving the holder with its own address is fine; archiving frees it.
    await t.call('services.update', { id: holder.id, description: 'Renamed' });
    await t.call('services.update', { id: holder.id, status: 'Archived' });
    expect((await makeService(t, { ipv4Assignment: 'permanent', ipv4Address: '10.20.0.20' })).ipv4Address).toBe('10.20.0.20');
  });

  it('refuses an additional routed network that overlaps a network or another allocation, naming it', async () => {
    await makeNetwork(t, { cidr: '10.20.0.0/24' });
    const first = await makeService(t, { routedNetwork: '192.0.2.0/29' });
    expect(first.routedNetwork).toBe('192.0.2.0/29');
    const overlapsRouted = await t.fail('services.create', { ...(await base()), routedNetwork: '192.0.2.0/28' });
    expect(overlapsRouted.fields?.routedNetwork).toContain('overlaps routed network 192.0.2.0/29');
    const overlapsNetwork = await t.fail('services.create', { ...(await base()), routedNetwork: '10.20.0.64/29' });
    expect(overlapsNetwork.fields?.routedNetwork).toBe('10.20.0.64/29 overlaps network 10.20.0.0/24');
    const badCidr = await t.fail('services.create', { ...(await base()), routedNetwork: '192.0.2.9/29' });
    expect(badCidr.fields?.routedNetwork).toContain('192.0.2.8/29');
  });

  it('lets one of two concurrent saves of the same address win; the other gets a conflict naming the address', async () => {
    await makeNetwork(t);
    const [a, b] = [await base(), await base()];
    const results = await Promise.all([
      t.backend.call('services.create', { ...a, login: 'first', ipv4Assignment: 'permanent', ipv4Address: '10.20.0.77' }),
      t.backend.call('services.create', { ...b, login: 'second', ipv4Assignment: 'permanent', ipv4Address: '10.20.0.77' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser && !loser.ok && loser.error).toMatchObject({ code: 'conflict', fields: { ipv4Address: expect.stringContaining('10.20.0.77 is already taken') } });
  });

  it('draws dynamic addresses from any pool or a chosen pool network', async () => {
    const pool = await makeNetwork(t, { cidr: '100.64.0.0/22', kind: 'pool', gateway: null });
    const permanent = await makeNetwork(t, { cidr: '10.20.0.0/24' });
    const any = await makeService(t, { ipv4Assignment: 'dynamic' });
    expect(any).toMatchObject({ ipv4Assignment: 'dynamic', poolNetworkId: null, ipv4Address: null });
    const chosen = await makeService(t, { ipv4Assignment: 'dynamic', poolNetworkId: pool.id });
    expect(chosen).toMatchObject({ poolNetworkId: pool.id, poolNetworkCidr: '100.64.0.0/22' });
    expect((await t.fail('services.create', { ...(await base()), ipv4Assignment: 'dynamic', poolNetworkId: permanent.id })).fields).toHaveProperty('poolNetworkId');
  });
});

describe('MAC addresses and port', () => {
  it('normalizes the usual spellings and refuses an invalid one, naming it', async () => {
    const s = await makeService(t, { macAddresses: 'aa:bb:cc:dd:ee:ff, 0011.2233.4455, 66-77-88-99-AA-BB', portId: 'ether5' });
    expect(s.macAddresses).toEqual(['AA:BB:CC:DD:EE:FF', '00:11:22:33:44:55', '66:77:88:99:AA:BB']);
    expect(s.portId).toBe('ether5');
    const e = await t.fail('services.update', { id: s.id, macAddresses: 'aa:bb:cc:dd:ee:ff, 12:34:56:78:9a:zz' });
    expect(e.code).toBe('validation');
    expect(e.fields?.macAddresses).toContain('12:34:56:78:9a:zz');
  });
});

describe('subscription status', () => {
  it('Inactive stops Active services and Active again restores only those stopped automatically', async () => {
    const sub = await makeSubscription(t);
    const running = await makeService(t, { subscriptionId: sub.id });
    const byHand = await makeService(t, { subscriptionId: sub.id });
    const disabled = await makeService(t, { subscriptionId: sub.id, status: 'Disabled' });
    await t.call('services.update', { id: byHand.id, status: 'Stopped' });

    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Inactive' });
    const stopped = await t.call('services.get', { id: running.id });
    expect(stopped).toMatchObject({ status: 'Stopped', stoppedBySubscription: true });
    expect((await t.call('services.get', { id: byHand.id })).stoppedBySubscription).toBe(false);

    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Active' });
    expect(await t.call('services.get', { id: running.id })).toMatchObject({ status: 'Active', stoppedBySubscription: false });
    expect((await t.call('services.get', { id: byHand.id })).status).toBe('Stopped');
    expect((await t.call('services.get', { id: disabled.id })).status).toBe('Disabled');
  });

  it('a service staff change by hand while stopped is not brought back automatically', async () => {
    const sub = await makeSubscription(t);
    const s = await makeService(t, { subscriptionId: sub.id });
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Inactive' });
    await t.call('services.update', { id: s.id, status: 'Disabled' });
    await t.call('services.update', { id: s.id, status: 'Stopped' });
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Active' });
    expect((await t.call('services.get', { id: s.id })).status).toBe('Stopped');
  });

  it('a service added while the subscription is Inactive starts stopped and comes back with it; a closed one takes none', async () => {
    const sub = await makeSubscription(t, { status: 'Inactive' });
    const s = await makeService(t, { subscriptionId: sub.id });
    expect(s).toMatchObject({ status: 'Stopped', stoppedBySubscription: true });
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Active' });
    expect((await t.call('services.get', { id: s.id })).status).toBe('Active');
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Cancelled', reason: 'Moved away' });
    expect((await t.fail('services.create', { subscriptionId: sub.id, planId: s.planId, startDate: '2026-11-01' })).fields?.subscriptionId).toContain('Cancelled');
  });

  it('counts live services, devices and hotspot users on the Summary', async () => {
    const sub = await makeSubscription(t);
    const s = await makeService(t, { subscriptionId: sub.id });
    await makeService(t, { subscriptionId: sub.id, status: 'Archived' });
    await t.call('devices.create', { subscriptionId: sub.id, serviceId: s.id, type: 'CPE radio', macAddress: 'aabbccddeeff' });
    const plan = await t.call('hotspotPlans.create', { name: 'Day pass', validityDays: 1, priceCents: 500 });
    await t.call('vouchers.generateBatch', { subscriptionId: sub.id, hotspotPlanId: plan.id, count: 3 });
    expect((await t.call('subscriptions.get', { id: sub.id })).counts).toEqual({ services: 1, hotspotUsers: 3, devices: 1 });
  });
});

describe('scheduled changes', () => {
  it('are listed as pending, applied on their date, and not before', async () => {
    const cheap = await makePlan(t, { name: 'Wireless 25/5', priceCents: 4500 });
    const fast = await makePlan(t, { name: 'Wireless 50/10', priceCents: 6000, downloadKbps: 50_000, uploadKbps: 10_000 });
    const s = await makeService(t, { planId: cheap.id });
    expect((await t.fail('services.scheduleChange', { serviceId: s.id, effectiveDate: '2026-11-23', change: { kind: 'plan', planId: fast.id } })).fields).toHaveProperty('effectiveDate');
    const change = await t.call('services.scheduleChange', { serviceId: s.id, effectiveDate: '2026-12-01', change: { kind: 'plan', planId: fast.id } });
    expect(change).toMatchObject({ state: 'pending', summary: 'Plan → Wireless 50/10' });
    expect((await t.call('services.get', { id: s.id })).pendingChanges.map((c) => c.id)).toEqual([change.id]);

    expect(await t.call('services.applyDueChanges', { today: '2026-11-30' })).toEqual({ applied: 0, failed: 0 });
    expect((await t.call('services.get', { id: s.id })).planId).toBe(cheap.id);
    expect(await t.call('services.applyDueChanges', { today: '2026-12-01' })).toEqual({ applied: 1, failed: 0 });
    const after = await t.call('services.get', { id: s.id });
    expect(after).toMatchObject({ planId: fast.id, priceCents: 6000, description: 'Wireless 50/10', pendingChanges: [] });
    expect((await t.call('services.scheduledChanges', { id: s.id }))[0]).toMatchObject({ state: 'applied' });
  });

  it('are caught up at start when their date passed while the app was closed', async () => {
    const s = await makeService(t);
    await t.call('services.scheduleChange', { serviceId: s.id, effectiveDate: '2026-12-01', change: { kind: 'price', priceCents: 3900 } });
    await t.call('services.scheduleChange', { serviceId: s.id, effectiveDate: '2026-12-15', change: { kind: 'discount', percent: '10', start: '2026-12-15', end: null } });
    await t.call('services.scheduleChange', { serviceId: s.id, effectiveDate: '2027-03-01', change: { kind: 'status', status: 'Disabled' } });
    await t.backend.close();
    // The app reopens on January 5th: both December changes apply, the March one waits.
    const reopened = await testBackend({ dataDir: t.dataDir, now: () => new Date('2027-01-05T08:00:00Z') });
    try {
      const after = await reopened.call('services.get', { id: s.id });
      expect(after).toMatchObject({ priceCents: 3900, priceOverridden: true, discountPercent: '10', discountStart: '2026-12-15', status: 'Active' });
      expect(after.pendingChanges.map((c) => c.summary)).toEqual(['Status → Disabled']);
    } finally {
      await reopened.backend.close();
      t = await testBackend({ dataDir: t.dataDir, now: () => clock });
    }
  });

  it('can be cancelled, and one that can no longer apply is closed with the reason', async () => {
    const s = await makeService(t);
    const c = await t.call('services.scheduleChange', { serviceId: s.id, effectiveDate: '2026-12-01', change: { kind: 'status', status: 'Disabled' } });
    expect(await t.call('services.cancelScheduledChange', { id: c.id })).toMatchObject({ state: 'cancelled' });
    expect(await t.call('services.applyDueChanges', { today: '2026-12-31' })).toEqual({ applied: 0, failed: 0 });
    await t.call('services.scheduleChange', { serviceId: s.id, effectiveDate: '2026-12-02', change: { kind: 'price', priceCents: 100 } });
    await t.call('services.update', { id: s.id, status: 'Archived' });
    expect(await t.call('services.applyDueChanges', { today: '2026-12-31' })).toEqual({ applied: 0, failed: 1 });
    const changes = await t.call('services.scheduledChanges', { id: s.id });
    expect(changes.find((x) => x.kind === 'price')?.outcome).toContain('archived');
  });
});

describe('service actions', () => {
  it('changes plan now within the same kind, dropping its own price unless kept', async () => {
    const a = await makePlan(t, { priceCents: 4500 });
    const b = await makePlan(t, { priceCents: 8000 });
    const voice = await makePlan(t, { kind: 'Voice', name: 'VoIP', priceCents: 2000 });
    const s = await makeService(t, { planId: a.id, priceCents: 4000 });
    expect((await t.fail('services.changePlan', { id: s.id, planId: voice.id })).fields).toHaveProperty('planId');
    expect(await t.call('services.changePlan', { id: s.id, planId: b.id, keepPrice: true })).toMatchObject({ planId: b.id, priceCents: 4000, priceOverridden: true });
    expect(await t.call('services.changePlan', { id: s.id, planId: a.id })).toMatchObject({ planId: a.id, priceCents: 4500, priceOverridden: false });
  });

  it('deletes a service without history, and archives one with history, freeing its login and address', async () => {
    await makeNetwork(t);
    const plain = await makeService(t);
    expect(await t.call('services.delete', { id: plain.id })).toMatchObject({ outcome: 'deleted' });
    expect((await t.fail('services.get', { id: plain.id })).code).toBe('not_found');

    const kept = await makeService(t, { login: 'keep-me', ipv4Assignment: 'permanent', ipv4Address: '10.20.0.30' });
    await t.call('services.scheduleChange', { serviceId: kept.id, effectiveDate: '2027-01-01', change: { kind: 'price', priceCents: 100 } });
    const result = await t.call('services.delete', { id: kept.id });
    expect(result.outcome).toBe('archived');
    expect(result.message).toContain('1 scheduled change');
    expect(await t.call('services.get', { id: kept.id })).toMatchObject({ status: 'Archived', pendingChanges: [] });
    expect((await makeService(t, { login: 'keep-me', ipv4Assignment: 'permanent', ipv4Address: '10.20.0.30' })).login).toBe('keep-me');
  });

  it('geolocates a service with both coordinates', async () => {
    const s = await makeService(t);
    expect(await t.call('services.geolocate', { id: s.id, latitude: 44.06, longitude: -114.74 })).toMatchObject({ latitude: 44.06, longitude: -114.74 });
    expect((await t.fail('services.geolocate', { id: s.id, latitude: 44.06, longitude: null })).fields).toHaveProperty('longitude');
    expect((await t.fail('services.geolocate', { id: s.id, latitude: 95, longitude: 0 })).fields).toHaveProperty('latitude');
  });

  it('lists a subscription\'s services newest first, hiding archived ones unless asked', async () => {
    const sub = await makeSubscription(t);
    const router = await makeRouter(t, { name: 'North tower' });
    const a = await makeService(t, { subscriptionId: sub.id, routerId: router.id });
    const b = await makeService(t, { subscriptionId: sub.id, status: 'Archived' });
    const list = await t.call('services.listBySubscription', { subscriptionId: sub.id });
    expect(list.rows.map((s) => s.id)).toEqual([a.id]);
    expect(list.rows[0]).toMatchObject({ routerName: 'North tower', qosMode: 'Simple queue' });
    expect((await t.call('services.listBySubscription', { subscriptionId: sub.id, includeArchived: true })).rows.map((s) => s.id)).toEqual([b.id, a.id]);
  });
});

/** A back end in its own process that creates one service when told to go. */
function raceWorker(dataDir: string, input: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'race-worker.ts'), dataDir, input], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buffer = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
    waiters.splice(0).forEach((w) => w());
  });
  const line = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => (lines.length > n ? resolve(lines[n]!) : waiters.push(check));
      child.once('exit', (code) => lines.length <= n && reject(new Error(`race worker exited with ${code}`)));
      check();
    });
  return {
    ready: line(0),
    go: () => child.stdin.write('go\n'),
    result: line(1).then((l) => JSON.parse(l) as Envelope<unknown>),
  };
}

/** Valid service input on a fresh subscription with an Internet plan, for tests that vary one field. */
async function base() {
  const sub = await makeSubscription(t);
  const plan = await makePlan(t);
  return { subscriptionId: sub.id, planId: plan.id, startDate: '2026-11-01' };
}
