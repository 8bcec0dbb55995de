import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouterosUsagePoll, startRouterosUsagePoll } from '../../electron/server/usage/routeros-poll';
import { makePlan, makeRouter, makeService, makeSubscription } from '../fixtures/factories';
import { type RouterOsTestServer, startRouterOsTestServer } from '../routeros/server';
import { ServicesTabModel } from './pages/subscriber-services';
import { type RunningApp, screenshotPath, startApp } from './support/app';

/**
 * A router without RADIUS: its usage comes from polling its API. The Routers page says so and
 * how the last reading went (and why it failed while the router is down); the Services tab shows
 * the polled session online; staff switch a router to RADIUS accounting in its form.
 */
let app: RunningApp;
let router: RouterOsTestServer;
let poll: RouterosUsagePoll;
let subscriptionId: number;
let routerId: number;

beforeAll(async () => {
  router = await startRouterOsTestServer({ user: 'towerline', password: 'api-secret' });
  app = await startApp();
  const t = app.t;
  const r = await makeRouter(t, { name: 'Creek tower', address: router.host, apiPort: router.port, apiUser: 'towerline', apiPassword: 'api-secret' });
  routerId = r.id;
  const plan = await makePlan(t, { name: 'Creek 25/5', downloadKbps: 25_000, uploadKbps: 5_000 });
  const home = await makeSubscription(t, { name: 'Creekside farm' });
  subscriptionId = home.id;
  await makeService(t, { subscriptionId: home.id, planId: plan.id, routerId: r.id, login: 'farm', password: 'pw' });
  router.menu('/ppp/active').add({ name: 'farm', service: 'pppoe', address: '100.64.0.30', uptime: '42m' });
  router.menu('/queue/simple').add({ name: '<pppoe-farm>', target: '100.64.0.30/32', dynamic: 'true', bytes: '1000/2000' });
  // The poll job as server mode runs it, read on demand here instead of every five minutes.
  poll = startRouterosUsagePoll(t.backend, { tickMs: 3_600_000, log: () => undefined });
  await poll.runNow();
});

afterAll(async () => {
  await poll?.stop();
  await app?.close();
  await router?.close();
});

describe('usage polled from a RouterOS router', () => {
  it('shows the polled session online on the Services tab', async () => {
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    const tab = new ServicesTabModel(app.page);
    await tab.panel.waitFor();
    await expect.poll(() => tab.row('farm').getByTestId('service-presence').textContent()).toBe('Online now');
  });

  it('shows on the Routers page where usage comes from, and why the last reading failed', async () => {
    await app.goto('/network/routers');
    const row = app.page.getByTestId('router-row').filter({ hasText: 'Creek tower' });
    await expect.poll(() => row.getByTestId('router-usage-source').textContent()).toMatch(/^API poll\d\d:\d\d( [AP]M)? · 1 online$/);
    await app.page.screenshot({ path: screenshotPath('routers-usage-poll.png'), fullPage: true });

    await router.down();
    await poll.pollNow(routerId);
    await app.page.reload();
    await expect.poll(() => row.getByTestId('router-usage-poll-error').textContent()).toMatch(/^Not read: /);
    await app.page.screenshot({ path: screenshotPath('routers-usage-poll-down.png'), fullPage: true });
    await router.up();
  });

  it('sets how often API routers are read on the Network status page, refusing a blank or out-of-range value at its field', async () => {
    await app.goto('/network/status');
    await app.page.getByRole('tab', { name: 'Usage settings' }).click();
    const form = app.page.getByTestId('usage-settings-form');
    await form.waitFor();
    const poll = form.getByRole('textbox', { name: 'API poll interval (minutes)' });
    const hourly = form.getByRole('textbox', { name: 'Hourly figures (days)' });
    expect(await poll.inputValue()).toBe(String((await app.t.call('usage.settings', {})).routerosPollMinutes));

    await poll.fill('');
    await hourly.fill('400');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.textContent()).toContain('Required');
    await poll.fill('15');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.textContent()).toContain('1 to 366 days');
    await app.page.screenshot({ path: screenshotPath('usage-settings-refused.png'), fullPage: true });
    expect((await app.t.call('usage.settings', {})).routerosPollMinutes).not.toBe(15);

    await hourly.fill('30');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await app.t.call('usage.settings', {})).routerosPollMinutes).toBe(15);
    expect((await app.t.call('usage.settings', {})).hourlyDays).toBe(30);
    await app.page.getByText('Usage settings saved').waitFor();
    await app.page.screenshot({ path: screenshotPath('usage-settings.png'), fullPage: true });
  });

  it('switches a router to RADIUS accounting in its form', async () => {
    await app.goto('/network/routers');
    await app.page.getByTestId('router-row').filter({ hasText: 'Creek tower' }).click();
    const modal = app.page.getByRole('dialog', { name: 'Edit Creek tower' });
    await modal.waitFor();
    await modal.getByTestId('router-usage-source-select').click();
    await app.page.getByRole('option', { name: 'RADIUS accounting' }).click();
    await app.page.screenshot({ path: screenshotPath('router-form-usage-source.png') });
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.waitFor({ state: 'detached' });
    expect((await app.t.call('routers.get', { id: routerId })).usageSource).toBe('radius');
    await expect.poll(() => app.page.getByTestId('router-row').filter({ hasText: 'Creek tower' }).getByTestId('router-usage-source').textContent()).toBe('RADIUS');
    expect(app.problems).toEqual([]);
  });
});
