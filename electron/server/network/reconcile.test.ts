import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makeHotspotPlan, makePlan, makeService, makeSubscription } from '../../../test/fixtures/factories';
import { makeTestRouter, useTestRouter } from '../../../test/routeros/harness';
import type { RouterOsTestServer } from '../../../test/routeros/server';
import { startNetworkSync } from './sync-worker';

/**
 * The reconciler against the test router (the real RouterOS API wire protocol on 127.0.0.1):
 * sync from empty, a second sync writes nothing, drift behind Towerline's back is repaired
 * without touching anyone else's objects, and a suspension made while the router is down is
 * delivered when it returns, also across a restart.
 */
let router: RouterOsTestServer;
let t: TestBackend;

useTestRouter((r) => (router = r));
beforeEach(async () => {
  t = await testBackend();
});
afterEach(async () => {
  await t.close();
});

async function world() {
  const r = await makeTestRouter(t, router);
  const plan = await makePlan(t, { name: 'Wireless 50/10', downloadKbps: 50_000, uploadKbps: 10_000, burstDownloadKbps: 100_000, burstUploadKbps: 20_000, burstThresholdPercent: 80, burstTimeSeconds: 16, qosMode: 'PCQ' });
  const home = await makeSubscription(t, { name: 'Fixed home' });
  const fixed = await makeService(t, { subscriptionId: home.id, planId: plan.id, routerId: r.id, login: 'fixed1', password: 'pw-fixed', ipv4Assignment: 'permanent', ipv4Address: '100.64.0.10', macAddresses: 'aa:bb:cc:00:00:10' });
  const roaming = await makeSubscription(t, { name: 'Roaming home' });
  const dynamic = await makeService(t, { subscriptionId: roaming.id, planId: plan.id, routerId: r.id, login: 'dyn1', password: 'pw-dyn' });
  return { router: r, plan, home, fixed, roaming, dynamic };
}

const secrets = () => router.menu('/ppp/secret').list();
const secret = (name: string) => router.menu('/ppp/secret').find({ name })[0];
const suspendedList = () => router.menu('/ip/firewall/address-list').find({ list: 'towerline-suspended' }).map((e) => e.address);

