import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RadiusServer, startRadiusServer } from '../../electron/server/network/radius/server';
import { makeNetwork, makePlan, makeRouter, makeService, makeSubscription } from '../fixtures/factories';
import { radclient } from '../radius/peers';
import { SubscriptionPage } from './pages/subscriptions';
import { type RunningApp, screenshotPath, startApp } from './support/app';

/**
 * What billing says is what RADIUS answers: suspending a subscription in the app moves its login's
 * Access-Accept into the `towerline-suspended` address list (or a Reject, per setting), reactivating
 * takes it out, and the Network page counts those requests. The RADIUS server runs beside the web
 * host on free ports, as `--radius-*` flags start it; radclient (freeradius-utils) is the router.
 */
const SECRET = 'hilltop-radius-secret';
let app: RunningApp;
let radius: RadiusServer;
let subscriptionId: number;

const authenticate = () => radclient(radius.authPort, 'auth', SECRET, ['User-Name = cabin', 'User-Password = cabin-pw', 'Message-Authenticator = 0x00']);

beforeAll(async () => {
  app = await startApp();
  const t = app.t;
  const r = await makeRouter(t, { name: 'Hilltop core', address: '127.0.0.1', radiusSecret: SECRET });
  await makeNetwork(t, { cidr: '100.64.0.0/24', kind: 'permanent', routerId: r.id, gateway: '100.64.0.1' });
  const plan = await makePlan(t, { name: 'Fiber 100/20', downloadKbps: 100_000, uploadKbps: 20_000 });
  const home = await makeSubscription(t, { name: 'Lakeside cabin' });
  subscriptionId = home.id;
  await makeService(t, { subscriptionId: home.id, planId: plan.id, routerId: r.id, login: 'cabin', password: 'cabin-pw', ipv4Assignment: 'permanent', ipv4Address: '100.64.0.20' });
  radius = await startRadiusServer(t.backend, { host: '127.0.0.1', authPort: 0, acctPort: 0, heartbeatMs: 200, log: () => {} });
});

afterAll(async () => {
  await radius?.stop();
  await app?.close();
});

describe('RADIUS follows billing', () => {
  it('answers a suspended login with the suspended address list (or a Reject per setting), and reverts on reactivation', async () => {
    const before = await authenticate();
    expect(before.reply, before.stdout).toBe('Access-Accept');
    expect(before.attributes['Framed-IP-Address']).toBe('100.64.0.20');
    expect(before.attributes['Mikrotik-Address-List']).toBeUndefined();

    const page = new SubscriptionPage(app.page);
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    await page.changeStatus('Suspended', 'Non-payment');
    await expect.poll(async () => (await authenticate()).attributes['Mikrotik-Address-List']).toBe('towerline-suspended');

    await app.t.call('radius.updateSettings', { suspendedAnswer: 'reject' });
    expect((await authenticate()).reply).toBe('Access-Reject');
    await app.t.call('radius.updateSettings', { suspendedAnswer: 'address-list' });

    await app.goto(`/subscriptions/${subscriptionId}/services`);
    await page.changeStatus('Active', 'Paid in full');
    await expect.poll(async () => {
      const r = await authenticate();
      return `${r.reply} ${r.attributes['Mikrotik-Address-List'] ?? 'no list'}`;
    }).toBe('Access-Accept no list');
  });

  it('shows the server running with the requests it counted, and the online session', async () => {
    const counted = radius.counters();
    expect(counted.authRequests).toBeGreaterThanOrEqual(4);
    const acct = await radclient(radius.acctPort, 'acct', SECRET, [
      'User-Name = cabin',
      'Acct-Status-Type = Start',
      'Acct-Session-Id = e2e-1',
      'Framed-IP-Address = 100.64.0.20',
      'NAS-IP-Address = 127.0.0.1',
    ]);
    expect(acct.reply, acct.stdout).toBe('Accounting-Response');

    await app.goto('/network/status');
    const card = app.page.getByTestId('radius-card');
    await expect.poll(() => card.getByTestId('radius-state').textContent()).toBe('Running');
    expect(await card.getByTestId('radius-ports').textContent()).toContain(`auth ${radius.authPort}`);
    // The card refreshes on its own from the server's heartbeat: no reload.
    await expect.poll(async () => Number((await card.getByTestId('radius-auth-requests').textContent())?.replace(/,/g, '')), { timeout: 10_000 }).toBe(radius.counters().authRequests);
    expect(Number(await card.getByTestId('radius-rejects').textContent())).toBeGreaterThanOrEqual(1);
    expect(Number(await card.getByTestId('radius-accepts').textContent())).toBeGreaterThanOrEqual(3);

    await app.page.getByRole('tab', { name: 'Online sessions' }).click();
    const row = app.page.getByTestId('session-row').first();
    await row.waitFor();
    expect(await row.getAttribute('data-login')).toBe('cabin');
    expect(await row.textContent()).toContain('Lakeside cabin');
    expect(await row.textContent()).toContain('100.64.0.20');
    await app.page.getByLabel('Search sessions').fill('nobody-here');
    await expect.poll(() => app.page.getByTestId('session-row').count()).toBe(0);
    await app.page.getByLabel('Search sessions').fill('Lakeside');
    await expect.poll(() => app.page.getByTestId('session-row').count()).toBe(1);
    await app.page.screenshot({ path: screenshotPath('network-radius.png'), fullPage: true });
    expect(app.problems).toEqual([]);
  });
});
