import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../electron/server/billing/rules/dates';
import { makePlan, makeRouter, makeService, makeSubscription } from '../fixtures/factories';
import { SubscriptionBilling, dismissNotifications } from './pages/billing';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;
const today = new Date().toISOString().slice(0, 10) as IsoDate;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/**
 * Issue 12's dunning path through the screens: an overdue subscriber is suspended by Run now on
 * Billing › Dunning, shows in the Network area's suspended list, and a payment recorded on its
 * Billing tab brings it back. Every weekday allows a cut-off here, so the test holds on any day.
 */
describe('an overdue subscriber, suspended by dunning and back on payment', () => {
  let subscriptionId: number;
  let uniqueId: string;
  let totalCents: number;

  it('previews and runs dunning from the Billing area, suspending the subscriber with its invoice in history', async () => {
    const { t } = app;
    const billedOn = addDays(today, -40);
    const router = await makeRouter(t, { name: 'Hilltop', address: '127.0.0.1', apiPort: 9, apiUser: 'towerline', apiPassword: 'secret' });
    const plan = await makePlan(t, { name: 'Home 25/5', priceCents: 4500 });
    const sub = await makeSubscription(t, { name: 'Overdue Demo Home', billDay: 1 });
    subscriptionId = sub.id;
    uniqueId = sub.uniqueId;
    await makeService(t, { subscriptionId, planId: plan.id, routerId: router.id, login: 'overdue-demo', password: 'pw-demo', startDate: billedOn });
    await t.call('billing.run', { date: billedOn, wait: true });
    const [open] = await t.call('invoices.listBySubscription', { subscriptionId });
    const closed = await t.call('invoices.close', { id: open!.id, date: billedOn });
    totalCents = closed.totalCents;
    await t.call('dunning.updateSettings', { graceDays: 7, minimumOverdueCents: 1000, noCutoffWeekdays: [] });

    await app.goto('/billing/dunning');
    const form = app.page.getByTestId('dunning-settings-form');
    await form.waitFor();
    await app.page.getByTestId('dunning-preview').click();
    const outcome = app.page.getByTestId('dunning-outcome');
    await outcome.getByText(`${uniqueId} Overdue Demo Home`).waitFor();
    expect(await outcome.textContent()).toContain('nothing written yet');
    expect((await t.call('subscriptions.get', { id: subscriptionId })).status).toBe('Active');

    await app.page.getByTestId('dunning-run-now').click();
    await outcome.getByText('Moved on').waitFor();
    const row = outcome.getByRole('row', { name: new RegExp(uniqueId) });
    expect(await row.textContent()).toContain('suspended');
    expect(await row.textContent()).toContain(closed.number!);
    await dismissNotifications(app.page);
    await app.page.screenshot({ path: screenshotPath('dunning-tab.png'), fullPage: true });

    expect((await t.call('subscriptions.get', { id: subscriptionId })).status).toBe('Suspended');
    const [suspension] = await t.call('subscriptions.history', { id: subscriptionId });
    expect(suspension).toMatchObject({ from: 'Active', to: 'Suspended', by: expect.any(String) });
    expect(suspension!.reason).toContain(closed.number!);
  });

  it('shows the subscriber in the Network area\'s suspended list', async () => {
    await app.goto('/network/status');
    await app.page.getByRole('tab', { name: 'Suspended on the network' }).click();
    const row = app.page.getByTestId('withheld-row').filter({ hasText: uniqueId });
    await row.waitFor();
    expect(await row.textContent()).toContain('overdue-demo');
    await app.page.screenshot({ path: screenshotPath('dunning-network-suspended.png'), fullPage: true });
  });

  it('reactivates the subscriber when a payment recorded in the UI clears the overdue amount', async () => {
    await app.goto(`/subscriptions/${subscriptionId}/billing`);
    const billing = new SubscriptionBilling(app.page);
    await billing.root.waitFor();
    await billing.recordPayment({ amount: (totalCents / 100).toFixed(2), method: 'Cash' });
    await expect.poll(async () => (await app.t.call('subscriptions.get', { id: subscriptionId })).status).toBe('Active');
    const [back] = await app.t.call('subscriptions.history', { id: subscriptionId });
    expect(back).toMatchObject({ from: 'Suspended', to: 'Active' });
    expect(back!.reason).toContain('Reactivated');
    await app.goto('/network/status');
    await app.page.getByRole('tab', { name: 'Suspended on the network' }).click();
    await expect.poll(() => app.page.getByTestId('withheld-row').filter({ hasText: uniqueId }).count()).toBe(0);
    expect(app.problems).toEqual([]);
  });
});
