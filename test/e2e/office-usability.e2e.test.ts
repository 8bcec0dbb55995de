import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field } from './pages/forms';
import { SubscriptionForm, SubscriptionPage } from './pages/subscriptions';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;
let subscription: { id: number };

beforeAll(async () => {
  app = await startApp();
  const engineer = await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  const contact = await app.t.call('contacts.create', { firstName: 'June', lastName: 'Harlow' });
  const marina = await app.t.call('organizations.create', { name: 'Big Sky Marina' });
  await app.t.call('staff.create', { name: 'Tom Okafor', role: 'Technician' });
  subscription = await app.t.call('subscriptions.create', { contactId: contact.id, name: 'Slip 14, Big Sky Marina', engineerId: engineer.id, organizationId: marina.id });
});
afterAll(async () => {
  await app?.close();
});

describe('a link opened in a new tab', () => {
  it('loads without the token for the rest of the browser session', async () => {
    await app.goto('/subscriptions');
    await expect.poll(() => app.page.getByTestId('subscription-row').count()).toBe(1);

    const tab = await app.context.newPage();
    await tab.goto(`${app.host.url}#/subscriptions/${subscription.id}/billing`);
    await expect.poll(() => tab.getByText('Slip 14, Big Sky Marina').first().isVisible()).toBe(true);
    expect(await tab.getByTestId('load-error').count()).toBe(0);
    expect(await tab.getByTestId('sign-in-needed').count()).toBe(0);
    await tab.close();
  });

  it('explains in one sentence how to get in when the browser has no token', async () => {
    await app.context.clearCookies();
    const tab = await app.context.newPage();
    await tab.goto(`${app.host.url}#/subscriptions/${subscription.id}/billing`);
    const notice = tab.getByTestId('sign-in-needed');
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain('open the address Towerline printed when it started');
    expect(await tab.getByTestId('load-error').count()).toBe(0);
    await tab.screenshot({ path: screenshotPath('sign-in-needed.png') });
    await tab.close();
  });
});

describe('messages written for the user', () => {
  it('asks for the amount of an empty payment, with a grey placeholder', async () => {
    await app.goto(`/subscriptions/${subscription.id}/billing`);
    await app.page.getByTestId('record-payment').click();
    const modal = app.page.getByRole('dialog', { name: 'Record payment' });
    const amount = modal.getByLabel('Amount');
    const placeholderColor = () => amount.evaluate((el) => getComputedStyle(el, '::placeholder').color);
    const calm = await placeholderColor();
    await modal.getByTestId('save-payment').click();
    await expect.poll(() => modal.getByText('Enter the amount received').isVisible()).toBe(true);
    expect(await modal.textContent()).not.toMatch(/Invalid input|expected number/);
    expect(await placeholderColor()).toBe(calm);
    await modal.screenshot({ path: screenshotPath('payment-amount-required.png') });
    await app.page.keyboard.press('Escape');
  });
});

describe('typed but unsaved', () => {
  it('keeps Details edits across a switch to Summary and back, until discarded', async () => {
    await app.goto(`/subscriptions/${subscription.id}/details`);
    const form = new SubscriptionForm(app.page);
    const sub = new SubscriptionPage(app.page);
    await form.root.getByLabel('Description').fill('Gate code 4471; boat is the blue one');
    await sub.tab('Summary').click();
    await sub.tab('Details').click();
    await expect.poll(() => form.root.getByLabel('Description').inputValue()).toBe('Gate code 4471; boat is the blue one');
    await expect.poll(() => app.page.getByTestId('draft-restored').isVisible()).toBe(true);
    await app.page.screenshot({ path: screenshotPath('draft-restored.png') });
    await app.page.getByTestId('draft-restored').getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => form.root.getByLabel('Description').inputValue()).toBe('');
  });

  it('keeps a half-filled new subscription while staff go to create a contact', async () => {
    await app.goto('/subscriptions/new');
    const form = new SubscriptionForm(app.page);
    await form.name.fill('Slip 15');
    await app.page.getByTestId('nav-contacts').click();
    await app.page.goBack();
    await expect.poll(() => form.name.inputValue()).toBe('Slip 15');
  });
});

describe('Save & New', () => {
  it('keeps engineer, organization and bill day for the next subscription', async () => {
    await app.goto('/subscriptions/new');
    const form = new SubscriptionForm(app.page);
    await form.fill({ contactSearch: 'Harlow', contact: /June Harlow/, name: 'Slip 16', engineer: 'Tom Okafor' });
    await field(form.root, 'Organization').click();
    await field(form.root, 'Organization').fill('Big Sky');
    await app.page.getByRole('option', { name: /Big Sky Marina/ }).first().click();
    await field(form.root, 'Bill day').fill('15');
    await form.saveAndNew();
    await expect.poll(() => form.name.inputValue()).toBe('');
    expect(await form.engineer.inputValue()).toContain('Tom Okafor');
    expect(await field(form.root, 'Organization').inputValue()).toContain('Big Sky Marina');
    expect(await field(form.root, 'Bill day').inputValue()).toBe('15');
    expect(await form.contact.inputValue()).toBe('');
  });
});

describe('the Services tab says what happens', () => {
  it('shows a one-time product as one-time and names both plans on a plan change', async () => {
    const install = await app.t.call('plans.create', { kind: 'Custom', name: 'Installation', priceCents: 9900 });
    const bronze = await app.t.call('plans.create', { kind: 'Internet', name: 'Wireless 25/5', priceCents: 3500, downloadKbps: 25_000, uploadKbps: 5_000 });
    await app.t.call('plans.create', { kind: 'Internet', name: 'Wireless 100/20', priceCents: 6500, downloadKbps: 100_000, uploadKbps: 20_000 });
    await app.t.call('services.create', { subscriptionId: subscription.id, planId: install.id, startDate: '2026-11-01', ratingMethod: 'one-time' });
    await app.t.call('services.create', { subscriptionId: subscription.id, planId: bronze.id, startDate: '2026-11-01', login: 'slip14' });

    await app.goto(`/subscriptions/${subscription.id}/services`);
    const rows = app.page.getByTestId('service-row');
    await expect.poll(() => rows.filter({ hasText: 'Installation' }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'Installation' }).textContent()).toContain('one-time');
    expect(await rows.filter({ hasText: 'Installation' }).textContent()).not.toContain('monthly');

    await app.page.getByRole('button', { name: 'Actions for Wireless 25/5' }).click();
    await app.page.getByRole('menuitem', { name: 'Change plan now' }).click();
    const modal = app.page.getByTestId('change-plan-modal');
    await field(modal, 'New plan').click();
    await app.page.getByRole('option', { name: /Wireless 100\/20/ }).click();
    await modal.getByRole('button', { name: /Change plan/ }).click();
    await expect.poll(() => app.page.getByText('Moved from Wireless 25/5 to Wireless 100/20').isVisible()).toBe(true);
  });
});
