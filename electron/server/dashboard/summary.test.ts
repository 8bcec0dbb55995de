import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makePlan, makeService, makeSubscription } from '../../../test/fixtures/factories';
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
      { plan: 'Wireless 25/5', cents: 17550 },
      { plan: 'Static IP', cents: 333 },
    ]);
    expect(r.totalCents).toBe(17883);
  });

  it('folds plans past the eighth into "Other plans" without losing a cent', () => {
    const groups = Array.from({ length: 10 }, (_, i) => ({ plan: `Plan ${i}`, priceCents: 1000 * (10 - i), quantity: '1', payPeriodMonths: 1, discountPercent: null, services: 1 }));
    const r = monthlyRecurring(groups);
    expect(r.byPlan).toHaveLength(8);
    expect(r.byPlan[7]).toEqual({ plan: 'Other plans', cents: 3000 + 2000 + 1000 });
    expect(r.byPlan.reduce((s, p) => s + p.cents, 0)).toBe(r.totalCents);
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
    expect(s.monthlyRecurringCents).toBe(6000);
    expect(s.monthlyRecurringByPlan).toEqual([{ plan: 'Fiber 300', cents: 6000 }]);
    expect(s.overdue).toEqual({ invoices: 1, subscriptions: 1, cents: 6000 });
    expect(s.toIssue).toEqual({ invoices: 1, cents: 2500 });
    expect(s.network).toEqual({ routers: 0, routersOutOfSync: 0, pendingChanges: 0, failedChanges: 0 });
  });
});
