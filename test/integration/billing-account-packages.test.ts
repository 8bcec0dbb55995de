import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { catalogPackage, plan, subscription, totals } from './billing-fixtures';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend({ now: () => new Date('2026-11-14T10:00:00Z') });
});
afterEach(async () => {
  await t.close();
});

async function goldPackage() {
  const internet = await plan(t, { name: 'Gold 50/10', priceCents: 4500 });
  const install = await plan(t, { name: 'Installation', priceCents: 10000 });
  const ip = await plan(t, { name: 'Static IP', priceCents: 1000 });
  return catalogPackage(t, {
    name: 'Gold',
    products: [
      { name: 'Gold 50/10', planId: internet, ratingMethod: 'recurring', priceCents: 4500, minQuantity: 1 },
      { name: 'Installation', planId: install, ratingMethod: 'one-time', priceCents: 10000, minQuantity: 1 },
      { name: 'Static IP', planId: ip, ratingMethod: 'recurring', priceCents: 1000, minQuantity: null },
    ],
    contract: { name: '12 months', termMonths: 12 },
  });
}

async function setupPackage() {
  const install = await plan(t, { name: 'Installation', priceCents: 10000 });
  const hours = await plan(t, { name: 'Prepaid hours', priceCents: 500 });
  return catalogPackage(t, {
    name: 'Set-up',
    products: [
      { name: 'Installation', planId: install, ratingMethod: 'one-time', priceCents: 10000, minQuantity: 1 },
      { name: 'Prepaid hours', planId: hours, ratingMethod: 'prepaid-usage', priceCents: 500, minQuantity: 10 },
    ],
  });
}

