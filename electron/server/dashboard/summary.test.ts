import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makePlan, makeService, makeSubscription } from '../../../test/fixtures/factories';
import { MAX_AMOUNT_CENTS, MAX_QUANTITY } from '../../../shared/api/common';
import { Dec } from '../../../shared/domain/money';
import { monthlyRecurring } from './summary';

describe('monthly recurring revenue', () => {
  it('counts a quarterly price a third per month, applies discounts and rounds once per plan', () => {
    const r = monthlyRecurring([
      { plan: 'Wireless 25/5', priceCents: 4500, quantity: '1', payPeriodMonths: 1, discountPercent: null, services: 3 },
      { plan: 'Wireless 25/5', priceCents: 4500, quantity: '1', payPeriodMonths: 1, discountPercent: '10', services: 1 },
      { plan: 'Static IP', priceCents: 1000, quantity: '1', payPeriodMonths: 3, discountPercent: null, services: 1 },
    ]);
    // 3 × 45.00 + 40.50 = 175.50; 10.00 / 3 = 3.333… → 3.33.
    expect(r.byPlan).toEqual([
      { plan: 'Wireless 25/5', cents: '17550' },
      { plan: 'Static IP', cents: '333' },
    ]);
    expect(r.totalCents).toBe('17883');
  });

  it('stays exact for the maximal price and quantity over 100,000 services of one plan, past 2^53', () => {
    // 100,000 × 100 × 1,000,000,000.00 a month, and a third of it for a quarterly plan: a float would round both.
    const r = monthlyRecurring([
      { plan: 'Max', priceCents: MAX_AMOUNT_CENTS, quantity: String(MAX_QUANTITY), payPeriodMonths: 1, discountPercent: null, services: 100_000 },
      { plan: 'Max quarterly', priceCents: MAX_AMOUNT_CENTS - 1, quantity: String(MAX_QUANTITY), payPeriodMonths: 3, discountPercent: '0.000001', services: 99_999 },
    ]);
    const monthly = BigInt(MAX_AMOUNT_CENTS) * BigInt(MAX_QUANTITY) * 100_000n;
    // (99,999,999,999 × 100 × 99,999 / 3) × (1 − 0.00000001), rounded half away from zero once.
    const quarterly = new Dec(MAX_AMOUNT_CENTS - 1).times(MAX_QUANTITY).times(99_999).dividedBy(3).times('99.999999').dividedBy(100).toDecimalPlaces(0, Dec.ROUND_HALF_UP);
    expect(r.byPlan).toEqual([
      { plan: 'Max', cents: monthly.toString() },
      { plan: 'Max quarterly', cents: quarterly.toFixed(0) },
    ]);
    expect(r.totalCents).toBe((monthly + BigInt(quarterly.toFixed(0))).toString());
    // A number could not have carried it: the float nearest differs.
    expect(BigInt(Number(r.totalCents))).not.toBe(BigInt(r.totalCents));
  });

  it('folds plans past the eighth into "Other plans" without losing a cent', () => {
    const groups = Array.from({ length: 10 }, (_, i) => ({ plan: `Plan ${i}`, priceCents: 1000 * (10 - i), quantity: '1', payPeriodMonths: 1, discountPercent: null, services: 1 }));
    const r = monthlyRecurring(groups);
    expect(r.byPlan).toHaveLength(8);
    expect(r.byPlan[7]).toEqual({ plan: 'Other plans', cents: String(3000 + 2000 + 1000) });
    expect(r.byPlan.reduce((s, p) => s + BigInt(p.cents), 0n).toString()).toBe(r.totalCents);
  });
});