describe('a sync', () => {
  it('from empty creates secrets, profiles with the plan rate and leases, marked as Towerline\'s', async () => {
    const w = await world();
    const result = await t.call('network.sync', { routerId: w.router.id });
    expect(result).toEqual({ created: 4, updated: 0, removed: 0, unchanged: 0, pending: 0, error: null });
    expect(secret('fixed1')).toMatchObject({ password: 'pw-fixed', profile: `towerline-plan-${w.plan.id}`, 'remote-address': '100.64.0.10', comment: `towerline:service=${w.fixed.id}` });
    expect(secret('dyn1')).toMatchObject({ password: 'pw-dyn', profile: `towerline-plan-${w.plan.id}`, comment: `towerline:service=${w.dynamic.id}` });
    expect(router.menu('/ppp/profile').find({ name: `towerline-plan-${w.plan.id}` })[0]).toMatchObject({ 'rate-limit': '10M/50M 20M/100M 8M/40M 16/16', comment: `towerline:plan=${w.plan.id}` });
    expect(router.menu('/ip/dhcp-server/lease').list()[0]).toMatchObject({ address: '100.64.0.10', 'mac-address': 'AA:BB:CC:00:00:10' });
    expect(suspendedList()).toEqual([]);
    const status = await t.call('network.status', { routerId: w.router.id });
    expect(status).toMatchObject({ reachable: true, pending: 0, failed: [], lastError: null });
    expect(status.lastSyncAt).not.toBeNull();
  });

  it('of an unchanged world writes nothing to the router', async () => {
    const w = await world();
    await t.call('network.sync', { routerId: w.router.id });
    router.resetCounters();
    expect(await t.call('network.sync', { routerId: w.router.id })).toEqual({ created: 0, updated: 0, removed: 0, unchanged: 4, pending: 0, error: null });
    expect(router.writes().total).toBe(0);
  });

  it('repairs a secret edited and one deleted behind Towerline\'s back, and leaves a foreign one alone', async () => {
    const w = await world();
    await t.call('network.sync', { routerId: w.router.id });
    const fixed = secret('fixed1');
    const dyn = secret('dyn1');
    if (!fixed || !dyn) throw new Error('secrets missing after the first sync');
    router.menu('/ppp/secret').set(fixed['.id'] ?? '', { password: 'changed-by-hand', profile: 'default' });
    router.menu('/ppp/secret').remove(dyn['.id'] ?? '');
    router.menu('/ppp/secret').add({ name: 'neighbour', password: 'theirs', comment: 'added by the field tech' });
    router.resetCounters();

    expect(await t.call('network.sync', { routerId: w.router.id })).toMatchObject({ created: 1, updated: 1, removed: 0, error: null });
    expect(router.writes().total).toBe(2);
    expect(secret('fixed1')).toMatchObject({ password: 'pw-fixed', profile: `towerline-plan-${w.plan.id}` });
    expect(secret('dyn1')).toMatchObject({ password: 'pw-dyn' });
    expect(secret('neighbour')).toMatchObject({ password: 'theirs', comment: 'added by the field tech' });

    const drift = await t.call('network.drift', { routerId: w.router.id });
    expect(drift.rows.map((d) => [d.kind, d.key, d.repaired]).sort()).toEqual([
      ['deleted', `towerline:service=${w.dynamic.id}`, true],
      ['edited', `towerline:service=${w.fixed.id}`, true],
    ]);
    expect(drift.rows.find((d) => d.kind === 'edited')?.detail).toContain('profile');
    expect((await t.call('network.status', { routerId: w.router.id })).driftRepaired).toBe(2);
    router.resetCounters();
    await t.call('network.sync', { routerId: w.router.id });
    expect(router.writes().total).toBe(0);
  });

  it('suspends by address list where there is a fixed address and by profile (dropping the session) where there is not', async () => {
    const w = await world();
    await t.call('network.sync', { routerId: w.router.id });
    router.menu('/ppp/active').add({ name: 'dyn1', address: '100.64.9.9' });
    router.menu('/ppp/active').add({ name: 'someone-else', address: '100.64.9.8' });

    await t.call('subscriptions.setStatus', { id: w.home.id, status: 'Suspended', reason: 'Non-payment' });
    await t.call('subscriptions.setStatus', { id: w.roaming.id, status: 'Suspended', reason: 'Non-payment' });
    expect((await t.call('network.status', { routerId: w.router.id })).pending).toBe(2);
    expect((await t.call('network.serviceStates', { subscriptionId: w.home.id }))[0]).toMatchObject({ serving: 'suspend', state: 'pending' });

    await t.call('network.sync', { routerId: w.router.id });
    expect(suspendedList()).toEqual(['100.64.0.10']);
    expect(secret('fixed1')?.profile).toBe(`towerline-plan-${w.plan.id}`);
    expect(secret('dyn1')?.profile).toBe('towerline-suspended');
    expect(router.menu('/ppp/profile').find({ name: 'towerline-suspended' })[0]).toMatchObject({ 'address-list': 'towerline-suspended' });
    expect(router.menu('/ppp/active').list().map((a) => a.name)).toEqual(['someone-else']);
    expect((await t.call('network.serviceStates', { subscriptionId: w.home.id }))[0]).toMatchObject({ serving: 'suspend', state: 'in sync' });
    expect((await t.call('network.withheld', {})).rows.map((r) => r.login).sort()).toEqual(['dyn1', 'fixed1']);

    await t.call('subscriptions.setStatus', { id: w.home.id, status: 'Active' });
    await t.call('subscriptions.setStatus', { id: w.roaming.id, status: 'Active' });
    await t.call('network.sync', { routerId: w.router.id });
    expect(suspendedList()).toEqual([]);
    expect(secret('dyn1')?.profile).toBe(`towerline-plan-${w.plan.id}`);
    expect(router.menu('/ppp/profile').find({ name: 'towerline-suspended' })).toEqual([]);
  });

  it('records what the router refuses, with its message, on the service it concerns', async () => {
    const w = await world();
    // Someone else's secret already holds the login.
    router.menu('/ppp/secret').add({ name: 'dyn1', password: 'x' });
    const result = await t.call('network.sync', { routerId: w.router.id });
    expect(result.error).toContain('secret with the same name already exists');
    const states = await t.call('network.serviceStates', { subscriptionId: w.roaming.id });
    expect(states[0]).toMatchObject({ state: 'failed', message: 'failure: secret with the same name already exists' });
    expect((await t.call('network.status', { routerId: w.router.id })).failed).toHaveLength(1);
    // Once the foreign one is gone, the next sync gets it through and the failure clears.
    const foreign = router.menu('/ppp/secret').find({ name: 'dyn1' })[0];
    router.menu('/ppp/secret').remove(foreign?.['.id'] ?? '');
    expect((await t.call('network.sync', { routerId: w.router.id })).error).toBeNull();
    expect((await t.call('network.serviceStates', { subscriptionId: w.roaming.id }))[0]?.state).toBe('in sync');
  });

  it('removes what a service no longer needs when it is archived', async () => {
    const w = await world();
    await t.call('network.sync', { routerId: w.router.id });
    await t.call('services.update', { id: w.dynamic.id, status: 'Archived' });
    expect(await t.call('network.sync', { routerId: w.router.id })).toMatchObject({ removed: 1, error: null });
    expect(secrets().map((s) => s.name)).toEqual(['fixed1']);
  });
});

