import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makePlan, makeService, makeSubscription } from '../../../test/fixtures/factories';
import { makeTestRouter, useTestRouter } from '../../../test/routeros/harness';
import type { RouterOsTestServer } from '../../../test/routeros/server';
import { createLookup } from '../network/radius/lookup';
import { decide } from '../network/radius/answer';
import { sqliteHandle } from '../db/json-rows';

/**
 * The throttle stage on the network: dunning's throttle rate replaces the plan's speed on the test
 * router (the real RouterOS API on 127.0.0.1) through the reconciler and in the built-in RADIUS
 * server's answer, and the plan's speed comes back once a payment clears the debt.
 *
 * December 2026: invoices due Friday 11th; past 3 days of throttle on Tuesday 15th, suspension after 20.
 */
let router: RouterOsTestServer;
let t: TestBackend;
let clock = new Date('2026-12-01T09:00:00Z');

useTestRouter((r) => (router = r));
beforeEach(async () => {
  clock = new Date('2026-12-01T09:00:00Z');
  t = await testBackend({ now: () => clock });
  await t.call('billingSettings.update', { paymentTermsDays: 10 });
  await t.call('dunning.updateSettings', { enabled: true, graceDays: 20, minimumOverdueCents: 1000, noCutoffWeekdays: ['Sat', 'Sun'], throttleDays: 3, throttleRate: '512k/1M' });
});
afterEach(async () => {
  await t.close();
});

async function world() {
  const r = await makeTestRouter(t, router);
  const plan = await makePlan(t, { name: 'Home 50/10', priceCents: 5000, downloadKbps: 50_000, uploadKbps: 10_000, qosMode: 'Simple queue' });
  const roaming = await makeSubscription(t, { billDay: 1 });
  await makeService(t, { subscriptionId: roaming.id, planId: plan.id, routerId: r.id, login: 'dyn1', password: 'pw-dyn', startDate: '2026-12-01' });
  // A fixed address without PPP: limited by a simple queue.
  const fixed = await makeSubscription(t, { billDay: 1 });
  await makeService(t, { subscriptionId: fixed.id, planId: plan.id, routerId: r.id, login: null, ipv4Assignment: 'permanent', ipv4Address: '100.64.0.10', startDate: '2026-12-01' });
  await t.call('billing.run', { date: '2026-12-01', wait: true });
  for (const id of [roaming.id, fixed.id]) {
    const [open] = await t.call('invoices.listBySubscription', { subscriptionId: id });
    await t.call('invoices.close', { id: open!.id, date: '2026-12-01' });
  }
  return { router: r, plan, roaming, fixed };
}

const secret = (name: string) => router.menu('/ppp/secret').find({ name })[0];
const queue = () => router.menu('/queue/simple').list()[0];

describe('the throttle stage on the network', () => {
  it('puts the throttle rate on the router and in the RADIUS answer, and the plan back after payment', async () => {
    const w = await world();
    await t.call('network.sync', { routerId: w.router.id });
    expect(secret('dyn1')?.profile).toBe(`towerline-plan-${w.plan.id}`);
    expect(queue()).toMatchObject({ 'max-limit': '10000000/50000000' }); // RouterOS prints queue rates in bits
    router.menu('/ppp/active').add({ name: 'dyn1', address: '100.64.9.9' });

    clock = new Date('2026-12-15T09:00:00Z');
    const run = await t.call('dunning.run', {});
    expect(run.moves.map((m) => m.to)).toEqual(['throttle', 'throttle']);
    // Queued for the router in the same transaction as the stage.
    expect((await t.call('network.status', { routerId: w.router.id })).pending).toBeGreaterThanOrEqual(2);

    await t.call('network.sync', { routerId: w.router.id });
    expect(secret('dyn1')?.profile).toBe('towerline-throttled');
    expect(router.menu('/ppp/profile').find({ name: 'towerline-throttled' })[0]).toMatchObject({ 'rate-limit': '512k/1M', comment: 'towerline:profile=throttled' });
    expect(queue()).toMatchObject({ 'max-limit': '512000/1000000', 'burst-limit': '0/0' });
    // The session reconnects into the throttled profile.
    expect(router.menu('/ppp/active').find({ name: 'dyn1' })).toEqual([]);

    const lookup = createLookup(t.backend.datastore.db, sqliteHandle(t.backend.datastore.db)!);
    const answer = decide(lookup.login('dyn1')!, { suspendedAnswer: 'address-list', now: clock, nasRouterId: w.router.id });
    expect(answer).toEqual({ accept: true, attributes: [['Mikrotik-Rate-Limit', '512k/1M']] });

    // A new rate reaches the routers too.
    await t.call('dunning.updateSettings', { throttleRate: '256k/512k' });
    await t.call('network.sync', { routerId: w.router.id });
    expect(router.menu('/ppp/profile').find({ name: 'towerline-throttled' })[0]).toMatchObject({ 'rate-limit': '256k/512k' });

    await t.call('payments.record', { subscriptionId: w.roaming.id, method: 'cash', receivedDate: '2026-12-15', amountCents: 5000 });
    expect((await t.call('dunning.status', { subscriptionId: w.roaming.id })).stage).toBe('none');
    await t.call('network.sync', { routerId: w.router.id });
    expect(secret('dyn1')?.profile).toBe(`towerline-plan-${w.plan.id}`);
    expect(decide(lookup.login('dyn1')!, { suspendedAnswer: 'address-list', now: clock, nasRouterId: w.router.id })).toEqual({ accept: true, attributes: [['Mikrotik-Rate-Limit', '10M/50M']] });
    // The fixed subscriber is still throttled.
    expect(queue()).toMatchObject({ 'max-limit': '256000/512000' });
  });
});
