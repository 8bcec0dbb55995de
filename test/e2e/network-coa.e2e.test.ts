import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamicOutbox, startRadiusDynamic } from '../../electron/server/network/radius/dynamic-outbox';
import { makePlan, makeRouter, makeService, makeSubscription } from '../fixtures/factories';
import { startTestNas, type TestNas } from '../radius/nas';
import { SubscriptionPage } from './pages/subscriptions';
import { type RunningApp, screenshotPath, startApp } from './support/app';

/**
 * Suspending a subscriber who is online sends a Disconnect-Request to the router (a test NAS on
 * 127.0.0.1). While the NAS does not answer, staff see it where they look: the service's network
 * state on the Services tab and the router's card on the Network page, with what went wrong;
 * when the NAS answers, both clear by themselves.
 */
const SECRET = 'e2e-coa-secret';
let app: RunningApp;
let nas: TestNas;
let worker: DynamicOutbox;
let subscriptionId: number;

beforeAll(async () => {
  app = await startApp();
  const t = app.t;
  nas = await startTestNas(SECRET, 'silent');
  await t.call('radius.updateSettings', { coaPort: nas.port });
  const router = await makeRouter(t, { name: 'Marina mast', address: '127.0.0.1', radiusSecret: SECRET, apiUser: null });
  const plan = await makePlan(t, { name: 'Marina 50/10', downloadKbps: 50_000, uploadKbps: 10_000 });
  const sub = await makeSubscription(t, { name: 'Slip 14 houseboat' });
  subscriptionId = sub.id;
  const service = await makeService(t, { subscriptionId: sub.id, planId: plan.id, routerId: router.id, login: 'slip14', password: 'pw' });
  // Online, as accounting reported it.
  await t.backend.datastore.db
    .insertInto('radius_sessions')
    .values({ nas_address: '127.0.0.1', router_id: router.id, acct_session_id: 'e2e-coa-1', login: 'slip14', service_id: service.id, started_at: new Date().toISOString(), updated_at: new Date().toISOString() })
    .execute();
  worker = startRadiusDynamic(t.backend, { pollMs: 200, send: { attempts: 1, timeoutMs: 200 }, backoff: { baseMs: 1_000, maxMs: 1_000 }, log: () => {} });
});

afterAll(async () => {
  await worker?.stop();
  await nas?.close();
  await app?.close();
});

describe('a Disconnect-Request on suspension', () => {
  it('shows an undelivered request on the Services tab and the Network page, and clears when the NAS answers', async () => {
    const page = new SubscriptionPage(app.page);
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    await page.changeStatus('Suspended', 'Non-payment');
    await expect.poll(() => nas.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

    await app.goto(`/subscriptions/${subscriptionId}/services`);
    const badge = app.page.getByTestId('service-network-state');
    await expect.poll(() => badge.getAttribute('data-state'), { timeout: 10_000 }).toBe('failed');
    await app.page.screenshot({ path: screenshotPath('coa-services-tab-failed.png') });

    await app.goto('/network/status');
    const failed = app.page.getByTestId('router-coa-failed');
    await failed.waitFor();
    const text = await failed.textContent();
    expect(text).toContain('slip14');
    expect(text).toContain('Disconnect');
    expect(text).toContain('No answer from 127.0.0.1');
    expect(text).toContain('no API user');
    await failed.scrollIntoViewIfNeeded();
    await app.page.screenshot({ path: screenshotPath('coa-network-failed.png') });

    nas.behaviour = 'ack';
    await expect.poll(async () => (await app.t.call('network.status', { routerId: (await app.t.call('network.overview', {}))[0]!.routerId })).dynamic.failed.length, { timeout: 15_000 }).toBe(0);
    await app.goto('/network/status');
    await app.page.getByTestId('router-sync-card').first().waitFor();
    expect(await app.page.getByTestId('router-coa-failed').count()).toBe(0);
    expect(app.problems).toEqual([]);
  });
});
