import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountPackagesModel } from './pages/account-packages';
import { Shell } from './pages/shell';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;
let subscriptionId: number;

beforeAll(async () => {
  app = await startApp();
  const engineer = await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  const contact = await app.t.call('contacts.create', { firstName: 'Hal', lastName: 'Bosun' });
  subscriptionId = (await app.t.call('subscriptions.create', { contactId: contact.id, name: 'Big Sky Marina', engineerId: engineer.id })).id;
  const plan = await app.t.call('plans.create', { kind: 'Internet', name: 'Slip Wi-Fi 10/2', priceCents: 1500, downloadKbps: 10_000, uploadKbps: 2_000, qosMode: 'PCQ' });
  // No product has a minimum quantity: staff pick what the marina takes.
  const marina = await app.t.call('packages.create', { name: 'Marina' });
  await app.t.call('packages.addProduct', { packageId: marina.id, planId: plan.id, name: 'Slip Wi-Fi', ratingMethod: 'recurring', priceCents: 1500, minQuantity: null });
});
afterAll(async () => {
  await app?.close();
});

describe('provisioning a package lets staff pick its products', () => {
  it('says so when nothing is picked, instead of a green "0 services"', async () => {
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    const shell = new Shell(app.page);
    const form = await new AccountPackagesModel(app.page).openProvision();
    await form.choosePackage('Marina');
    await form.modal.getByTestId('provision-nothing-picked').waitFor();
    expect(await form.modal.getByRole('checkbox', { name: 'Slip Wi-Fi' }).isChecked()).toBe(false);
    await form.save();
    await form.modal.waitFor({ state: 'hidden' });
    await shell.notification('Package provisioned without services').waitFor();
    const [stored] = await app.t.call('accountPackages.listBySubscription', { subscriptionId });
    expect(stored!.services).toHaveLength(0);
  });

  it('provisions the products picked, with the quantities typed', async () => {
    const shell = new Shell(app.page);
    const form = await new AccountPackagesModel(app.page).openProvision();
    await form.choosePackage('Marina');
    await form.modal.getByRole('checkbox', { name: 'Slip Wi-Fi' }).check();
    await form.modal.getByLabel('Quantity of Slip Wi-Fi').fill('3');
    await app.page.screenshot({ path: screenshotPath('provision-picking.png') });
    await form.save();
    await form.modal.waitFor({ state: 'hidden' });
    await shell.notification('Package provisioned').first().waitFor();
    const stored = await app.t.call('accountPackages.listBySubscription', { subscriptionId });
    const withServices = stored.find((a) => a.services.length > 0)!;
    expect(withServices.services.map((s) => [s.description, s.quantity])).toEqual([['Slip Wi-Fi', '3']]);
  });
});