describe('dashboard.summary', () => {
  let t: TestBackend;
  beforeEach(async () => {
    t = await testBackend();
  });
  afterEach(async () => {
    await t.close();
  });

  it('counts subscriptions by status, recurring revenue of active ones, overdue and to-issue invoices', async () => {
    const plan = await makePlan(t, { name: 'Fiber 300', priceCents: 6000 });
    const active = await makeSubscription(t);
    await makeService(t, { subscriptionId: active.id, planId: plan.id, startDate: '2026-10-01' });
    const suspended = await makeSubscription(t);
    await makeService(t, { subscriptionId: suspended.id, planId: plan.id, startDate: '2026-10-01' });
    await t.call('subscriptions.setStatus', { id: suspended.id, status: 'Suspended', reason: 'Unpaid' });

    const db = t.backend.datastore.db;
    const now = new Date().toISOString();
    await db
      .insertInto('invoices')
      .values([
        { subscription_id: suspended.id, status: 'closed', number: 'INV-000001', issue_date: '2026-10-01', due_date: '2026-10-15', total_cents: 6000, subtotal_cents: 6000, created_at: now, closed_at: now },
        { subscription_id: active.id, status: 'closed', number: 'INV-000002', issue_date: '2026-11-01', due_date: '2026-11-30', total_cents: 6000, subtotal_cents: 6000, created_at: now, closed_at: now },
        { subscription_id: active.id, status: 'open', total_cents: 2500, subtotal_cents: 2500, created_at: now },
      ])
      .execute();

    const s = await t.call('dashboard.summary', { asOf: '2026-11-20' });
    expect(s.subscriptionsByStatus).toContainEqual({ status: 'Active', count: 1 });
    expect(s.subscriptionsByStatus).toContainEqual({ status: 'Suspended', count: 1 });
    expect(s.monthlyRecurringCents).toBe('6000');
    expect(s.monthlyRecurringByPlan).toEqual([{ plan: 'Fiber 300', cents: '6000' }]);
    expect(s.overdue).toEqual({ invoices: 1, subscriptions: 1, cents: '6000' });
    expect(s.toIssue).toEqual({ invoices: 1, cents: '2500' });
    expect(s.network).toEqual({ routers: 0, routersOutOfSync: 0, pendingChanges: 0, failedChanges: 0 });
  });

  it('totals overdue and draft invoices exactly past 2^53 and 2^63, counting each subscription once', async () => {
    // 1,500 subscriptions, each with three overdue invoices of the largest amount a document holds
    // (2^53 − 1, odd, so a float sum would lose the last digits) and one draft: well past 2^63.
    const db = t.backend.datastore.db;
    const subs = 1_500;
    const first = await makeSubscription(t);
    const template = await db.selectFrom('subscriptions').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    const max = Number.MAX_SAFE_INTEGER;
    const now = new Date().toISOString();
    await db.transaction().execute(async (trx) => {
      for (let i = 1; i < subs; i++) {
        const { id: _id, ...row } = template;
        await trx.insertInto('subscriptions').values({ ...row, unique_id: `MAX-${i}` }).execute();
      }
      const ids = (await trx.selectFrom('subscriptions').select('id').execute()).map((r) => r.id);
      expect(ids).toHaveLength(subs);
      let n = 0;
      for (const id of ids) {
        const invoice = { subscription_id: id, status: 'closed' as const, issue_date: '2026-01-01', due_date: '2026-01-15', total_cents: max, subtotal_cents: max, created_at: now, closed_at: now };
        await trx
          .insertInto('invoices')
          .values([
            { ...invoice, number: `INV-${++n}` },
            { ...invoice, number: `INV-${++n}` },
            { ...invoice, number: `INV-${++n}` },
            { subscription_id: id, status: 'open', total_cents: max - 2, subtotal_cents: max - 2, created_at: now },
          ])
          .execute();
      }
    });
    const s = await t.call('dashboard.summary', { asOf: '2026-11-20' });
    const overdue = BigInt(max) * 3n * BigInt(subs);
    expect(overdue).toBeGreaterThan(2n ** 63n);
    expect(s.overdue).toEqual({ invoices: 3 * subs, subscriptions: subs, cents: overdue.toString() });
    expect(s.toIssue).toEqual({ invoices: subs, cents: (BigInt(max - 2) * BigInt(subs)).toString() });
  });
});
