import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpNetworksPageModel, PackagesPageModel, PlansPageModel, navLink } from './pages/catalog-network';
import { field } from './pages/forms';
import { Shell } from './pages/shell';
import { DevicesTabModel, HotspotTabModel, ScheduleChangeModel, ServiceFormModel, ServicesTabModel } from './pages/subscriber-services';
import { SubscriptionPage } from './pages/subscriptions';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;
let subscriptionId: number;
let neighbourId: number;

beforeAll(async () => {
  app = await startApp();
  // Outside the story: who works here, the subscribers, the router and the hotspot plan.
  const engineer = await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  const maria = await app.t.call('contacts.create', { firstName: 'Maria', lastName: 'Lopez' });
  const sam = await app.t.call('contacts.create', { firstName: 'Sam', lastName: 'Ortiz' });
  subscriptionId = (await app.t.call('subscriptions.create', { contactId: maria.id, name: 'Home internet', engineerId: engineer.id, servicePassword: 'maria-secret' })).id;
  neighbourId = (await app.t.call('subscriptions.create', { contactId: sam.id, name: 'Farm uplink', engineerId: engineer.id })).id;
  await app.t.call('routers.create', { name: 'Hilltop core', address: '10.0.0.1', apiUser: 'towerline', apiPassword: 'router-secret', radiusSecret: 'radius-secret' });
  await app.t.call('hotspotPlans.create', { name: 'RV day pass', timeLimitMinutes: 1440, dataLimitMb: 2048, validityDays: 1, priceCents: 500 });
});
afterAll(async () => {
  await app?.close();
});

