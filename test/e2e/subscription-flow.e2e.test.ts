import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactsPage } from './pages/contacts';
import { Shell } from './pages/shell';
import { SubscriptionForm, SubscriptionPage } from './pages/subscriptions';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;

beforeAll(async () => {
  app = await startApp();
  await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  await app.t.call('staff.create', { name: 'Tom Okafor', role: 'Technician' });
});
afterAll(async () => {
  await app?.close();
});

/** The foundation's main path, in order: each step starts where the previous one left off. */
describe('a new subscriber, from contact to suspension', () => {
  it('creates a contact from the Contacts page', async () => {
    const shell = new Shell(app.page);
    await app.goto('/subscriptions');
    await shell.nav('Contacts').click();
    const contacts = new ContactsPage(app.page);
    await contacts.create({ firstName: 'Maria', lastName: 'Lopez', phone: '+1 208 555 0142', email: 'maria.lopez@example.net' });
    await contacts.row('Maria Lopez').waitFor();
    expect(await contacts.row('Maria Lopez').textContent()).toContain('+1 208 555 0142');
    await shell.notification('Contact created').waitFor();
  });

  it('opens two subscriptions with Save & New, each named in a notification, the form emptied but for engineer, organization and bill day', async () => {
    const shell = new Shell(app.page);
    await shell.nav('Subscriptions').click();
    await app.page.getByRole('link', { name: 'New subscription' }).click();
    const form = new SubscriptionForm(app.page);

    await form.fill({ contactSearch: 'Lopez', contact: /Maria Lopez/, name: 'Home internet', engineer: /Priya Raman/ });
    await form.saveAndNew();
    await shell.notification('Home internet').waitFor();
    expect(await shell.notification('Home internet').textContent()).toMatch(/S-\d+ · Home internet/);
    await expect.poll(() => form.name.inputValue()).toBe('');
    await expect.poll(() => form.contact.inputValue()).toBe('');
    // The next one is usually the same site's: the engineer stays.
    await expect.poll(() => form.engineer.inputValue()).toContain('Priya Raman');

    await form.fill({ contactSearch: 'maria', contact: /Maria Lopez/, name: 'Barn uplink', engineer: /Tom Okafor/ });
    await form.saveAndNew();
    await shell.notification('Barn uplink').waitFor();
    await expect.poll(() => form.name.inputValue()).toBe('');

    const listed = await app.t.call('subscriptions.list', {});
    expect(listed.rows.map((r) => r.name).sort()).toEqual(['Barn uplink', 'Home internet']);
  });

  it('finds subscriptions with Ctrl+K as you type (by phone, by name), and Enter opens the first hit\'s inner page', async () => {
    const shell = new Shell(app.page);
    await shell.openQuickSearchWithKeyboard();
    // By the contact's phone: both of Maria's subscriptions.
    await shell.quickSearchInput.fill('208 555 0142');
    await expect.poll(() => app.page.getByTestId('quick-search-hit').count()).toBe(2);
    await shell.quickSearchInput.fill('Barn');
    await shell.quickSearchHit('Barn uplink').waitFor();
    await shell.quickSearchInput.press('Enter');
    await app.page.waitForURL(/#\/subscriptions\/\d+\/summary$/);
    await shell.pageTitle.filter({ hasText: 'Barn uplink' }).waitFor();
  });

  it('visits every tab (Summary, Details, Services, Hotspot, Devices, Billing), each at its own address', async () => {
    const sub = new SubscriptionPage(app.page);
    const expected = [
      ['Details', 'details', /^Bill day/],
      ['Services', 'services', /No services on this subscription/],
      ['Hotspot', 'hotspot', /No hotspot users/],
      ['Devices', 'devices', /No devices on this subscription/],
      ['Billing', 'billing', /No invoice yet/],
      ['Summary', 'summary', /Status and activity history/],
    ] as const;
    for (const [tab, slug, content] of expected) {
      await sub.tab(tab).click();
      await app.page.waitForURL(new RegExp(`#/subscriptions/\\d+/${slug}$`));
      await sub.activePanel.getByText(content).first().waitFor();
    }
    expect(await sub.history.count()).toBe(1);
    expect(await sub.history.first().textContent()).toContain('Subscription created');
  });

  it('suspends it with a reason, and the Summary history shows the change and who made it', async () => {
    const shell = new Shell(app.page);
    const sub = new SubscriptionPage(app.page);
    await shell.workAs('Priya Raman');
    await sub.changeStatus('Suspended', 'Unpaid since October');
    await shell.notification('is now Suspended').waitFor();
    await sub.summaryStatus.getByText('Suspended').waitFor();
    await expect.poll(() => sub.history.count()).toBe(2);
    const newest = (await sub.history.first().textContent()) ?? '';
    expect(newest).toContain('Active');
    expect(newest).toContain('Suspended');
    expect(newest).toContain('Priya Raman');
    expect(newest).toContain('Unpaid since October');

    // The toast has said its piece; the screenshot is of the page under it.
    await shell.notification('is now Suspended').locator('button').click();
    await shell.notification('is now Suspended').waitFor({ state: 'detached' });
    await app.page.screenshot({ path: screenshotPath('subscription-inner-page.png'), fullPage: true });
  });

  it('shows the mandatory-field errors at the fields when saving an empty form', async () => {
    await app.goto('/subscriptions/new');
    const form = new SubscriptionForm(app.page);
    await form.save();
    await form.error('Contact').getByText('Required').waitFor();
    await form.error('Name').getByText('Required').waitFor();
    await form.error('Engineer').getByText('Required').waitFor();
    expect((await app.t.call('subscriptions.list', {})).total).toBe(2);
  });

  it('reported no page errors along the way', () => {
    expect(app.problems).toEqual([]);
  });
});
