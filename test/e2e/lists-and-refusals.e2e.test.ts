import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field } from './pages/forms';
import { ListPage } from './pages/lists';
import { Shell } from './pages/shell';
import { SubscriptionForm, SubscriptionPage } from './pages/subscriptions';
import { type RunningApp, startApp } from './support/app';

let app: RunningApp;
let priya: { id: number };
let tom: { id: number };
const SUBSCRIPTIONS = 60;

beforeAll(async () => {
  app = await startApp();
  priya = await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  tom = await app.t.call('staff.create', { name: 'Tom Okafor', role: 'Technician' });
  const contact = await app.t.call('contacts.create', { firstName: 'June', lastName: 'Harlow', phones: ['+1 406 555 0188'] });
  for (let i = 1; i <= SUBSCRIPTIONS; i++) {
    const s = await app.t.call('subscriptions.create', {
      contactId: contact.id,
      name: `Cabin ${String(i).padStart(2, '0')}`,
      engineerId: i % 3 === 0 ? tom.id : priya.id,
    });
    if (i % 10 === 0) await app.t.call('subscriptions.setStatus', { id: s.id, status: 'Suspended', reason: 'Unpaid' });
  }
});
afterAll(async () => {
  await app?.close();
});

describe('the subscription list', () => {
  it('pages on the server, 50 rows at a time', async () => {
    await app.goto('/subscriptions');
    const list = new ListPage(app.page, 'subscription-row');
    await expect.poll(() => list.rows.count()).toBe(50);
    await list.pageButton(2).click();
    await expect.poll(() => list.rows.count()).toBe(SUBSCRIPTIONS - 50);
    expect(await list.firstCells()).toContain('S-000060');
  });

  it('filters by status and by engineer, and sorts by a column', async () => {
    const list = new ListPage(app.page, 'subscription-row');
    await app.page.getByRole('combobox', { name: 'Status' }).click();
    await app.page.getByRole('option', { name: 'Suspended' }).click();
    await expect.poll(() => list.rows.count()).toBe(6);

    await app.page.getByRole('combobox', { name: 'Engineer' }).click();
    await app.page.getByRole('option', { name: 'Tom Okafor' }).click();
    // Suspended (every 10th) and Tom's (every 3rd): 30 and 60.
    await expect.poll(() => list.firstCells()).toEqual(['S-000030', 'S-000060']);

    await list.sortBy('Unique ID').click();
    await expect.poll(() => list.firstCells()).toEqual(['S-000060', 'S-000030']);
    expect(app.page.url()).toContain('dir=desc');
  });

  it('searches as you type, and opens a subscription from the keyboard', async () => {
    await app.goto('/subscriptions');
    const list = new ListPage(app.page, 'subscription-row');
    await app.page.getByLabel('Search subscriptions').fill('Cabin 42');
    await expect.poll(() => list.firstCells()).toEqual(['S-000042']);
    await list.rows.first().focus();
    await app.page.keyboard.press('Enter');
    await app.page.waitForURL(/#\/subscriptions\/\d+\/summary$/);
    await new Shell(app.page).pageTitle.filter({ hasText: 'Cabin 42' }).waitFor();
  });
});

describe('status changes follow the shared rules', () => {
  it('offers only the allowed moves, asks for a reason where needed, and a confirmed reopen', async () => {
    const cancelled = (await app.t.call('subscriptions.list', { query: 'Cabin 07' })).rows[0]!;
    await app.t.call('subscriptions.setStatus', { id: cancelled.id, status: 'Cancelled', reason: 'Moved away' });
    await app.goto(`/subscriptions/${cancelled.id}/summary`);
    const sub = new SubscriptionPage(app.page);
    await sub.summaryStatus.getByText('Cancelled').waitFor();

    await app.page.getByRole('button', { name: 'Change status' }).click();
    await field(sub.statusModal, 'New status').click();
    // A closed subscription may only be reopened as Active or Inactive.
    await expect.poll(() => app.page.getByRole('option').allTextContents()).toEqual(['Active', 'Inactive']);
    await app.page.getByRole('option', { name: 'Active', exact: true }).click();
    const submit = sub.statusModal.getByRole('button', { name: 'Change status' });
    await submit.click();
    await sub.statusModal.getByText(/confirm the reopen/).waitFor();
    await sub.statusModal.getByRole('checkbox').check();
    await submit.click();
    await sub.statusError('Reason').getByText('A reason is required to change Cancelled to Active.').waitFor();
    await field(sub.statusModal, 'Reason').fill('Came back');
    await submit.click();
    await sub.statusModal.waitFor({ state: 'hidden' });
    await sub.summaryStatus.getByText('Active').waitFor();
    await expect.poll(() => sub.history.first().textContent()).toContain('Came back');
  });
});

describe('errors where the user looks', () => {
  it('shows a refusal from the back end at the field it names', async () => {
    const temp = await app.t.call('staff.create', { name: 'Lee Temp', role: 'Engineer' });
    await app.goto('/subscriptions/new');
    const form = new SubscriptionForm(app.page);
    await form.fill({ contactSearch: 'Harlow', contact: /June Harlow/, name: 'Boathouse', engineer: /Lee Temp/ });
    // Deactivated elsewhere while the form was open: only the back end can know.
    await app.t.call('staff.update', { id: temp.id, active: false });
    await form.save();
    await form.error('Engineer').getByText('Lee Temp is no longer active').waitFor();
    expect((await app.t.call('subscriptions.list', { query: 'Boathouse' })).total).toBe(0);
  });

  it('refuses to delete a staff member who is still an engineer, saying why in the dialog', async () => {
    await app.goto('/staff');
    const list = new ListPage(app.page, 'staff-row');
    await list.row('Priya Raman').waitFor();
    await list.deleteRow('Priya Raman');
    await list.deleteRefusal.getByText(/Priya Raman is the engineer of \d+ subscriptions/).waitFor();
    await app.page.getByRole('button', { name: 'Close' }).click();
    await list.deleteRefusal.waitFor({ state: 'detached' });
    expect((await app.t.call('staff.get', { id: priya.id })).name).toBe('Priya Raman');
  });

  it('deletes a contact nobody refers to, after confirmation', async () => {
    await app.t.call('contacts.create', { firstName: 'Olaf', lastName: 'Unused' });
    await app.goto('/contacts');
    const list = new ListPage(app.page, 'contact-row');
    await list.row('Olaf Unused').waitFor();
    await list.deleteRow('Olaf Unused');
    await list.row('Olaf Unused').waitFor({ state: 'detached' });
    expect((await app.t.call('contacts.list', { query: 'Unused' })).total).toBe(0);
  });

  it('creates and edits an organization, with the missing name shown at its field', async () => {
    await app.goto('/organizations');
    const list = new ListPage(app.page, 'organization-row');
    await app.page.getByRole('button', { name: 'New organization' }).click();
    const modal = app.page.getByRole('dialog');
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.locator('.mantine-InputWrapper-error', { hasText: 'Required' }).first().waitFor();
    await field(modal, 'Name').fill('Lakeside RV Park');
    await modal.getByRole('button', { name: 'Save' }).click();
    await list.row('Lakeside RV Park').waitFor();

    await app.page.getByRole('button', { name: 'Edit Lakeside RV Park' }).click();
    await field(modal, 'City').fill('Sandpoint');
    await modal.getByRole('button', { name: 'Save' }).click();
    await list.row('Sandpoint').waitFor();
  });

  it('reported no page errors along the way', () => {
    expect(app.problems).toEqual([]);
  });
});
