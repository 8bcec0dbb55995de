/**
 * Property tests through the real datastore (few runs each: every run is a fresh SQLite file).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../electron/server/billing/rules/dates';
import { testBackend } from '../fixtures/backend';
import { plan, service, subscription, taxClass, totals } from './billing-fixtures';

const base = '2026-06-01' as IsoDate;
const serviceSpec = fc.record({
  price: fc.integer({ min: 0, max: 50_000 }),
  months: fc.constantFrom(1, 3, 6, 12),
  startOffset: fc.integer({ min: 0, max: 200 }),
  length: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
  oneTime: fc.boolean(),
  quantity: fc.constantFrom('1', '2', '0.5', '3.25'),
  discount: fc.option(fc.record({ percent: fc.constantFrom('10', '20', '33.3', '100'), from: fc.integer({ min: 0, max: 200 }), days: fc.integer({ min: 0, max: 120 }) }), { nil: null }),
  rate: fc.constantFrom(null, '7.25', '3.5'),
});
const scenario = fc.record({
  subscriptions: fc.array(fc.record({ billDay: fc.integer({ min: 1, max: 28 }), services: fc.array(serviceSpec, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 4 }),
  runOffsets: fc.array(fc.integer({ min: 0, max: 250 }), { minLength: 1, maxLength: 4 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

async function build(s: Scenario) {
  const t = await testBackend({ now: () => new Date('2027-03-01T00:00:00Z') });
  const rates = { '7.25': await taxClass(t, 'A', '7.25'), '3.5': await taxClass(t, 'B', '3.5') } as const;
  for (const sub of s.subscriptions) {
    const subId = await subscription(t, sub.billDay);
    for (const sv of sub.services) {
      const planId = await plan(t, { name: `P${sv.price}`, priceCents: sv.price, payPeriodMonths: sv.months, taxClassId: sv.rate ? rates[sv.rate] : null });
      const start = addDays(base, sv.startOffset);
      await service(t, {
        subscriptionId: subId,
        planId,
        startDate: start,
        endDate: sv.length === null ? null : addDays(start, sv.length),
        quantity: sv.quantity,
        ratingMethod: sv.oneTime ? 'one-time' : 'recurring',
        discount: sv.discount ? { percent: sv.discount.percent, start: addDays(base, sv.discount.from), end: addDays(base, sv.discount.from + sv.discount.days) } : undefined,
      });
    }
  }
  return t;
}

describe('billing properties through the datastore', () => {
  it('a second billing run for the same date adds nothing, and every invoice total is its lines plus their taxes', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const t = await build(s);
        try {
          for (const offset of [...s.runOffsets].sort((x, y) => x - y)) {
            const date = addDays(base, offset);
            await t.call('billing.run', { date });
            const before = await totals(t);
            const again = await t.call('billing.run', { date });
            expect(again.chargesCreated).toBe(0);
            expect(await totals(t)).toEqual(before);
          }
          const invoices = await t.backend.datastore.db.selectFrom('invoices').select('id').execute();
          for (const { id } of invoices) {
            const inv = await t.call('invoices.get', { id });
            const lines = inv.charges.reduce((sum, c) => sum + c.amountCents, 0);
            const taxes = inv.charges.reduce((sum, c) => sum + c.taxCents, 0);
            expect(inv.subtotalCents).toBe(lines);
            expect(inv.taxCents).toBe(taxes);
            expect(inv.totalCents).toBe(lines + taxes);
            expect(inv.taxes.reduce((sum, r) => sum + r.taxCents, 0)).toBe(taxes);
          }
        } finally {
          await t.close();
        }
      }),
      { numRuns: 12 },
    );
  });

  it('the balance equals the sum of the ledger, whatever is closed, credited, paid and refunded', async () => {
    const actions = fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('pay' as const), amount: fc.integer({ min: 1, max: 30_000 }), day: fc.integer({ min: 0, max: 250 }) }),
        fc.record({ kind: fc.constant('credit' as const), share: fc.integer({ min: 1, max: 100 }) }),
        fc.record({ kind: fc.constant('refund' as const), share: fc.integer({ min: 1, max: 100 }) }),
      ),
      { maxLength: 6 },
    );
    await fc.assert(
      fc.asyncProperty(scenario, actions, async (s, acts) => {
        const t = await build(s);
        try {
          await t.call('billing.run', { date: addDays(base, 250) });
          await t.call('invoices.closeAllOpen', { date: addDays(base, 250) });
          const subs = await t.backend.datastore.db.selectFrom('subscriptions').select('id').execute();
          for (const [i, act] of acts.entries()) {
            const subscriptionId = subs[i % subs.length]!.id;
            if (act.kind === 'pay') {
              await t.call('payments.record', { subscriptionId, method: 'cash', receivedDate: addDays(base, act.day), amountCents: act.amount });
            } else if (act.kind === 'credit') {
              const [inv] = await t.call('invoices.listBySubscription', { subscriptionId });
              const charge = inv && (await t.call('invoices.get', { id: inv.id })).charges.find((c) => c.amountCents + c.creditedCents > 0);
              if (charge) {
                const left = charge.amountCents + charge.creditedCents;
                const amountCents = Math.max(1, Math.floor((left * act.share) / 100));
                await t.call('creditMemos.create', { subscriptionId, reason: 'Test', lines: [{ chargeId: charge.id, amountCents }] });
              }
            } else {
              const [p] = await t.call('payments.listBySubscription', { subscriptionId });
              if (p && p.unallocatedCents > 0) {
                await t.call('payments.refund', { paymentId: p.id, amountCents: Math.max(1, Math.floor((p.unallocatedCents * act.share) / 100)), date: p.receivedDate, method: 'cash', reason: 'Test' });
              }
            }
          }
          for (const { id } of subs) {
            const ledger = await t.call('billing.ledger', { subscriptionId: id });
            const sum = ledger.rows.reduce((s2, r) => s2 + r.debitCents - r.creditCents, 0);
            expect(ledger.balanceCents).toBe(sum);
            expect((await t.call('billing.balance', { subscriptionId: id })).balanceCents).toBe(sum);
            expect(ledger.rows.at(-1)?.balanceCents ?? 0).toBe(sum);
          }
        } finally {
          await t.close();
        }
      }),
      { numRuns: 10 },
    );
  });
});
