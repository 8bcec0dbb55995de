import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../electron/server/billing/rules/dates';
import { makePlan, makeService, makeSubscription } from '../fixtures/factories';
import { PrintView, dismissNotifications } from './pages/billing';
import { PlansPageModel, pick } from './pages/catalog-network';
import { field } from './pages/forms';
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
 * What staff do about dunning from the screens: exempt a subscriber (the run then passes it by),
 * suspend another by hand (told a payment will not bring it back), print a notice letter, and give a
 * plan a data cap. Two subscribers owe an invoice due 8 days ago: past the 2 notice days 5 days ago,
 * when a run sent each a notice, past the 7 grace days today. The runs up to yesterday held them at
 * the notice. Every weekday allows a cut-off here.
 */
describe('dunning on the subscription page and the Dunning tab', () => {
  const subs: Record<'exempt' | 'owing', { id: number; uniqueId: string }> = { exempt: { id: 0, uniqueId: '' }, owing: { id: 0, uniqueId: '' } };

  beforeAll(async () => {
    const { t } = app;
    const billedOn = addDays(today, -18);
    await t.call('billingSettings.update', { paymentTermsDays: 10 });
    await t.call('dunning.updateSettings', { graceDays: 7, noticeDays: 2, minimumOverdueCents: 1000, noCutoffWeekdays: [] });
    const plan = await makePlan(t, { name: 'Home 25/5', priceCents: 4500 });
    for (const [key, name] of [['exempt', 'Marina Slip 14'], ['owing', 'Ridge Cabin']] as const) {
      const sub = await makeSubscription(t, { name, billDay: 1 });
      subs[key] = { id: sub.id, uniqueId: sub.uniqueId };
      await makeService(t, { subscriptionId: sub.id, planId: plan.id, login: `dun-${key}`, startDate: billedOn });
    }
    await t.call('billing.run', { date: billedOn, wait: true });
    for (const s of Object.values(subs)) {
      const [open] = await t.call('invoices.listBySubscription', { subscriptionId: s.id });
      await t.call('invoices.close', { id: open!.id, date: billedOn });
    }
    const notices = await t.call('dunning.run', { date: addDays(today, -5) });
    expect(notices.moves.map((m) => m.to)).toEqual(['notice', 'notice']);
    expect((await t.call('dunning.run', { date: addDays(today, -1) })).moves).toEqual([]);
  });

  it('exempts a subscriber from its Summary; Run now then suspends only the other one', async () => {
    const { page } = app;
    await app.goto(`/subscriptions/${subs.exempt.id}/summary`);
    const card = page.getByTestId('dunning-card');
    await card.waitFor();
    expect(await card.getByTestId('dunning-stage').textContent()).toBe('Notice');
    expect(await card.getByTestId('dunning-next').textContent()).toMatch(/^Suspension on .+ if unpaid$/);

    await card.getByTestId('dunning-exempt').click();
    const modal = page.getByTestId('exempt-modal');
    // Both fields are required: the form says so where the user looks.
    await modal.getByTestId('exempt-submit').click();
    await modal.locator('.mantine-InputWrapper-error').first().waitFor();
    const until = addDays(today, 20);
    await modal.getByTestId('exempt-until').fill(until);
    await modal.getByTestId('exempt-reason').fill('Owner abroad, pays on return');
    await page.screenshot({ path: screenshotPath('dunning-exempt-modal.png') });
    await modal.getByTestId('exempt-submit').click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => card.getByTestId('dunning-exemption').textContent()).toContain('Owner abroad, pays on return');
    await card.getByTestId('dunning-exemption-row').waitFor();
    await dismissNotifications(page);
    await page.screenshot({ path: screenshotPath('subscription-dunning-card.png'), fullPage: true });

    await app.goto('/billing/dunning');
    await page.getByTestId('dunning-run-now').click();
    const outcome = page.getByTestId('dunning-outcome');
    await outcome.getByText('Moved on').waitFor();
    expect(await outcome.getByRole('row', { name: new RegExp(subs.owing.uniqueId) }).textContent()).toContain('suspended');
    expect(await outcome.getByRole('row', { name: new RegExp(subs.exempt.uniqueId) }).count()).toBe(0);
    expect((await app.t.call('subscriptions.get', { id: subs.exempt.id })).status).toBe('Active');
    expect((await app.t.call('subscriptions.get', { id: subs.owing.id })).status).toBe('Suspended');
  });

  it('lists the notices of a date range on the Dunning tab, with Print and Export', async () => {
    const { page } = app;
    const panel = page.getByTestId('dunning-notices-panel');
    await panel.getByTestId('notices-from').fill(addDays(today, -60));
    await expect.poll(() => panel.getByTestId('notice-row').count()).toBe(2);
    expect(await panel.getByTestId('notices-count').textContent()).toBe('2 notices');
    await dismissNotifications(page);
    await panel.screenshot({ path: screenshotPath('dunning-notices-list.png') });
    await panel.getByTestId('print-notices').click();
    const print = new PrintView(page);
    await print.ready();
    expect(await page.getByTestId('print-toolbar').textContent()).toContain('2 notices');
    await page.getByRole('button', { name: 'Back' }).click();
    await panel.waitFor();
  });

  it('suspends by hand, saying a payment will not bring it back, and the payment does not', async () => {
    const { page } = app;
    await app.goto(`/subscriptions/${subs.exempt.id}/summary`);
    const card = page.getByTestId('dunning-card');
    await card.getByTestId('hand-suspend').click();
    const modal = page.getByTestId('hand-status-modal');
    expect(await modal.getByTestId('hand-suspend-warning').textContent()).toContain('A payment will not reactivate a subscription suspended by hand');
    await modal.getByTestId('hand-submit').click();
    expect(await modal.locator('.mantine-InputWrapper-error').textContent()).toContain('Say why');
    await modal.getByTestId('hand-reason').fill('Equipment returned for repair');
    await page.screenshot({ path: screenshotPath('dunning-hand-suspend.png') });
    await modal.getByTestId('hand-submit').click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => card.getByTestId('dunning-stage').textContent()).toBe('Suspended by hand');
    expect(await card.getByTestId('dunning-next').textContent()).toBe('Reactivated only by hand');
    const [entry] = await app.t.call('subscriptions.history', { id: subs.exempt.id });
    expect(entry).toMatchObject({ from: 'Active', to: 'Suspended', reason: 'Equipment returned for repair' });

    await app.t.call('payments.record', { subscriptionId: subs.exempt.id, method: 'cash', receivedDate: today, amountCents: 100_000 });
    expect((await app.t.call('subscriptions.get', { id: subs.exempt.id })).status).toBe('Suspended');
  });

  it('prints a notice from the subscription: the print page shows the letter', async () => {
    const { page } = app;
    await app.goto(`/subscriptions/${subs.owing.id}/summary`);
    const card = page.getByTestId('dunning-card');
    await card.getByTestId('dunning-notice-row').first().waitFor();
    await card.getByTestId('print-notice').first().click();
    const print = new PrintView(page);
    await print.ready();
    const letter = await print.document.textContent();
    expect(letter).toContain('Payment reminder');
    expect(letter).toContain(subs.owing.uniqueId);
    expect(letter).toContain('overdue');
    await page.screenshot({ path: screenshotPath('dunning-notice-print.png'), fullPage: true });
    await page.getByRole('button', { name: 'Back' }).click();
    await card.waitFor();
  });

  it('gives a plan a data cap in the plan form, shown in the plan list', async () => {
    const { page } = app;
    await app.goto('/catalog/plans');
    const plans = new PlansPageModel(page);
    await plans.row('Home 25/5').getByText('Home 25/5', { exact: true }).click();
    const modal = page.getByTestId('plan-modal');
    await modal.getByRole('switch', { name: 'Monthly data cap' }).check({ force: true });
    await field(modal, 'Cap (GB)').fill('300');
    await pick(page, field(modal, 'When reached'), 'Throttle');
    await field(modal, 'Throttled download (Mbit/s)').fill('2');
    // The upload speed left blank: refused at its field, nothing saved.
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.locator('.mantine-InputWrapper-error').first().waitFor();
    await field(modal, 'Throttled upload (Mbit/s)').fill('1');
    await page.screenshot({ path: screenshotPath('plan-form-data-cap.png') });
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => plans.row('Home 25/5').textContent()).toContain('300 GB, then 2/1 Mbit/s');
    await dismissNotifications(page);
    await page.screenshot({ path: screenshotPath('plans-data-cap.png'), fullPage: true });
    const [plan] = (await app.t.call('plans.list', { query: 'Home 25/5' })).rows;
    expect(await app.t.call('usage.planCap', { planId: plan!.id })).toMatchObject({ capGb: 300, action: 'throttle', throttleDownloadKbps: 2000, throttleUploadKbps: 1000 });
    expect(app.problems).toEqual([]);
  });
});
