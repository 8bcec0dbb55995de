import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { plan, service, subscription, taxClass, totals } from './billing-fixtures';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend({ now: () => new Date('2026-11-14T10:00:00Z') });
});
afterEach(async () => {
  await t.close();
});

async function onlyInvoice(subscriptionId: number) {
  const list = await t.call('invoices.listBySubscription', { subscriptionId });
  expect(list).toHaveLength(1);
  return t.call('invoices.get', { id: list[0]!.id });
}

describe('billing run: hand-computed examples', () => {
  it('bills a mid-month start on a monthly plan with bill day 1 for 17 of 30 days: $25.50', async () => {
    const sub = await subscription(t, 1);
    await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Gold 50/10', priceCents: 4500 }), startDate: '2026-11-14' });
    const run = await t.call('billing.run', { date: '2026-11-14' });
    expect(run).toMatchObject({ status: 'completed', chargesCreated: 1, invoicesCreated: 1, amountCents: '2550' });
    const inv = await onlyInvoice(sub);
    expect(inv.charges[0]).toMatchObject({ amountCents: 2550, periodStart: '2026-11-14', periodLast: '2026-11-30', kind: 'recurring' });
    expect(inv.charges[0]!.explanation).toBe('Gold 50/10: 17 of 30 days (Nov 14 – Nov 30) × $45.00 = $25.50');
    expect(inv.totalCents).toBe(2550);
  });

  it('bills a quarterly plan once per quarter, a partial first quarter by its days', async () => {
    const sub = await subscription(t, 1);
    const quarterly = await plan(t, { name: 'Rural quarterly', priceCents: 9000, payPeriodMonths: 3 });
    await service(t, { subscriptionId: sub, planId: quarterly, startDate: '2026-11-14' });
    await t.call('billing.run', { date: '2026-12-01' });
    const inv = await onlyInvoice(sub);
    // Nov 14 – Nov 30 is 17 days of the quarter Sep 1 – Nov 30 (91 days): 9000 × 17 / 91 = 1681.3 → 1681.
    expect(inv.charges.map((c) => [c.periodStart, c.periodLast, c.amountCents])).toEqual([
      ['2026-11-14', '2026-11-30', 1681],
      ['2026-12-01', '2027-02-28', 9000],
    ]);
    await t.call('billing.run', { date: '2027-02-28' });
    expect((await onlyInvoice(sub)).charges).toHaveLength(2);
    await t.call('billing.run', { date: '2027-03-01' });
    expect((await onlyInvoice(sub)).charges.at(-1)).toMatchObject({ periodStart: '2027-03-01', periodLast: '2027-05-31', amountCents: 9000 });
  });

  it('takes a 20% discount valid for half the period off those days only: $60 becomes $54', async () => {
    const sub = await subscription(t, 1);
    const p = await plan(t, { name: 'Silver', priceCents: 6000 });
    await service(t, { subscriptionId: sub, planId: p, startDate: '2026-11-01', discount: { percent: '20', start: '2026-11-01', end: '2026-11-15' } });
    await t.call('billing.run', { date: '2026-11-01' });
    const inv = await onlyInvoice(sub);
    expect(inv.charges[0]!.amountCents).toBe(5400);
    expect(inv.charges[0]!.explanation).toContain('20% discount on 15 days');
  });

  it('taxes each line at its own rate and totals the tax per rate on one invoice', async () => {
    const sub = await subscription(t, 1);
    const sales = await taxClass(t, 'Sales tax', '7.25');
    const telecom = await taxClass(t, 'Telecom', '3.5');
    await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Gold', priceCents: 4500, taxClassId: sales }), startDate: '2026-11-01' });
    await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Static IP', priceCents: 1000, taxClassId: sales }), startDate: '2026-11-01' });
    await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Voice line', priceCents: 2000, taxClassId: telecom }), startDate: '2026-11-01' });
    await t.call('billing.run', { date: '2026-11-01' });
    const inv = await onlyInvoice(sub);
    // 7.25% of 45.00 = 3.2625 → 3.26; of 10.00 = 0.725 → 0.73 (half away from zero); 3.5% of 20.00 = 0.70.
    expect(inv.charges.map((c) => c.taxCents)).toEqual([326, 73, 70]);
    expect(inv.taxes).toEqual([
      { ratePercent: '3.5', taxableCents: 2000, taxCents: 70 },
      { ratePercent: '7.25', taxableCents: 5500, taxCents: 399 },
    ]);
    expect(inv).toMatchObject({ subtotalCents: 7500, taxCents: 469, totalCents: 7969 });
  });

  it('catches up every period missed while the app was closed, and a second run for the same date adds nothing', async () => {
    const sub = await subscription(t, 5);
    await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Bronze', priceCents: 3000 }), startDate: '2026-11-05' });
    await t.call('billing.run', { date: '2026-11-05' });
    const late = await t.call('billing.run', { date: '2027-02-10' });
    expect(late.chargesCreated).toBe(3);
    const before = await totals(t);
    const again = await t.call('billing.run', { date: '2027-02-10' });
    expect(again).toMatchObject({ status: 'completed', chargesCreated: 0, invoicesCreated: 0, amountCents: '0' });
    expect(await totals(t)).toEqual(before);
    expect((await onlyInvoice(sub)).charges.map((c) => c.periodStart)).toEqual(['2026-11-05', '2026-12-05', '2027-01-05', '2027-02-05']);
  });

  it('refuses a second charge for the same service and period in the database itself', async () => {
    const sub = await subscription(t, 1);
    await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Gold', priceCents: 4500 }), startDate: '2026-11-01' });
    await t.call('billing.run', { date: '2026-11-01' });
    const db = t.backend.datastore.db;
    const existing = await db.selectFrom('charges').selectAll().executeTakeFirstOrThrow();
    const { id: _id, ...copy } = existing;
    await expect(db.insertInto('charges').values(copy).execute()).rejects.toThrow(/UNIQUE/);
  });

  it('bills nothing for stopped services or cancelled subscriptions, and a service ending mid-period only to its last day', async () => {
    const p = await plan(t, { name: 'Gold', priceCents: 3000 });
    const stopped = await subscription(t, 1);
    await service(t, { subscriptionId: stopped, planId: p, startDate: '2026-11-01', status: 'Stopped' });
    const cancelled = await subscription(t, 1);
    await service(t, { subscriptionId: cancelled, planId: p, startDate: '2026-11-01' });
    await t.call('subscriptions.setStatus', { id: cancelled, status: 'Cancelled', reason: 'Moved away' });
    const ending = await subscription(t, 1);
    await service(t, { subscriptionId: ending, planId: p, startDate: '2026-11-01', endDate: '2026-11-15' });
    const run = await t.call('billing.run', { date: '2026-11-01' });
    expect(run.chargesCreated).toBe(1);
    expect((await onlyInvoice(ending)).charges[0]).toMatchObject({ periodLast: '2026-11-15', amountCents: 1500 });
  });

  it('previews a run without writing anything, with totals per plan', async () => {
    const sales = await taxClass(t, 'Sales tax', '10');
    const gold = await plan(t, { name: 'Gold', priceCents: 4500, taxClassId: sales });
    const bronze = await plan(t, { name: 'Bronze', priceCents: 2000 });
    for (let i = 0; i < 3; i++) await service(t, { subscriptionId: await subscription(t, 1), planId: gold, startDate: '2026-11-01' });
    await service(t, { subscriptionId: await subscription(t, 1), planId: bronze, startDate: '2026-11-01' });
    const preview = await t.call('billing.preview', { date: '2026-11-01' });
    expect(preview).toMatchObject({ subscriptions: 4, charges: 4, subtotalCents: '15500', taxCents: '1350', totalCents: '16850' });
    expect(preview.byPlan).toEqual([
      { planId: bronze, planName: 'Bronze', charges: 1, subtotalCents: '2000', taxCents: '0', totalCents: '2000' },
      { planId: gold, planName: 'Gold', charges: 3, subtotalCents: '13500', taxCents: '1350', totalCents: '14850' },
    ]);
    expect((await totals(t)).charges).toBe(0);
    const run = await t.call('billing.run', { date: '2026-11-01' });
    expect(run.amountCents).toBe(preview.totalCents);
  });

  it('records progress in the run row, readable over the API while the run works', async () => {
    const p = await plan(t, { name: 'Gold', priceCents: 4500 });
    for (let i = 0; i < 5; i++) await service(t, { subscriptionId: await subscription(t, 1), planId: p, startDate: '2026-11-01' });
    const started = await t.call('billing.run', { date: '2026-11-01', wait: false });
    expect(started.status).toBe('running');
    let run = started;
    for (let i = 0; i < 200 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 5));
      run = await t.call('billing.runs.get', { id: started.id });
    }
    expect(run).toMatchObject({ status: 'completed', total: 5, done: 5, chargesCreated: 5, invoicesCreated: 5 });
    const list = await t.call('billing.runs.list', {});
    expect(list.rows[0]!.id).toBe(started.id);
  });

  it('records how long a run took though its clock stood still, as the demo\'s back-dated runs do', async () => {
    const p = await plan(t, { name: 'Gold', priceCents: 4500 });
    for (let i = 0; i < 5; i++) await service(t, { subscriptionId: await subscription(t, 1), planId: p, startDate: '2026-11-01' });
    const run = await t.call('billing.run', { date: '2026-11-01' });
    expect(run.status).toBe('completed');
    expect(run.finishedAt).toBe(run.startedAt);
    expect(run.durationMs).toBeGreaterThan(0);
    expect((await t.call('billing.runs.list', {})).rows[0]!.durationMs).toBe(run.durationMs);
  });

  it('adds a second run\'s charges to the open invoice rather than opening another', async () => {
    const sub = await subscription(t, 1);
    await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Gold', priceCents: 4500 }), startDate: '2026-11-01' });
    await t.call('billing.run', { date: '2026-11-01' });
    await t.call('billing.run', { date: '2026-12-01' });
    const inv = await onlyInvoice(sub);
    expect(inv).toMatchObject({ subtotalCents: 9000, totalCents: 9000, status: 'open' });
  });

  it('bills nothing before the installation\'s billing start: a straddling period from that day, earlier one-time products not at all', async () => {
    await t.call('billingSettings.update', { billingStartDate: '2026-10-10' });
    const sub = await subscription(t, 1);
    await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Gold', priceCents: 3100 }), startDate: '2025-01-01' });
    await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Installation', priceCents: 9900 }), startDate: '2025-01-01', ratingMethod: 'one-time' });
    await t.call('billing.run', { date: '2026-11-01' });
    const inv = await onlyInvoice(sub);
    // Oct 10 – Oct 31 is 22 of 31 days of $31.00.
    expect(inv.charges.map((c) => [c.periodStart, c.periodLast, c.amountCents])).toEqual([
      ['2026-10-10', '2026-10-31', 2200],
      ['2026-11-01', '2026-11-30', 3100],
    ]);
  });
});
