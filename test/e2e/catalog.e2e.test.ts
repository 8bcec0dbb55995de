import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, field, fieldError } from './pages/forms';
import { ListPage } from './pages/lists';
import { Shell } from './pages/shell';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/** The catalog: tax classes, plans, packages with products and contracts, in the order an ISP sets them up. */
describe('setting up the catalog', () => {
  it('adds a tax class', async () => {
    await app.goto('/subscriptions');
    await new Shell(app.page).nav('Tax classes').click();
    await app.page.getByRole('button', { name: 'New tax class' }).click();
    const modal = app.page.getByRole('dialog');
    await field(modal, 'Name').fill('Idaho sales tax');
    await field(modal, 'Rate').fill('6.0');
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    const list = new ListPage(app.page, 'tax-class-row');
    await list.row('Idaho sales tax').getByText('6%').waitFor();
  });

  it('adds an Internet plan with its speeds, price and tax class', async () => {
    await new Shell(app.page).nav('Plans').click();
    await app.page.getByRole('button', { name: 'New plan' }).click();
    const modal = app.page.getByRole('dialog');
    await field(modal, 'Name').fill('Fiber 100');
    await field(modal, 'Price').fill('49.99');
    await choose(app.page, field(modal, 'Tax class'), '', /Idaho sales tax/);
    await field(modal, 'Download (Mbit/s)').fill('100');
    await field(modal, 'Upload (Mbit/s)').fill('20');
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.waitFor({ state: 'detached' });
    const row = new ListPage(app.page, 'plan-row').row('Fiber 100');
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('$49.99');
    expect(text).toMatch(/100\s*(Mbps|Mbit\/s)?\s*\/\s*20 (Mbps|Mbit\/s)/);
    const saved = (await app.t.call('plans.list', {})).rows[0];
    expect(saved).toMatchObject({ downloadKbps: 100_000, uploadKbps: 20_000, priceCents: 4999 });
    expect(text).toContain('Idaho sales tax');
  });

  it('shows the back end\'s plan rules at the fields they concern', async () => {
    await app.page.getByRole('button', { name: 'New plan' }).click();
    const modal = app.page.getByRole('dialog');
    await field(modal, 'Name').fill('Wireless 10');
    await field(modal, 'Price').fill('29');
    await field(modal, 'Download (Mbit/s)').fill('10');
    await field(modal, 'Upload (Mbit/s)').fill('2');
    await field(modal, 'Burst download (Mbit/s)').fill('5');
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await fieldError(modal, 'Burst download (Mbit/s)').getByText('Burst download must be above the download speed').waitFor();
    await fieldError(modal, 'Burst upload (Mbit/s)').getByText('Burst needs an upload rate').waitFor();
    await field(modal, 'Price').fill('29.999');
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await fieldError(modal, 'Price').getByText(/has 3 decimals/).waitFor();
    await modal.getByRole('button', { name: 'Cancel' }).click();
    expect((await app.t.call('plans.list', {})).total).toBe(1);
  });

  it('builds a package from the plan, with a contract', async () => {
    await new Shell(app.page).nav('Packages').click();
    await app.page.getByRole('button', { name: 'New package' }).click();
    const modal = app.page.getByRole('dialog');
    await field(modal, 'Name').fill('Silver');
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await app.page.waitForURL(/#\/catalog\/packages\/\d+$/);
    await new Shell(app.page).pageTitle.filter({ hasText: 'Silver' }).waitFor();

    await app.page.getByRole('button', { name: 'Add product' }).click();
    // Every product bills as a plan: saving without one says so at the field, with the others'.
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    for (const label of ['Plan', 'Name', 'Price']) await fieldError(modal, label).getByText('Required').waitFor();
    await app.page.screenshot({ path: screenshotPath('package-product-required.png') });
    await choose(app.page, field(modal, 'Plan'), 'Fiber', /Fiber 100/);
    await expect.poll(() => field(modal, 'Price').inputValue()).toBe('49.99');
    await expect.poll(() => field(modal, 'Name').inputValue()).toBe('Fiber 100');
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    const product = app.page.getByTestId('product-row').filter({ hasText: 'Fiber 100' });
    await product.getByText('Recurring').waitFor();

    await app.page.getByRole('button', { name: 'Add contract' }).click();
    await field(modal, 'Name').fill('12-month contract');
    await field(modal, 'Early-cancellation fee').fill('150');
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await app.page.getByTestId('contract-row').filter({ hasText: '12-month contract' }).getByText('$150.00').waitFor();

    const pkg = (await app.t.call('packages.list', {})).rows[0];
    expect(pkg).toMatchObject({ name: 'Silver', productCount: 1, recurringCents: 4999 });
  });

  it('refuses to delete a plan a package uses, and says so in the dialog', async () => {
    await new Shell(app.page).nav('Plans').click();
    await app.page.getByRole('button', { name: 'Actions for Fiber 100' }).click();
    await app.page.getByRole('menuitem', { name: 'Delete' }).click();
    await app.page.getByTestId('confirm-delete-button').click();
    await app.page.getByTestId('delete-refused').getByText(/Fiber 100 is in use by 1 package product/).waitFor();
  });

  it('reported no page errors along the way', () => {
    expect(app.problems).toEqual([]);
  });
});
