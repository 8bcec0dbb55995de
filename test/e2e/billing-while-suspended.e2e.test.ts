import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../electron/server/billing/settings';
import { dismissNotifications, PrintView } from './pages/billing';
import { choose, field } from './pages/forms';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/**
 * "While suspended: Pause billing", chosen on the billing settings screen, gives back
 * the suspended days of a month already billed, and the statement says which days: a $30.00
 * plan with 10% tax billed for October and November 2026, suspended from 10 November until
 * reactivated (today, after November): 21 of 30 November days, $21.00 + $2.10.
 */
describe('billing paused while suspended, from the settings screen to the statement', () => {
  it('saves the setting from the billing settings screen', async () => {
    await app.goto('/billing/settings');
    const form = app.page.getByTestId('billing-settings-form');
    await form.waitFor();
    const select = field(form, 'While suspended');
    expect(await select.inputValue()).toBe('Keep billing');
    await choose(app.page, select, '', 'Pause billing');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await app.page.getByText('Billing settings saved').waitFor();
    expect((await app.t.call('billingSettings.get', {})).whileSuspended).toBe('pause');
    await dismissNotifications(app.page);
    await form.getByRole('heading', { name: 'Money and terms' }).scrollIntoViewIfNeeded();
    await app.page.screenshot({ path: screenshotPath('billing-while-suspended-setting.png') });
  });

  it('shows the suspended days credited on the statement', async () => {
    const { t } = app;
    const tax = await t.call('taxClasses.create', { name: 'Sales tax', ratePercent: '10' });
    const plan = await t.call('plans.create', { kind: 'Internet', name: 'Home 30', priceCents: 3000, payPeriodMonths: 1, downloadKbps: 30_000, uploadKbps: 5_000, qosMode: 'Simple queue', accessTechnology: 'wireless', taxClassId: tax.id });
    const contact = await t.call('contacts.create', { firstName: 'Rosa', lastName: 'Marsh', phones: [], emails: [] });
    const engineer = await t.call('staff.create', { name: 'Dale Cooper', role: 'Engineer' });
    const sub = await t.call('subscriptions.create', { name: 'Marsh home', contactId: contact.id, engineerId: engineer.id, billDay: 1 });
    await t.call('services.create', { subscriptionId: sub.id, planId: plan.id, startDate: '2026-10-01', login: 'rosa' });
    await t.call('billing.run', { date: '2026-11-01', wait: true });
    await t.call('invoices.closeAllOpen', { date: '2026-11-01' });
    // The suspension began on 10 November: history recorded then (the test cannot wait for the calendar).
    const db = t.backend.datastore.db;
    await db.updateTable('subscriptions').set({ status: 'Suspended' }).where('id', '=', sub.id).execute();
    await db
      .insertInto('subscription_status_changes')
      .values({ subscription_id: sub.id, from_status: 'Active', to_status: 'Suspended', changed_at: '2026-11-10T09:00:00.000Z', changed_by_name: 'Dale Cooper', reason: 'Asked for a break' })
      .execute();
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Active', reason: null });

    const [memo] = await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id });
    expect(memo).toMatchObject({ reason: 'Suspended 10–30 Nov: 21 of 30 days', subtotalCents: 2100, taxCents: 210 });
    const today = dayOf(new Date());
    await app.goto(`/print/statement/${sub.id}?from=2026-10-01&to=${today}`);
    const view = new PrintView(app.page);
    await view.ready();
    const text = (await view.document.textContent()) ?? '';
    expect(text).toContain(`Credit memo ${memo!.number}: Suspended 10–30 Nov: 21 of 30 days`);
    expect(text).toContain('$42.90'); // $66.00 billed less $23.10 credited
    await app.page.screenshot({ path: screenshotPath('billing-while-suspended-statement.png'), fullPage: true });
    expect(app.problems).toEqual([]);
  });
});
