import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code, encodeSignedRequest, type OutAttribute } from '../../electron/server/network/radius/codec';
import { startRadiusServer, type RadiusServer } from '../../electron/server/network/radius/server';
import { formatBytes } from '../../renderer/src/pages/usage/bytes';
import { ServicesTabModel } from './pages/subscriber-services';
import { SubscriptionPage } from './pages/subscriptions';
import { TrafficGraphModel, UsageSummaryModel } from './pages/usage';
import { type RunningApp, screenshotPath, startApp } from './support/app';

const SECRET = 'e2e-usage-secret';
let app: RunningApp;
let radius: RadiusServer;
let subscriptionId: number;
let serviceId: number;

/** One Accounting-Request over UDP to the RADIUS server; resolves on its Accounting-Response. */
function account(attributes: OutAttribute[]): Promise<void> {
  const packet = encodeSignedRequest(Code.AccountingRequest, Math.floor(Math.random() * 256), attributes, SECRET);
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => (s.close(), reject(new Error('no Accounting-Response'))), 3000);
    s.on('message', () => (clearTimeout(timer), s.close(), resolve()));
    s.send(packet, radius.acctPort, '127.0.0.1');
  });
}

const GIGA = 2 ** 32;

beforeAll(async () => {
  app = await startApp();
  const engineer = await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  const contact = await app.t.call('contacts.create', { firstName: 'Dana', lastName: 'Reyes' });
  subscriptionId = (await app.t.call('subscriptions.create', { contactId: contact.id, name: 'Marina office', engineerId: engineer.id, servicePassword: 'pw' })).id;
  const router = await app.t.call('routers.create', { name: 'Harbor AP', address: '127.0.0.1', vendor: 'MikroTik RouterOS', apiPort: 8728, radiusSecret: SECRET });
  const plan = await app.t.call('plans.create', { kind: 'Internet', name: 'Air 50/10', priceCents: 4900, downloadKbps: 50_000, uploadKbps: 10_000 });
  serviceId = (await app.t.call('services.create', { subscriptionId, planId: plan.id, startDate: '2026-01-01', login: 'dana.reyes', routerId: router.id })).id;
  // The RADIUS server on the same datastore as the web host, as `npm run web -- --radius-*` runs it.
  radius = await startRadiusServer(app.t.backend, { authPort: 0, acctPort: 0, log: () => {} });

  // Yesterday's session, reported a day late (Acct-Delay-Time), 5 GB down through Gigawords.
  const yesterday: OutAttribute[] = [['User-Name', 'dana.reyes'], ['Acct-Session-Id', 'y-1']];
  await account([...yesterday, ['Acct-Status-Type', 1], ['Acct-Delay-Time', 90_000]]);
  await account([...yesterday, ['Acct-Status-Type', 2], ['Acct-Delay-Time', 86_400], ['Acct-Session-Time', 3600], ['Acct-Input-Octets', 400_000_000], ['Acct-Output-Octets', 5_000_000_000 - GIGA], ['Acct-Output-Gigawords', 1]]);
  // Today's session, still online: a Start and two Interim-Updates (the second sent twice).
  const today: OutAttribute[] = [['User-Name', 'dana.reyes'], ['Acct-Session-Id', 't-1']];
  await account([...today, ['Acct-Status-Type', 1]]);
  await account([...today, ['Acct-Status-Type', 3], ['Acct-Session-Time', 300], ['Acct-Input-Octets', 50_000_000], ['Acct-Output-Octets', 900_000_000]]);
  await account([...today, ['Acct-Status-Type', 3], ['Acct-Session-Time', 600], ['Acct-Input-Octets', 120_000_000], ['Acct-Output-Octets', 2_100_000_000]]);
  await account([...today, ['Acct-Status-Type', 3], ['Acct-Session-Time', 600], ['Acct-Input-Octets', 120_000_000], ['Acct-Output-Octets', 2_100_000_000]]);
});

afterAll(async () => {
  await radius?.stop();
  await app?.close();
});

describe('a service\'s traffic graph shows the accounting the router sent', () => {
  it('says on the Services tab that the service is online now', async () => {
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    const tab = new ServicesTabModel(app.page);
    await tab.panel.waitFor();
    await expect.poll(() => tab.row('dana.reyes').getByTestId('service-presence').textContent()).toBe('Online now');
  });

  it('draws download and upload per day, and totals the range as the accounting summed', async () => {
    const tab = new ServicesTabModel(app.page);
    await tab.action('Air 50/10', 'Traffic graph');
    const graph = new TrafficGraphModel(app.page);
    await graph.root.waitFor();
    await graph.range('7 days');
    // 7 days, two series: a bar per series per day with traffic (yesterday and today).
    await graph.root.locator('.recharts-bar-rectangle').first().waitFor({ state: 'attached' });
    await app.page.screenshot({ path: screenshotPath('usage-traffic-graph.png') });
    await expect.poll(() => graph.drawnBars()).toBe(4);
    expect(await graph.total('range-download').textContent()).toBe(formatBytes(5_000_000_000 + 2_100_000_000));
    expect(await graph.total('range-upload').textContent()).toBe(formatBytes(400_000_000 + 120_000_000));
    const api = await app.t.call('usage.daily', { serviceId, from: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) });
    expect(api.days.map((d) => d.downloadBytes)).toEqual([5_000_000_000, 2_100_000_000]);
    const month = await app.t.call('usage.month', { subscriptionId });
    await expect.poll(() => graph.total('month-total').textContent()).toBe(formatBytes(month.downloadBytes + month.uploadBytes));
    await app.page.keyboard.press('Escape');
    await graph.root.waitFor({ state: 'hidden' });
  });

  it('shows this month\'s usage on the subscription\'s Summary', async () => {
    const page = new SubscriptionPage(app.page);
    await page.tab('Summary').click();
    const summary = new UsageSummaryModel(app.page);
    const month = await app.t.call('usage.month', { subscriptionId });
    await expect.poll(() => summary.monthTotal.textContent()).toBe(formatBytes(month.downloadBytes + month.uploadBytes));
    await summary.root.screenshot({ path: screenshotPath('usage-summary.png') });
    expect(app.problems).toEqual([]);
  });
});
