import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MoveWizardModel, UpgradePathsModel } from './pages/package-moves';
import { Shell } from './pages/shell';
import { field } from './pages/forms';
import { ServicesTabModel } from './pages/subscriber-services';
import { screenshotPath } from './support/app';
import { type BillingDemo, startBillingDemo } from './support/billing-demo';
import { addDays } from '../../electron/server/billing/rules/dates';
import { formatMoney, type Cents } from '../../shared/domain/money';

let demo: BillingDemo;
let bronzeId: number;
let silverId: number;
let subscriptionId: number;
let accountPackageId: number;
let serviceId: number;
let login: string | null;
let ipv4: string | null;
const $ = (c: number) => formatMoney(Math.abs(c) as Cents, { currency: 'USD', minorDigits: 2 });

beforeAll(async () => {
  demo = await startBillingDemo(60);
  const db = demo.app.t.backend.datastore.db;
  const pkgs = await db.selectFrom('packages').select(['id', 'name']).execute();
  bronzeId = pkgs.find((p) => p.name === 'Bronze')!.id;
  silverId = pkgs.find((p) => p.name === 'Silver')!.id;
  // A Bronze subscriber whose Internet service has a login and an address, active and live.
  const s = await db
    .selectFrom('services as s')
    .innerJoin('account_packages as ap', 'ap.id', 's.account_package_id')
    .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .select(['s.id', 's.login', 's.ipv4_address', 'ap.id as ap_id', 'sub.id as sub_id'])
    .where('ap.package_id', '=', bronzeId)
    .where('ap.end_date', 'is', null)
    .where('sub.status', '=', 'Active')
    .where('s.status', '=', 'Active')
    .where('s.rating_method', '=', 'recurring')
    .where('s.login', 'is not', null)
    .where('ap.start_date', '<', demo.today)
    .orderBy('s.id')
    .executeTakeFirstOrThrow();
  ({ id: serviceId, login, ipv4_address: ipv4, ap_id: accountPackageId, sub_id: subscriptionId } = s);
  // The office billed this month and closed the invoices: the move gives back billed days on a credit memo.
  await demo.app.t.call('billing.run', { date: demo.today, wait: true });
  await demo.app.t.call('invoices.closeAllOpen', { date: demo.today });
}, 240_000);
afterAll(async () => {
  await demo?.app.close();
});

