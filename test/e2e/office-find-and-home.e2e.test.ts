import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shell } from './pages/shell';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;
let shell: Shell;
let slips: { id: number; uniqueId: string }[];
let marinaId: number;

beforeAll(async () => {
  app = await startApp();
  shell = new Shell(app.page);
  const engineer = await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  const contact = await app.t.call('contacts.create', { firstName: 'June', lastName: 'Harlow' });
  const marina = await app.t.call('organizations.create', { name: 'Big Sky Marina' });
  marinaId = marina.id;
  slips = [];
  for (const name of ['Slip 14', 'Slip 15']) {
    slips.push(await app.t.call('subscriptions.create', { contactId: contact.id, name, engineerId: engineer.id, organizationId: marina.id }));
  }
  await app.t.call('subscriptions.create', { contactId: contact.id, name: 'Harlow residence', engineerId: engineer.id });
  const router = await app.t.call('routers.create', { name: 'Marina AP', address: '10.255.0.1', vendor: 'MikroTik RouterOS', apiPort: 8728 });
  await app.t.call('ipNetworks.create', { cidr: '10.20.0.0/24', kind: 'permanent', gateway: '10.20.0.1', routerId: router.id });
  const plan = await app.t.call('plans.create', { kind: 'Internet', name: 'Wireless 100/20', priceCents: 7500, payPeriodMonths: 1, downloadKbps: 100_000, uploadKbps: 20_000, qosMode: 'Simple queue', accessTechnology: 'wireless' });
  await app.t.call('services.create', { subscriptionId: slips[1]!.id, planId: plan.id, startDate: '2026-11-01', login: 'bsm-slip15', routerId: router.id, ipv4Assignment: 'permanent', ipv4Address: '10.20.0.45', macAddresses: '00:1A:2B:3C:4D:5E' });
});
afterAll(async () => {
  await app?.close();
});

describe('find anything a support call starts with', () => {
  it('finds the subscriptions of an organization by its name with Ctrl+K', async () => {
    await app.goto('/subscriptions');
    await shell.openQuickSearchWithKeyboard();
    await shell.quickSearchInput.fill('Big Sky Marina');
    await expect.poll(() => app.page.getByTestId('quick-search-hit').count()).toBe(2);
    expect(await shell.quickSearchHit('Slip 14').textContent()).toContain('Organization Big Sky Marina');
    await app.page.screenshot({ path: screenshotPath('find-organization.png') });
    await app.page.keyboard.press('Escape');
  });

  it('answers "who is 10.20.0.45?" naming the service, and Enter opens its Services tab', async () => {
    await shell.openQuickSearchWithKeyboard();
    await shell.quickSearchInput.fill('10.20.0.45');
    const hit = shell.quickSearchHit('IP 10.20.0.45 · service Wireless 100/20');
    await hit.waitFor();
    await app.page.screenshot({ path: screenshotPath('find-ip.png') });
    await app.page.keyboard.press('Enter');
    await expect.poll(() => app.page.url()).toContain(`/subscriptions/${slips[1]!.id}/services`);
  });

  it('finds a MAC typed in another spelling and a PPPoE login', async () => {
    await shell.openQuickSearchWithKeyboard();
    await shell.quickSearchInput.fill('001a.2b3c.4d5e');
    await shell.quickSearchHit('MAC 00:1A:2B:3C:4D:5E · service Wireless 100/20').waitFor();
    await shell.quickSearchInput.fill('BSM-SLIP');
    await shell.quickSearchHit('Login bsm-slip15').waitFor();
    await app.page.keyboard.press('Escape');
  });

  it('lists the organization\'s subscriptions in the subscription list search and on its page', async () => {
    await app.goto('/subscriptions');
    await app.page.getByPlaceholder(/search/i).first().fill('big sky marina');
    await expect.poll(() => app.page.getByTestId('subscription-row').count()).toBe(2);

    await app.goto('/organizations');
    await app.page.getByTestId('organization-row').filter({ hasText: 'Big Sky Marina' }).click();
    await expect.poll(() => app.page.url()).toContain(`/organizations/${marinaId}`);
    await expect.poll(() => app.page.getByTestId('organization-subscription-row').count()).toBe(2);
    expect(await app.page.getByTestId('organization-subscription-row').allTextContents()).toEqual([expect.stringContaining('Slip 14'), expect.stringContaining('Slip 15')]);
    await app.page.screenshot({ path: screenshotPath('organization-page.png') });
  });
});

describe('the home page', () => {
  it('opens first, with subscriptions by status, recurring revenue and a link to Aging', async () => {
    await app.page.goto(`${app.host.url}#/`);
    await expect.poll(() => app.page.url()).toContain('#/home');
    await app.page.getByTestId('home-mrr-value').waitFor();
    expect(await app.page.getByTestId('home-mrr-value').textContent()).toBe('$75.00');
    expect(await app.page.getByTestId('home-status-Active').textContent()).toContain('Active: 3');
    expect(await app.page.getByTestId('home-network-text').textContent()).toMatch(/of 1 out of sync/);
    await app.page.getByTestId('home-statuses').locator('.recharts-surface').first().waitFor();
    await app.page.screenshot({ path: screenshotPath('home.png'), fullPage: true });
    await app.page.getByTestId('home-overdue').getByRole('link', { name: 'Open Aging' }).click();
    await expect.poll(() => app.page.url()).toContain('/billing/aging');
  });

  it('reported no page errors along the way', () => {
    expect(app.problems).toEqual([]);
  });
});
