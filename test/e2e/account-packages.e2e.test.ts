import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountPackagesModel } from './pages/account-packages';
import { Shell } from './pages/shell';
import { ServicesTabModel } from './pages/subscriber-services';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;
let subscriptionId: number;
let silverId: number;
const today = new Date().toISOString().slice(0, 10);
const endDate = `${Number(today.slice(0, 4)) + 1}-${today.slice(5, 7)}-15`;
/** The page runs in en-US and UTC, and shows dates in the medium style. */
const shown = (iso: string) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));

beforeAll(async () => {
  app = await startApp();
  // Outside the story: the staff member, the subscriber and the catalog the package comes from.
  const engineer = await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  const contact = await app.t.call('contacts.create', { firstName: 'Dana', lastName: 'Whitfield' });
  subscriptionId = (await app.t.call('subscriptions.create', { contactId: contact.id, name: 'Ridge Road home', engineerId: engineer.id })).id;
  const plan = await app.t.call('plans.create', { kind: 'Internet', name: 'Wireless 50/10', priceCents: 4500, downloadKbps: 50_000, uploadKbps: 10_000, qosMode: 'PCQ' });
  let silver = await app.t.call('packages.create', { name: 'Silver' });
  silver = await app.t.call('packages.addProduct', { packageId: silver.id, planId: plan.id, name: 'Wireless 50/10', ratingMethod: 'recurring', priceCents: 4500, minQuantity: 1 });
  silver = await app.t.call('packages.addContract', { packageId: silver.id, name: '12-month', termMonths: 12 });
  silverId = silver.id;
});
afterAll(async () => {
  await app?.close();
});

describe('provisioning a package on the Services tab, and deleting it while nothing is invoiced', () => {
  it('starts with the honest empty state', async () => {
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    const packages = new AccountPackagesModel(app.page);
    await packages.emptyState.waitFor();
    expect(await packages.rows.count()).toBe(0);
  });

  it('provisions Silver with its 12-month contract: the package row appears, and its service in the services list', async () => {
    const packages = new AccountPackagesModel(app.page);
    const services = new ServicesTabModel(app.page);
    const shell = new Shell(app.page);
    const form = await packages.openProvision();
    expect(await form.startDate.inputValue()).toBe(today);
    await form.choosePackage('Silver');
    await form.chooseContract(/12-month/);
    await form.save();
    await form.modal.waitFor({ state: 'hidden' });
    await shell.notification('Package provisioned').waitFor();

    const row = packages.row('Silver');
    await row.waitFor();
    expect(await row.getByTestId('account-package-contract').textContent()).toBe('12-month');
    expect(await row.getByTestId('account-package-start').textContent()).toBe(shown(today));
    expect(await row.getByTestId('account-package-end').textContent()).toBe('indefinite');
    expect(await row.getByTestId('account-package-services').textContent()).toBe('1');
    await services.row('Wireless 50/10').waitFor();
    expect(await services.rows.count()).toBe(1);

    const stored = await app.t.call('accountPackages.listBySubscription', { subscriptionId });
    expect(stored.map((a) => [a.packageId, a.contractName, a.startDate, a.endDate, a.services.length])).toEqual([[silverId, '12-month', today, null, 1]]);
    await app.page.screenshot({ path: screenshotPath('account-packages.png'), fullPage: true });
  });

  it('sets an end date, shown on the row and pulled into its service', async () => {
    const packages = new AccountPackagesModel(app.page);
    const form = await packages.openEdit('Silver');
    expect(await form.endDate.inputValue()).toBe('');
    await form.endDate.fill(endDate);
    await form.save();
    await form.modal.waitFor({ state: 'hidden' });
    await expect.poll(() => packages.row('Silver').getByTestId('account-package-end').textContent()).toBe(shown(endDate));

    const [stored] = await app.t.call('accountPackages.listBySubscription', { subscriptionId });
    expect(stored!.endDate).toBe(endDate);
    expect(stored!.services.map((s) => s.endDate)).toEqual([endDate]);
  });

  it('adds one more of the package\'s products: a second service appears', async () => {
    const packages = new AccountPackagesModel(app.page);
    const services = new ServicesTabModel(app.page);
    const form = await packages.openAddProduct('Silver');
    await form.chooseProduct(/Wireless 50\/10/);
    await form.save();
    await form.modal.waitFor({ state: 'hidden' });
    await expect.poll(() => packages.row('Silver').getByTestId('account-package-services').textContent()).toBe('2');
    await expect.poll(() => services.rows.count()).toBe(2);
    const [stored] = await app.t.call('accountPackages.listBySubscription', { subscriptionId });
    expect(stored!.services.map((s) => [s.description, s.quantity])).toEqual([
      ['Wireless 50/10', '1'],
      ['Wireless 50/10', '1'],
    ]);
  });

  it('refuses to move the start date of a recurring package, at the Start date field', async () => {
    const packages = new AccountPackagesModel(app.page);
    const form = await packages.openEdit('Silver');
    await form.startDate.fill(`${Number(today.slice(0, 4)) - 1}-01-01`);
    await form.save();
    await form.error('Start date').waitFor();
    expect(await form.error('Start date').textContent()).toBe('Has recurring products');
    await form.modal.getByRole('button', { name: 'Cancel' }).click();
    await form.modal.waitFor({ state: 'hidden' });
    expect((await app.t.call('accountPackages.listBySubscription', { subscriptionId }))[0]!.startDate).toBe(today);
  });

  it('deletes the package: the row and its services are gone', async () => {
    const packages = new AccountPackagesModel(app.page);
    const services = new ServicesTabModel(app.page);
    await packages.action('Silver', 'Delete');
    await packages.confirmDelete.waitFor();
    await packages.deleteButton.click();
    await packages.confirmDelete.waitFor({ state: 'hidden' });
    await packages.emptyState.waitFor();
    await expect.poll(() => services.rows.count()).toBe(0);
    expect(await app.t.call('accountPackages.listBySubscription', { subscriptionId })).toEqual([]);
  });
});

describe('a package whose charges are on a closed invoice', () => {
  it('cannot be deleted: the dialog shows the refusal, and the package stays', async () => {
    await app.t.call('accountPackages.provision', { subscriptionId, packageId: silverId, startDate: today });
    await app.t.call('billing.run', { date: today });
    expect((await app.t.call('invoices.closeAllOpen', {})).closed).toBeGreaterThan(0);
    const [billed] = await app.t.call('accountPackages.listBySubscription', { subscriptionId });
    expect(billed!.closedChargeCount).toBeGreaterThan(0);

    await app.page.reload();
    const packages = new AccountPackagesModel(app.page);
    await packages.row('Silver').waitFor();
    await packages.action('Silver', 'Delete');
    await packages.confirmDelete.waitFor();
    await packages.deleteButton.click();
    await packages.deleteRefusal.waitFor();
    const refusal = await app.t.fail('accountPackages.delete', { id: billed!.id });
    expect(await packages.deleteRefusal.textContent()).toContain(refusal.message);
    await packages.confirmDelete.getByRole('button', { name: 'Close' }).click();
    await packages.confirmDelete.waitFor({ state: 'hidden' });
    expect(await packages.rows.count()).toBe(1);
    expect(app.problems).toEqual([]);
  });
});