describe('Bronze → Silver on the demo catalog', () => {
  it('configures Bronze → Silver and Silver → Bronze upgrade paths on the package screens', async () => {
    const paths = new UpgradePathsModel(demo.app.page);
    await demo.app.goto(`/catalog/packages/${bronzeId}`);
    await paths.add('Silver', '25.00', /Wireless 50/);
    await paths.row('Silver').waitFor();
    await demo.app.page.screenshot({ path: screenshotPath('package-upgrade-paths.png'), fullPage: true });
    await demo.app.goto(`/catalog/packages/${silverId}`);
    await paths.add('Bronze', '0', null);
    await paths.row('Bronze').waitFor();
    expect((await demo.app.t.call('upgradePaths.list', { packageId: bronzeId }))[0]).toMatchObject({ targetPackageName: 'Silver', feeCents: 2500 });
  });

  it('runs the wizard: the preview shows the arithmetic and the net the back end computes; confirming moves the services', async () => {
    const wizard = new MoveWizardModel(demo.app.page);
    await demo.app.goto(`/subscriptions/${subscriptionId}/services`);
    await wizard.open('Bronze');
    await wizard.chooseTarget('Silver');
    expect(await wizard.wizard.getByTestId('move-date').inputValue()).toBe(demo.today);
    await wizard.wizard.getByTestId('move-preview').click();
    await wizard.net.waitFor();
    const expected = await demo.app.t.call('packageMoves.preview', { accountPackageId, targetPackageId: silverId, billStartDate: demo.today, billOneTime: false });
    expect(await wizard.net.textContent()).toBe(`Net ${expected.netCents < 0 ? '−' : ''}${$(expected.netCents)}`);
    expect(await wizard.credits.count()).toBe(expected.credits.length);
    expect(expected.credits.length).toBeGreaterThan(0);
    expect(await wizard.credits.first().textContent()).toContain('days unused');
    expect(await wizard.charges.filter({ hasText: 'Upgrade Fee' }).count()).toBe(1);
    await demo.app.page.screenshot({ path: screenshotPath('move-wizard-preview.png'), fullPage: true });
    await wizard.wizard.getByTestId('move-confirm').click();
    await new Shell(demo.app.page).notification('Package moved').waitFor();

    const moved = await demo.app.t.call('services.get', { id: serviceId });
    expect(moved.login).toBe(login);
    expect(moved.ipv4Address).toBe(ipv4);
    const aps = await demo.app.t.call('accountPackages.listBySubscription', { subscriptionId });
    const silver = aps.find((a) => a.packageName === 'Silver' && a.endDate === null)!;
    expect(moved.accountPackageId).toBe(silver.id);
    expect(aps.find((a) => a.id === accountPackageId)!.endDate).toBe(addDays(demo.today, -1));
    await demo.app.page.getByTestId('account-package-row').filter({ hasText: 'Silver' }).waitFor();
    await demo.app.page.screenshot({ path: screenshotPath('move-services-after.png'), fullPage: true });
  });

  it('shows the credit memo on the Billing tab and the move in the history', async () => {
    const memos = await demo.app.t.call('creditMemos.listBySubscription', { subscriptionId });
    const memo = memos.find((m) => m.reason.startsWith('Moved from Bronze to Silver'))!;
    expect(memo).toBeDefined();
    await demo.app.goto(`/subscriptions/${subscriptionId}/billing`);
    await demo.app.page.locator(`[data-testid="credit-memo-row"][data-number="${memo.number}"]`).waitFor();
    await demo.app.goto(`/subscriptions/${subscriptionId}`);
    const row = demo.app.page.getByTestId('summary-move');
    await row.waitFor();
    expect(await row.textContent()).toContain('Bronze → Silver');
    await demo.app.page.getByTestId('summary-contracts').waitFor();
    await demo.app.page.screenshot({ path: screenshotPath('move-summary-history.png'), fullPage: true });
    expect(demo.app.problems).toEqual([]);
  });

  it('the plan change dialog shows the proration the back end computes before confirming', async () => {
    const db = demo.app.t.backend.datastore.db;
    // Another Bronze subscriber, billed and invoiced this month: a change today gives back billed days.
    const other = await db
      .selectFrom('services as s')
      .innerJoin('account_packages as ap', 'ap.id', 's.account_package_id')
      .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
      .innerJoin('plans as p', 'p.id', 's.plan_id')
      .select(['s.id', 's.description', 'sub.id as sub_id'])
      .where('ap.package_id', '=', bronzeId)
      .where('ap.end_date', 'is', null)
      .where('sub.status', '=', 'Active')
      .where('s.status', '=', 'Active')
      .where('s.rating_method', '=', 'recurring')
      .where('p.kind', '=', 'Internet')
      .where('sub.id', '!=', subscriptionId)
      .where('ap.start_date', '<', demo.today)
      .orderBy('s.id')
      .executeTakeFirstOrThrow();
    // Silver's own Internet plan (monthly), not its quarterly or yearly variants.
    const silverPlan = await db
      .selectFrom('package_products as pp')
      .innerJoin('plans as p', 'p.id', 'pp.plan_id')
      .select(['p.id', 'p.name'])
      .where('pp.package_id', '=', silverId)
      .where('pp.rating_method', '=', 'recurring')
      .orderBy('pp.position')
      .executeTakeFirstOrThrow();
    await demo.app.goto(`/subscriptions/${other.sub_id}/services`);
    await new ServicesTabModel(demo.app.page).action(other.description, 'Change plan now');
    const modal = demo.app.page.getByTestId('change-plan-modal');
    await field(modal, 'New plan').click();
    await demo.app.page.getByRole('option', { name: new RegExp(`^${silverPlan.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · `) }).click();
    const net = modal.getByTestId('plan-change-net');
    await net.waitFor();
    const expected = await demo.app.t.call('services.changePlanPreview', { id: other.id, planId: silverPlan.id });
    expect(await net.textContent()).toBe(expected.netCents < 0 ? `Credit ${$(expected.netCents)}` : `Net ${$(expected.netCents)}`);
    expect(await modal.getByTestId('plan-change-credit').count()).toBe(expected.credits.length);
    expect(await modal.getByTestId('plan-change-charge').count()).toBe(expected.charges.length);
    expect(expected.credits.length + expected.charges.length).toBeGreaterThan(0);
    if (expected.credits.length > 0) expect(await modal.getByTestId('plan-change-credit').first().textContent()).toContain('days unused');
    await demo.app.page.screenshot({ path: screenshotPath('plan-change-preview.png'), fullPage: true });
    await modal.getByRole('button', { name: 'Change plan' }).click();
    await modal.waitFor({ state: 'hidden' });
    expect((await demo.app.t.call('services.get', { id: other.id })).planName).toBe(silverPlan.name);
  });

  it('cancelling a subscription in its contract term shows the fee and records a waiver with its reason', async () => {
    const db = demo.app.t.backend.datastore.db;
    const bound = await db
      .selectFrom('account_packages as ap')
      .innerJoin('subscriptions as sub', 'sub.id', 'ap.subscription_id')
      .select(['sub.id'])
      .where('ap.contract_id', 'is not', null)
      .where('ap.end_date', 'is', null)
      .where('ap.start_date', '>', addDays(demo.today, -300))
      .where('ap.start_date', '<=', demo.today)
      .where('sub.status', '=', 'Active')
      .where('sub.id', '!=', subscriptionId)
      .orderBy('sub.id')
      .executeTakeFirstOrThrow();
    const [contract] = (await demo.app.t.call('contracts.ofSubscription', { subscriptionId: bound.id })).filter((c) => c.feeTodayCents > 0);
    expect(contract).toBeDefined();
    await demo.app.goto(`/subscriptions/${bound.id}`);
    await demo.app.page.getByRole('button', { name: 'Change status' }).click();
    const modal = demo.app.page.getByRole('dialog', { name: 'Change status' });
    await field(modal, 'New status').click();
    await demo.app.page.getByRole('option', { name: 'Cancelled', exact: true }).click();
    const fees = modal.getByTestId('cancel-contract-fees');
    await fees.waitFor();
    expect(await fees.textContent()).toContain($(contract!.feeTodayCents));
    await field(modal, 'Reason').fill('Moving abroad');
    await modal.getByTestId('cancel-waive').check();
    await demo.app.page.screenshot({ path: screenshotPath('cancel-contract-fee.png'), fullPage: true });
    await modal.getByRole('button', { name: 'Change status' }).click();
    // The reason for waiving is required, and asked for where the user looks.
    await modal.getByText('Say why the fee is waived').waitFor();
    await field(modal, 'Reason for waiving').fill('Goodwill');
    await modal.getByRole('button', { name: 'Change status' }).click();
    await modal.waitFor({ state: 'hidden' });
    const after = await demo.app.t.call('contracts.ofSubscription', { subscriptionId: bound.id });
    expect(after.find((c) => c.accountPackageId === contract!.accountPackageId)!.decided).toMatchObject({ waivedReason: 'Goodwill', occasion: 'subscription cancelled' });
    expect(demo.app.problems).toEqual([]);
  });
});
