import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetworkSync, type NetworkSync } from '../../electron/server/network/sync-worker';
import { makeNetwork, makePlan, makeRouter, makeService, makeSubscription } from '../fixtures/factories';
import { type RouterOsTestServer, startRouterOsTestServer } from '../routeros/server';
import { SubscriptionPage } from './pages/subscriptions';
import { type RunningApp, screenshotPath, startApp } from './support/app';

/**
 * What billing says is what the network does: suspending a subscription in the app puts its
 * address in the test router's `towerline-suspended` list, reactivating takes it out, and the
 * Network status page shows the router in sync. The outbox worker runs as server mode runs it.
 */
let app: RunningApp;
let router: RouterOsTestServer;
let worker: NetworkSync;
let subscriptionId: number;

const suspendedList = () => router.menu('/ip/firewall/address-list').find({ list: 'towerline-suspended' }).map((e) => e.address);

beforeAll(async () => {
  router = await startRouterOsTestServer({ user: 'towerline', password: 'api-secret' });
  app = await startApp();
  const t = app.t;
  const r = await makeRouter(t, { name: 'Hilltop core', address: router.host, apiPort: router.port, apiUser: 'towerline', apiPassword: 'api-secret' });
  await makeNetwork(t, { cidr: '100.64.0.0/24', kind: 'permanent', routerId: r.id, gateway: '100.64.0.1' });
  const plan = await makePlan(t, { name: 'Fiber 100/20', downloadKbps: 100_000, uploadKbps: 20_000, qosMode: 'PCQ' });
  const home = await makeSubscription(t, { name: 'Lakeside cabin' });
  subscriptionId = home.id;
  await makeService(t, { subscriptionId: home.id, planId: plan.id, routerId: r.id, login: 'cabin', password: 'pw', ipv4Assignment: 'permanent', ipv4Address: '100.64.0.20' });
  worker = startNetworkSync(t.backend, { pollMs: 100, intervalMs: 0 });
});

afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await router?.close();
});

describe('the network follows billing', () => {
  it('suspending a subscription puts its address in the router\'s suspended list; reactivating takes it out', async () => {
    await expect.poll(() => router.menu('/ppp/secret').find({ name: 'cabin' }).length).toBe(1);
    const page = new SubscriptionPage(app.page);
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    await app.page.getByTestId('service-network-state').first().waitFor();
    await expect.poll(() => app.page.getByTestId('service-network-state').first().getAttribute('data-state')).toBe('in sync');

    await page.changeStatus('Suspended', 'Non-payment');
    await expect.poll(() => suspendedList()).toEqual(['100.64.0.20']);
    await app.page.reload();
    await expect.poll(() => app.page.getByTestId('service-network-state').first().textContent()).toBe('suspended');
    await app.page.screenshot({ path: screenshotPath('network-services-tab-suspended.png'), fullPage: true });

    await app.goto('/network/status');
    await app.page.getByTestId('withheld-row').first().waitFor();
    expect(await app.page.getByTestId('withheld-row').first().textContent()).toContain('Lakeside cabin');

    await app.goto(`/subscriptions/${subscriptionId}/services`);
    await page.changeStatus('Active', 'Paid in full');
    await expect.poll(() => suspendedList()).toEqual([]);
  });

  it('shows the router in sync on the Network status page, and Sync now writes nothing to an unchanged router', async () => {
    await app.goto('/network/status');
    const card = app.page.getByTestId('router-sync-card').filter({ hasText: 'Hilltop core' });
    await expect.poll(() => card.getByTestId('router-sync-state').textContent()).toBe('In sync');
    expect(await card.getByTestId('router-pending').textContent()).toBe('Nothing pending');
    router.resetCounters();
    await card.getByRole('button', { name: 'Sync now' }).click();
    await app.page.locator('.mantine-Notification-root', { hasText: 'Hilltop core synced' }).waitFor();
    expect(await app.page.locator('.mantine-Notification-root', { hasText: 'Hilltop core synced' }).textContent()).toContain('0 created, 0 updated, 0 removed');
    expect(router.writes().total).toBe(0);
    await app.page.screenshot({ path: screenshotPath('network-status.png'), fullPage: true });
    expect(app.problems).toEqual([]);
  });
});