describe('selling an Internet service, from the catalog to the subscriber', () => {
  it('creates an Internet plan on the Plans page', async () => {
    await app.goto('/subscriptions');
    await navLink(app.page, 'Plans').click();
    const plans = new PlansPageModel(app.page);
    await plans.createInternetPlan({ name: 'Fiber 100/20', price: '59.00', downloadMbps: '100', uploadMbps: '20', qosMode: 'PCQ' });
    await plans.row('Fiber 100/20').waitFor();
    expect(await plans.row('Fiber 100/20').textContent()).toContain('$59.00');
    const stored = await app.t.call('plans.list', {});
    expect(stored.rows.map((p) => [p.name, p.priceCents, p.downloadKbps, p.uploadKbps, p.qosMode])).toEqual([['Fiber 100/20', 5900, 100_000, 20_000, 'PCQ']]);
  });

  it('creates a package holding that plan', async () => {
    await navLink(app.page, 'Packages').click();
    const packages = new PackagesPageModel(app.page);
    await packages.create('Gold');
    await app.page.waitForURL(/#\/catalog\/packages\/\d+$/);
    await packages.addPlanProduct('Fiber', /Fiber 100\/20/);
    await packages.productRow('Fiber 100/20').waitFor();
    const listed = await app.t.call('packages.list', {});
    const gold = await app.t.call('packages.get', { id: listed.rows[0]!.id });
    expect(gold.products.map((p) => [p.planName, p.priceCents])).toEqual([['Fiber 100/20', 5900]]);
  });

  it('adds a permanent network on the router, and shows it empty', async () => {
    await navLink(app.page, 'IP networks').click();
    const networks = new IpNetworksPageModel(app.page);
    await networks.createPermanent({ cidr: '10.20.0.0/24', gateway: '10.20.0.1', router: /Hilltop core/, description: 'Hilltop customers' });
    await networks.row('10.20.0.0/24').waitFor();
    // 256 addresses less network, broadcast and gateway.
    expect(await networks.row('10.20.0.0/24').textContent()).toContain('0 of 253 used');
  });

  it('adds an Internet service with the next free permanent address, shown on the Services tab with IP, login and QoS mode', async () => {
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    const tab = new ServicesTabModel(app.page);
    await tab.panel.waitFor();
    const form = await tab.openNew();
    await form.fillInternet({ planSearch: 'Fiber', plan: /Fiber 100\/20/, router: /Hilltop core/, login: 'maria.lopez', network: /10\.20\.0\.0\/24/ });
    await expect.poll(() => form.address.inputValue()).toBe('10.20.0.2');
    expect(await form.passwordHint.textContent()).toContain("subscription's service password applies");
    await app.page.screenshot({ path: screenshotPath('service-form.png') });
    await form.save();
    await form.modal.waitFor({ state: 'hidden' });

    const row = tab.row('maria.lopez');
    await row.waitFor();
    expect(await row.getByTestId('service-ips').textContent()).toBe('10.20.0.2');
    expect(await row.getByTestId('service-login').textContent()).toBe('maria.lopez');
    expect(await row.getByTestId('service-qos').textContent()).toBe('PCQ');
    expect(await row.textContent()).toContain('Hilltop core');
    expect(await row.getByTestId('service-price').textContent()).toBe('$59.00');
    expect(await row.getByTestId('price-overridden').count()).toBe(0);
    await app.page.screenshot({ path: screenshotPath('services-tab.png'), fullPage: true });

    const networks = await app.t.call('ipNetworks.list', {});
    expect(networks.rows[0]!.utilization.used).toBe(1);
  });

  it('refuses a login another service already uses, at the Login field', async () => {
    await app.goto(`/subscriptions/${neighbourId}/services`);
    const tab = new ServicesTabModel(app.page);
    await tab.panel.waitFor();
    const form = await tab.openNew();
    await form.fillInternet({ planSearch: 'Fiber', plan: /Fiber 100\/20/, router: /Hilltop core/, login: 'maria.lopez', network: /10\.20\.0\.0\/24/ });
    await expect.poll(() => form.address.inputValue()).toBe('10.20.0.3');
    expect(await form.passwordHint.textContent()).toContain('no service password');
    await form.save();
    await form.error('Login').waitFor();
    expect(await form.error('Login').textContent()).toMatch(/maria\.lopez.*already used/);
    // The form stays open with what was typed; nothing was saved.
    expect(await form.login.inputValue()).toBe('maria.lopez');
    expect((await app.t.call('services.listBySubscription', { subscriptionId: neighbourId })).total).toBe(0);
    await form.modal.getByRole('button', { name: 'Cancel' }).click();
    await form.modal.waitFor({ state: 'hidden' });
  });

  it('shows on the network page which service holds the address', async () => {
    await app.goto('/network/ip-networks');
    const networks = new IpNetworksPageModel(app.page);
    await networks.row('10.20.0.0/24').click();
    const allocation = app.page.getByTestId('allocation-row').filter({ hasText: '10.20.0.2' });
    await allocation.waitFor();
    expect(await allocation.textContent()).toMatch(/maria\.lopez.*S-\d+ · Home internet/);
    expect(await app.page.getByTestId('network-utilization').first().textContent()).toContain('1 of 253 used');
    await app.page.screenshot({ path: screenshotPath('ip-network.png') });
  });

  it('edits the service to its own price, and the list marks the price as overridden', async () => {
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    const tab = new ServicesTabModel(app.page);
    await tab.row('maria.lopez').click();
    const form = new ServiceFormModel(app.page);
    await form.modal.waitFor();
    await form.setOwnPrice('49.00');
    await form.save();
    await form.modal.waitFor({ state: 'hidden' });
    await expect.poll(() => tab.row('maria.lopez').getByTestId('service-price').textContent()).toBe('$49.00');
    await tab.row('maria.lopez').getByTestId('price-overridden').waitFor();
    // The permanent address went back with the edit and is still this service's.
    expect(await tab.row('maria.lopez').getByTestId('service-ips').textContent()).toBe('10.20.0.2');
  });

  it('schedules a plan change for a later date, shows it pending on the service, and cancels it', async () => {
    await app.t.call('plans.create', { kind: 'Internet', name: 'Fiber 300/50', priceCents: 7900, downloadKbps: 300_000, uploadKbps: 50_000, qosMode: 'PCQ' });
    await app.goto(`/subscriptions/${subscriptionId}/services`);
    const tab = new ServicesTabModel(app.page);
    await tab.row('maria.lopez').waitFor();
    await tab.action('Fiber 100/20', 'Schedule a change');
    const schedule = new ScheduleChangeModel(app.page, 'Fiber 100/20');
    await schedule.schedulePlan(/Fiber 300\/50/);
    await schedule.pendingRows.filter({ hasText: 'Fiber 300/50' }).waitFor();
    await schedule.close();
    await tab.pending('Fiber 300/50').waitFor();
    await app.page.screenshot({ path: screenshotPath('services-tab-pending.png'), fullPage: true });

    await tab.action('Fiber 100/20', 'Schedule a change');
    await schedule.cancel(/^Cancel .*Fiber 300\/50/);
    await expect.poll(() => schedule.pendingRows.count()).toBe(0);
    await schedule.close();
    await expect.poll(() => tab.rows.getByTestId('service-pending').count()).toBe(0);
    const changes = await app.t.call('services.scheduledChanges', { id: (await app.t.call('services.listBySubscription', { subscriptionId })).rows[0]!.id });
    expect(changes.map((c) => c.state)).toEqual(['cancelled']);
  });

  it('geolocates the service and shows where it is on its row', async () => {
    const tab = new ServicesTabModel(app.page);
    await tab.action('Fiber 100/20', 'Geolocate');
    const dialog = app.page.getByRole('dialog', { name: 'Geolocate: Fiber 100/20' });
    await field(dialog, 'Latitude').fill('43.615');
    await field(dialog, 'Longitude').fill('-116.2023');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => tab.row('maria.lopez').getByTestId('service-location').textContent()).toBe('43.61500, -116.20230');
  });

  it('adds a device and a voucher batch, and the Summary counts them', async () => {
    await app.goto(`/subscriptions/${subscriptionId}/devices`);
    const devices = new DevicesTabModel(app.page);
    await devices.add({ type: 'CPE radio', vendor: 'Ubiquiti', model: 'LiteBeam 5AC', mac: 'aa-bb-cc-00-11-22' });
    await devices.row('LiteBeam 5AC').waitFor();
    expect(await devices.row('LiteBeam 5AC').textContent()).toContain('AA:BB:CC:00:11:22');

    const subscription = new SubscriptionPage(app.page);
    await subscription.tab('Hotspot').click();
    const hotspot = new HotspotTabModel(app.page);
    await hotspot.generateVouchers(/RV day pass/, 6);
    await app.page.waitForURL(/#\/vouchers\/.+\/print$/);
    await expect.poll(() => hotspot.sheetCards.count()).toBe(6);
    await app.page.screenshot({ path: screenshotPath('voucher-sheet.png') });
    await app.page.getByRole('button', { name: /Back to Home internet/ }).click();
    await hotspot.rows.first().waitFor();
    expect(await hotspot.rows.count()).toBe(6);
    await app.page.screenshot({ path: screenshotPath('hotspot-tab.png') });

    await subscription.tab('Summary').click();
    await expect.poll(() => app.page.getByTestId('count-services').textContent()).toBe('1');
    await expect.poll(() => app.page.getByTestId('count-devices').textContent()).toBe('1');
    await expect.poll(() => app.page.getByTestId('count-hotspot').textContent()).toBe('6');
  });

  it('shows router secrets only as set or not set', async () => {
    const shell = new Shell(app.page);
    await navLink(app.page, 'Routers').click();
    await shell.pageTitle.filter({ hasText: 'Routers' }).waitFor();
    const row = app.page.getByTestId('router-row').filter({ hasText: 'Hilltop core' });
    await row.waitFor();
    expect(await row.getByTestId('router-api-password').textContent()).toBe('set');
    await app.page.screenshot({ path: screenshotPath('routers.png') });
    expect(await app.page.content()).not.toContain('router-secret');
  });

  it('reported no page errors', () => {
    expect(app.problems).toEqual([]);
  });
});