describe('account packages', () => {
  it('provisions the products with a minimum quantity as services, and adds more on request', async () => {
    const sub = await subscription(t);
    const gold = await goldPackage();
    const ap = await t.call('accountPackages.provision', { subscriptionId: sub, packageId: gold.packageId, contractId: gold.contractId, startDate: '2026-11-14' });
    expect(ap).toMatchObject({ packageName: 'Gold', contractName: '12 months', startDate: '2026-11-14', endDate: null });
    expect(ap.services.map((s) => [s.description, s.ratingMethod, s.quantity, s.unitPriceCents])).toEqual([
      ['Gold 50/10', 'recurring', '1', 4500],
      ['Installation', 'one-time', '1', 10000],
    ]);
    const more = await t.call('accountPackages.addProduct', { id: ap.id, packageProductId: gold.productIds[2]!, quantity: '2' });
    expect(more.services.at(-1)).toMatchObject({ description: 'Static IP', quantity: '2', startDate: '2026-11-14' });
    const run = await t.call('billing.run', { date: '2026-11-14' });
    // 17/30 of 45.00, the installation in full, and 17/30 of 2 × 10.00.
    expect(run.amountCents).toBe(String(2550 + 10000 + 1133));
    expect(await t.call('accountPackages.listBySubscription', { subscriptionId: sub })).toHaveLength(1);
  });

  it('refuses a contract of another package', async () => {
    const sub = await subscription(t);
    const gold = await goldPackage();
    const other = await catalogPackage(t, { name: 'Other', products: [], contract: { name: '24 months', termMonths: 24 } });
    const error = await t.fail('accountPackages.provision', { subscriptionId: sub, packageId: gold.packageId, contractId: other.contractId, startDate: '2026-11-14' });
    expect(error.fields).toEqual({ contractId: 'Belongs to another package' });
  });

  it('pulls in the end dates of its products that end later when an end date is set', async () => {
    const sub = await subscription(t);
    const gold = await goldPackage();
    const ap = await t.call('accountPackages.provision', { subscriptionId: sub, packageId: gold.packageId, startDate: '2026-11-01' });
    const first = ap.services[0]!.id;
    await t.backend.datastore.db.updateTable('services').set({ end_date: '2027-01-31' }).where('id', '=', first).execute();
    const ended = await t.call('accountPackages.update', { id: ap.id, endDate: '2027-03-31' });
    expect(ended.endDate).toBe('2027-03-31');
    expect(ended.services.map((s) => s.endDate)).toEqual(['2027-01-31', '2027-03-31']);
    const earlier = await t.call('accountPackages.update', { id: ap.id, endDate: '2026-12-31' });
    expect(earlier.services.map((s) => s.endDate)).toEqual(['2026-12-31', '2026-12-31']);
  });

  it('moves the start date only when every product is one-time or prepaid, re-rating the open invoice', async () => {
    const sub = await subscription(t);
    const gold = await goldPackage();
    const recurring = await t.call('accountPackages.provision', { subscriptionId: sub, packageId: gold.packageId, startDate: '2026-11-01' });
    expect((await t.fail('accountPackages.update', { id: recurring.id, startDate: '2026-11-05' })).fields).toEqual({ startDate: 'Has recurring products' });

    const setup = await setupPackage();
    const ap = await t.call('accountPackages.provision', { subscriptionId: sub, packageId: setup.packageId, startDate: '2026-11-10' });
    // Half price on installations from Nov 20: the move below lands inside that window.
    const db = t.backend.datastore.db;
    await db.updateTable('services').set({ discount_percent: '50', discount_start: '2026-11-20', discount_end: null }).where('account_package_id', '=', ap.id).execute();
    await t.call('billing.run', { date: '2026-11-14' });
    const before = await t.call('invoices.get', { id: (await t.call('invoices.listBySubscription', { subscriptionId: sub }))[0]!.id });
    const setupLines = () => before.charges.filter((c) => c.accountPackageId === ap.id);
    expect(setupLines().map((c) => [c.description, c.periodStart, c.amountCents])).toEqual([
      ['Installation', '2026-11-10', 10000],
      ['Prepaid hours', '2026-11-10', 5000],
    ]);
    const moved = await t.call('accountPackages.update', { id: ap.id, startDate: '2026-11-21' });
    expect(moved.services.map((s) => s.startDate)).toEqual(['2026-11-21', '2026-11-21']);
    const after = await t.call('invoices.get', { id: before.id });
    expect(after.charges.filter((c) => c.accountPackageId === ap.id).map((c) => [c.description, c.periodStart, c.amountCents])).toEqual([
      ['Installation', '2026-11-21', 5000],
      ['Prepaid hours', '2026-11-21', 2500],
    ]);
    expect(after.subtotalCents).toBe(before.subtotalCents - 7500);
  });

  it('deletes a package without closed charges: its charges leave the open invoice, which goes when left empty', async () => {
    const sub = await subscription(t);
    const gold = await goldPackage();
    const ap = await t.call('accountPackages.provision', { subscriptionId: sub, packageId: gold.packageId, startDate: '2026-11-01' });
    await t.call('billing.run', { date: '2026-11-14' });
    expect(await totals(t)).toMatchObject({ charges: 2, invoices: 1 });
    await t.call('accountPackages.delete', { id: ap.id });
    expect(await totals(t)).toMatchObject({ charges: 0, invoices: 0 });
    expect(await t.call('accountPackages.listBySubscription', { subscriptionId: sub })).toEqual([]);
  });

  it('keeps an invoice that still has other lines when a package is deleted', async () => {
    const sub = await subscription(t);
    const gold = await goldPackage();
    const setup = await setupPackage();
    const keep = await t.call('accountPackages.provision', { subscriptionId: sub, packageId: gold.packageId, startDate: '2026-11-01' });
    const drop = await t.call('accountPackages.provision', { subscriptionId: sub, packageId: setup.packageId, startDate: '2026-11-01' });
    await t.call('billing.run', { date: '2026-11-14' });
    await t.call('accountPackages.delete', { id: drop.id });
    const [inv] = await t.call('invoices.listBySubscription', { subscriptionId: sub });
    expect(inv).toMatchObject({ subtotalCents: 4500 + 10000 });
    expect((await t.call('accountPackages.get', { id: keep.id })).openChargeCount).toBe(2);
  });

  it('refuses to delete a package with a charge on a closed invoice, and changes nothing', async () => {
    const sub = await subscription(t);
    const gold = await goldPackage();
    const ap = await t.call('accountPackages.provision', { subscriptionId: sub, packageId: gold.packageId, startDate: '2026-11-01' });
    await t.call('billing.run', { date: '2026-11-14' });
    const [inv] = await t.call('invoices.listBySubscription', { subscriptionId: sub });
    await t.call('invoices.close', { id: inv!.id });
    const before = await totals(t);
    const error = await t.fail('accountPackages.delete', { id: ap.id });
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/closed invoice/);
    expect(await totals(t)).toEqual(before);
    expect((await t.call('accountPackages.get', { id: ap.id })).closedChargeCount).toBe(2);
  });
});
