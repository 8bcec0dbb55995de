import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { catalogPackage, plan, service, subscription } from './billing-fixtures';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend({ now: () => new Date('2026-11-14T10:00:00Z') });
});
afterEach(async () => {
  await t.close();
});

/** $60.00 a month from Oct 1, bill day 1, billed for October and November (in advance). */
async function billedService() {
  const sub = await subscription(t, 1);
  const serviceId = await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Wireless 50/10', priceCents: 6000 }), startDate: '2026-10-01' });
  await t.call('billing.run', { date: '2026-11-01' });
  const [invoice] = await t.call('invoices.listBySubscription', { subscriptionId: sub });
  expect(invoice).toMatchObject({ status: 'open', totalCents: 12000 });
  return { sub, serviceId, invoiceId: invoice!.id };
}

describe('a service that ends inside a period already billed', () => {
  it('re-rates the charge on an open invoice to the days served: ending Nov 15 keeps 15 of 30 days', async () => {
    const { serviceId, invoiceId } = await billedService();
    await t.call('services.update', { id: serviceId, endDate: '2026-11-15' });
    const invoice = await t.call('invoices.get', { id: invoiceId });
    expect(invoice.charges.map((c) => [c.periodStart, c.periodLast, c.amountCents])).toEqual([
      ['2026-10-01', '2026-10-31', 6000],
      ['2026-11-01', '2026-11-15', 3000],
    ]);
    expect(invoice.totalCents).toBe(9000);
    // Nothing past the end is billed again.
    expect((await t.call('billing.run', { date: '2026-12-01' })).chargesCreated).toBe(0);
  });

  it('credits the unused days of a closed invoice once, and more when the end moves earlier', async () => {
    const { sub, serviceId, invoiceId } = await billedService();
    await t.call('invoices.close', { id: invoiceId, date: '2026-11-02' });
    await t.call('services.update', { id: serviceId, endDate: '2026-11-15' });
    let memos = await t.call('creditMemos.listBySubscription', { subscriptionId: sub });
    expect(memos).toHaveLength(1);
    expect(memos[0]!.reason).toBe('Wireless 50/10 ended Nov 15, 2026: unused days credited');
    // 15 unused days of 30 on $60.00.
    expect(memos[0]!.lines.map((l) => l.amountCents)).toEqual([-3000]);
    expect((await t.call('billing.balance', { subscriptionId: sub })).balanceCents).toBe(9000);

    // Saving the same end date again gives nothing more.
    await t.call('services.update', { id: serviceId, endDate: '2026-11-15', description: 'Wireless 50/10' });
    expect(await t.call('creditMemos.listBySubscription', { subscriptionId: sub })).toHaveLength(1);

    // Five more unused days: 20 of 30 owed back in all, 10.00 more.
    await t.call('services.update', { id: serviceId, endDate: '2026-11-10' });
    memos = await t.call('creditMemos.listBySubscription', { subscriptionId: sub });
    expect(memos.map((m) => m.lines.map((l) => l.amountCents))).toEqual([[-1000], [-3000]]);
  });

  it('credits a whole period that the service no longer reaches', async () => {
    const { sub, serviceId, invoiceId } = await billedService();
    await t.call('invoices.close', { id: invoiceId, date: '2026-11-02' });
    await t.call('services.update', { id: serviceId, endDate: '2026-10-31' });
    const [memo] = await t.call('creditMemos.listBySubscription', { subscriptionId: sub });
    expect(memo!.lines.map((l) => l.amountCents)).toEqual([-6000]);
  });

  it('refuses to move the end past days already credited, naming the field and the credit memo', async () => {
    const { serviceId, invoiceId } = await billedService();
    await t.call('invoices.close', { id: invoiceId, date: '2026-11-02' });
    await t.call('services.update', { id: serviceId, endDate: '2026-11-15' });
    for (const endDate of ['2026-11-20', null]) {
      const refusal = await t.fail('services.update', { id: serviceId, endDate });
      expect(refusal.fields).toHaveProperty('endDate');
      expect(refusal.message).toMatch(/credited on CM-\d+/);
    }
  });

  it('lets an end on an open invoice move later again, and the run bills the days back when they start', async () => {
    const { serviceId, invoiceId } = await billedService();
    await t.call('services.update', { id: serviceId, endDate: '2026-11-15' });
    await t.call('services.update', { id: serviceId, endDate: null });
    // Billed in advance: Nov 16 – Nov 30 is due on Nov 16, 15 of 30 days.
    expect((await t.call('billing.run', { date: '2026-11-15' })).chargesCreated).toBe(0);
    const run = await t.call('billing.run', { date: '2026-11-16' });
    expect(run.amountCents).toBe('3000');
    const invoice = await t.call('invoices.get', { id: invoiceId });
    expect(invoice.totalCents).toBe(12000);
  });

  it('settles the services an account package end date pulls in', async () => {
    const sub = await subscription(t, 1);
    const internet = await plan(t, { name: 'Gold 50/10', priceCents: 4500 });
    const gold = await catalogPackage(t, { name: 'Gold', products: [{ name: 'Gold 50/10', planId: internet, ratingMethod: 'recurring', priceCents: 4500, minQuantity: 1 }] });
    const ap = await t.call('accountPackages.provision', { subscriptionId: sub, packageId: gold.packageId, startDate: '2026-11-01' });
    await t.call('billing.run', { date: '2026-11-01' });
    const [invoice] = await t.call('invoices.listBySubscription', { subscriptionId: sub });
    await t.call('invoices.close', { id: invoice!.id, date: '2026-11-02' });
    await t.call('accountPackages.update', { id: ap.id, endDate: '2026-11-20' });
    const [memo] = await t.call('creditMemos.listBySubscription', { subscriptionId: sub });
    // 10 unused days of 30 on $45.00.
    expect(memo!.lines.map((l) => l.amountCents)).toEqual([-1500]);
  });
});