describe('the outbox', () => {
  it('is written in the same transaction as the change, and not at all when the change is refused', async () => {
    const w = await world();
    await t.call('network.sync', { routerId: w.router.id });
    await t.fail('services.update', { id: w.fixed.id, status: 'Disabled', ipv4Address: 'not an address' });
    expect((await t.call('network.outbox', { routerId: w.router.id })).total).toBe(0);
    await t.call('services.update', { id: w.fixed.id, status: 'Disabled' });
    expect((await t.call('network.outbox', { routerId: w.router.id })).rows.map((o) => [o.serviceId, o.reason])).toEqual([[w.fixed.id, `Service ${w.fixed.id} Active → Disabled`]]);
    await t.call('plans.update', { id: w.plan.id, downloadKbps: 60_000 });
    expect((await t.call('network.outbox', { routerId: w.router.id })).total).toBe(3);
  });

  it('is written by a scheduled change when it is applied, and by hotspot users, which the sync pushes with their limits', async () => {
    const w = await world();
    await t.call('network.sync', { routerId: w.router.id });
    await t.call('services.scheduleChange', { serviceId: w.dynamic.id, effectiveDate: '2099-01-05', change: { kind: 'status', status: 'Disabled' } });
    expect((await t.call('network.outbox', { routerId: w.router.id })).total).toBe(0);
    await t.call('services.applyDueChanges', { today: '2099-01-05' });
    expect((await t.call('network.outbox', { routerId: w.router.id })).rows.map((o) => o.serviceId)).toEqual([w.dynamic.id]);

    const hotspotPlan = await makeHotspotPlan(t, { timeLimitMinutes: 120, dataLimitMb: 1024 });
    await t.call('hotspotUsers.create', { subscriptionId: w.roaming.id, hotspotPlanId: hotspotPlan.id, login: 'slip-14', password: 'marina', macBinding: 'aa:bb:cc:dd:ee:14' });
    expect((await t.call('network.outbox', { routerId: w.router.id })).total).toBe(2);
    expect(await t.call('network.sync', { routerId: w.router.id })).toMatchObject({ error: null, pending: 0 });
    expect(router.menu('/ip/hotspot/user').find({ name: 'slip-14' })[0]).toMatchObject({ password: 'marina', 'mac-address': 'AA:BB:CC:DD:EE:14', 'limit-uptime': '2h', 'limit-bytes-total': String(1024 * 1024 * 1024), disabled: 'false' });
    // The disabled service keeps its login on the router, suspended through the profile.
    expect(secret('dyn1')?.profile).toBe('towerline-suspended');
    router.resetCounters();
    await t.call('network.sync', { routerId: w.router.id });
    expect(router.writes().total).toBe(0);
  });

  it('waits while the router is down, and is delivered when it returns, also across a restart', async () => {
    const w = await world();
    await t.call('network.sync', { routerId: w.router.id });
    await router.down();
    await t.call('subscriptions.setStatus', { id: w.home.id, status: 'Suspended', reason: 'Non-payment' });

    const worker = startNetworkSync(t.backend, { pollMs: 20, intervalMs: 0, timeoutMs: 500, backoff: { baseMs: 30, maxMs: 60 } });
    await expect.poll(async () => (await t.call('network.status', { routerId: w.router.id })).reachable, { timeout: 5_000 }).toBe(false);
    const down = await t.call('network.status', { routerId: w.router.id });
    expect(down.pending).toBe(1);
    expect(down.lastError).toBeTruthy();
    expect(suspendedList()).toEqual([]);
    await worker.stop();

    // Restart: close the datastore and open it again, with the router still down.
    await t.backend.close();
    const reopened = await testBackend({ dataDir: t.dataDir });
    const closeFirst = t.close.bind(t);
    t = { ...reopened, close: async () => (await reopened.close(), await closeFirst().catch(() => undefined)) };
    expect((await t.call('network.status', { routerId: w.router.id })).pending).toBe(1);

    await router.up();
    const again = startNetworkSync(t.backend, { pollMs: 20, intervalMs: 0, timeoutMs: 500, backoff: { baseMs: 30, maxMs: 60 } });
    try {
      await expect.poll(() => suspendedList(), { timeout: 5_000 }).toEqual(['100.64.0.10']);
      await expect.poll(async () => (await t.call('network.status', { routerId: w.router.id })).pending, { timeout: 5_000 }).toBe(0);
      expect((await t.call('network.status', { routerId: w.router.id })).reachable).toBe(true);
    } finally {
      await again.stop();
    }
  });
});
