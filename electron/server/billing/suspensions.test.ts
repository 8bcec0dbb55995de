import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makePlan, makeService, makeSubscription } from '../../../test/fixtures/factories';
import type { IsoDate } from '../../../shared/domain/types';
import { ReadAhead } from './read-ahead';
import { startBillingRun } from './run';

/**
 * Billing while suspended, set to pause, end to end through the API. Hand-computed: a monthly
 * $30.00 plan with 10% tax, billed in advance on the 1st; November has 30 days, December 31.
 */
let t: TestBackend;
let clock = new Date('2026-11-01T09:00:00Z');
const at = (day: string, time = '09:00') => {
  clock = new Date(`${day}T${time}:00Z`);
};

beforeEach(async () => {
  at('2026-11-01');
  t = await testBackend({ now: () => clock });
  await t.call('billingSettings.update', { paymentTermsDays: 10, whileSuspended: 'pause' });
});
afterEach(async () => {
  await t.close();
});

async function subscriber() {
  const tax = await t.call('taxClasses.create', { name: 'Sales tax', ratePercent: '10' });
  const plan = await makePlan(t, { name: 'Home 30', priceCents: 3000, taxClassId: tax.id });
  const sub = await makeSubscription(t, { billDay: 1 });
  const service = await makeService(t, { subscriptionId: sub.id, planId: plan.id, startDate: '2026-11-01' });
  return { sub, service };
}

async function runAndClose(date: string) {
  await t.call('billing.run', { date, wait: true });
  await t.call('invoices.closeAllOpen', { date });
}

const suspend = (id: number) => t.call('subscriptions.setStatus', { id, status: 'Suspended', reason: 'Asked for a break' });
const activate = (id: number) => t.call('subscriptions.setStatus', { id, status: 'Active', reason: null });

async function charges(subscriptionId: number) {
  const invoices = await t.call('invoices.listBySubscription', { subscriptionId });
  const all = await Promise.all(invoices.map((i) => t.call('invoices.get', { id: i.id })));
  return all
    .flatMap((i) => i.charges)
    .map((c) => ({ periodStart: c.periodStart, periodLast: c.periodLast, amountCents: c.amountCents, taxCents: c.taxCents }))
    .sort((a, b) => (a.periodStart ?? '').localeCompare(b.periodStart ?? ''));
}

describe('billing paused while suspended', () => {
  it('credits 10 of 30 days ($10.00 + $1.00 tax) when a payment lifts a dunning suspension', async () => {
    await t.call('dunning.updateSettings', { enabled: true, graceDays: 0, minimumOverdueCents: 1000, noCutoffWeekdays: ['Sat', 'Sun'], holidays: [], noticeDays: null, throttleDays: null, throttleRate: null });
    const { sub } = await subscriber();
    await runAndClose('2026-11-01'); // $30.00 + $3.00, due Nov 11
    at('2026-11-12'); // Thursday, a day past due
    const run = await t.call('dunning.run', {});
    expect(run.moves.map((m) => m.to)).toEqual(['suspended']);
    at('2026-11-22', '14:00');
    await t.call('payments.record', { subscriptionId: sub.id, method: 'cash', receivedDate: '2026-11-22', amountCents: 3300 });
    expect((await t.call('subscriptions.get', { id: sub.id })).status).toBe('Active');

    const [memo, ...more] = await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id });
    expect(more).toEqual([]);
    expect(memo).toMatchObject({ issueDate: '2026-11-22', reason: 'Suspended 12–21 Nov: 10 of 30 days', subtotalCents: 1000, taxCents: 100, totalCents: 1100 });
    expect(memo!.lines[0]!.description).toMatch(/: Suspended 12–21 Nov: 10 of 30 days$/);

    const statement = await t.call('statements.get', { subscriptionId: sub.id, from: '2026-11-01', to: '2026-11-30' });
    // $33.00 billed, $33.00 paid, $11.00 given back: $11.00 in the subscriber's favour.
    expect(statement.closingBalanceCents).toBe(-1100);
    expect(statement.rows.map((r) => r.description)).toContain(`Credit memo ${memo!.number}: Suspended 12–21 Nov: 10 of 30 days`);

    // Settling again gives nothing more: a second suspension lifted the same day adds no memo.
    await suspend(sub.id);
    await activate(sub.id);
    expect(await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id })).toHaveLength(1);
  });

  it('bills nothing across a run date while suspended, then the days after reactivation prorated', async () => {
    const { sub } = await subscriber();
    await runAndClose('2026-11-01');
    at('2026-11-21');
    await suspend(sub.id);
    at('2026-12-01');
    const preview = await t.call('billing.preview', { date: '2026-12-01' });
    expect(preview.charges).toBe(0);
    await runAndClose('2026-12-01');
    expect(await charges(sub.id)).toEqual([{ periodStart: '2026-11-01', periodLast: '2026-11-30', amountCents: 3000, taxCents: 300 }]);

    at('2026-12-11');
    await activate(sub.id);
    const [memo] = await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id });
    expect(memo).toMatchObject({ reason: 'Suspended 21–30 Nov: 10 of 30 days', subtotalCents: 1000, taxCents: 100 });

    // Dec 11–31: 21 of 31 days of $30.00 = 2032.26 → $20.32, tax $2.03; preview and run agree.
    const after = await t.call('billing.preview', { date: '2026-12-11' });
    expect(after).toMatchObject({ charges: 1, subtotalCents: '2032', taxCents: '203' });
    await runAndClose('2026-12-11');
    expect((await charges(sub.id)).at(-1)).toEqual({ periodStart: '2026-12-11', periodLast: '2026-12-31', amountCents: 2032, taxCents: 203 });
    at('2027-01-01');
    await runAndClose('2027-01-01');
    expect((await charges(sub.id)).at(-1)).toEqual({ periodStart: '2027-01-01', periodLast: '2027-01-31', amountCents: 3000, taxCents: 300 });
  });

  it('credits the suspended November days when cancelled after two runs it was suspended through', async () => {
    const { sub } = await subscriber();
    await runAndClose('2026-11-01');
    at('2026-11-21');
    await suspend(sub.id);
    at('2026-12-01');
    await runAndClose('2026-12-01');
    at('2027-01-01');
    await runAndClose('2027-01-01');
    at('2027-01-10');
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Cancelled', reason: 'Moved away' });
    expect(await charges(sub.id)).toEqual([{ periodStart: '2026-11-01', periodLast: '2026-11-30', amountCents: 3000, taxCents: 300 }]);
    const memos = await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id });
    expect(memos.map((m) => [m.reason, m.totalCents])).toEqual([['Suspended 21–30 Nov: 10 of 30 days', 1100]]);
    const statement = await t.call('statements.get', { subscriptionId: sub.id, from: '2026-11-01', to: '2027-01-31' });
    expect(statement.closingBalanceCents).toBe(2200);
  });

  it('gives nothing back for a suspension lifted the same day', async () => {
    const { sub } = await subscriber();
    await runAndClose('2026-11-01');
    at('2026-11-15');
    await suspend(sub.id);
    at('2026-11-15', '17:00');
    await activate(sub.id);
    expect(await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id })).toEqual([]);
  });

  it('re-rates a charge still on an open invoice to the days before the suspension, and bills the rest after', async () => {
    const { sub } = await subscriber();
    await t.call('billing.run', { date: '2026-11-01', wait: true });
    at('2026-11-05');
    await suspend(sub.id);
    at('2026-11-15');
    await activate(sub.id);
    // Nov 1–4: 4 of 30 days of $30.00 = $4.00; no credit memo on an open invoice.
    expect(await charges(sub.id)).toEqual([{ periodStart: '2026-11-01', periodLast: '2026-11-04', amountCents: 400, taxCents: 40 }]);
    expect(await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id })).toEqual([]);
    await t.call('billing.run', { date: '2026-11-15', wait: true });
    // Nov 15–30: 16 of 30 days = $16.00; 20 days paid for the 20 served.
    expect((await charges(sub.id)).at(-1)).toEqual({ periodStart: '2026-11-15', periodLast: '2026-11-30', amountCents: 1600, taxCents: 160 });
  });

  it('credits only the days still owed when the service ends after a suspension credit', async () => {
    const { sub, service } = await subscriber();
    await runAndClose('2026-11-01');
    at('2026-11-12');
    await suspend(sub.id);
    at('2026-11-22');
    await activate(sub.id); // Nov 12–21 credited: $10.00
    await t.call('services.update', { id: service.id, endDate: '2026-11-25' });
    // Nov 26–30 not served: 15 of 30 days owed back in all, 10 already credited: $5.00 more.
    const memos = await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id });
    expect(memos.map((m) => m.subtotalCents).sort((a, b) => b - a)).toEqual([1000, 500]);
  });

  it('gives back the unused days of a plan change after a suspension credit, not less', async () => {
    const { sub, service } = await subscriber();
    const faster = await makePlan(t, { name: 'Home 60', priceCents: 6000 });
    await runAndClose('2026-11-01'); // Nov 1–30: $30.00 + $3.00
    at('2026-11-05');
    await suspend(sub.id);
    at('2026-11-15');
    await activate(sub.id); // 5–14 Nov: 10 of 30 days back, $10.00 + $1.00
    at('2026-11-25');
    // 25–30 Nov: 6 of 30 days unused = $6.00 + $0.60, on top of the 10 suspended days already given back.
    const preview = await t.call('services.changePlanPreview', { id: service.id, planId: faster.id });
    expect(preview.credits.map((c) => [c.mode, c.unusedDays, c.amountCents, c.taxCents])).toEqual([['credit-memo', 6, 600, 60]]);
    expect(preview.credits[0]!.explanation).toContain('and 10 suspended days with billing paused: 16 of 30 days × $30.00, less $10.00 already given back = −$6.00');
    await t.call('services.changePlan', { id: service.id, planId: faster.id });
    const memos = await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id });
    expect(memos.map((m) => [m.subtotalCents, m.taxCents]).sort()).toEqual([[1000, 100], [600, 60]].sort());
  });

  it('gives back the suspended days too when the plan changes while still suspended', async () => {
    const { sub, service } = await subscriber();
    const faster = await makePlan(t, { name: 'Home 60', priceCents: 6000 });
    await runAndClose('2026-11-01');
    at('2026-11-21');
    await suspend(sub.id);
    at('2026-11-25');
    // 21–24 Nov suspended (4 days, not yet given back) and 25–30 Nov unused (6 days): 10 of 30 days = $10.00 + $1.00.
    const preview = await t.call('services.changePlanPreview', { id: service.id, planId: faster.id });
    expect(preview.credits.map((c) => [c.unusedDays, c.amountCents, c.taxCents])).toEqual([[6, 1000, 100]]);
    await t.call('services.changePlan', { id: service.id, planId: faster.id });
    at('2026-11-28');
    await activate(sub.id);
    // Reactivation finds nothing more owed on the November line: one memo in all.
    const memos = await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id });
    expect(memos.map((m) => [m.subtotalCents, m.taxCents])).toEqual([[1000, 100]]);
    expect(await charges(sub.id)).toEqual([{ periodStart: '2026-11-01', periodLast: '2026-11-30', amountCents: 3000, taxCents: 300 }]);
  });

  it('keeps billing suspended days under keep, as before', async () => {
    await t.call('billingSettings.update', { whileSuspended: 'keep' });
    const { sub } = await subscriber();
    await runAndClose('2026-11-01');
    at('2026-11-21');
    await suspend(sub.id);
    at('2026-12-01');
    await runAndClose('2026-12-01');
    at('2026-12-11');
    await activate(sub.id);
    expect(await charges(sub.id)).toEqual([
      { periodStart: '2026-11-01', periodLast: '2026-11-30', amountCents: 3000, taxCents: 300 },
      { periodStart: '2026-12-01', periodLast: '2026-12-31', amountCents: 3000, taxCents: 300 },
    ]);
    expect(await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id })).toEqual([]);
    // A suspension begun under keep stays billed when the setting changes later.
    await t.call('billingSettings.update', { whileSuspended: 'pause' });
    at('2026-12-20');
    await suspend(sub.id);
    await t.call('billingSettings.update', { whileSuspended: 'keep' });
    at('2026-12-25');
    await activate(sub.id);
    // Begun under pause: Dec 20–24 given back though the setting is keep again (5 of 31 days: $4.84).
    const memos = await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id });
    expect(memos.map((m) => [m.reason, m.subtotalCents])).toEqual([['Suspended 20–24 Dec: 5 of 31 days', 484]]);
  });

  it('leaves the suspended days out when the run reads ahead in its worker thread, as the preview does', async () => {
    const plan = await makePlan(t, { name: 'Home 30', priceCents: 3000 });
    const subs = [];
    for (let i = 0; i < 6; i++) {
      const sub = await makeSubscription(t, { billDay: 1 });
      await makeService(t, { subscriptionId: sub.id, planId: plan.id, startDate: '2026-11-01' });
      subs.push(sub);
    }
    await runAndClose('2026-11-01');
    at('2026-11-21');
    await suspend(subs[3]!.id);
    at('2026-12-01');
    const preview = await t.call('billing.preview', { date: '2026-12-01' });
    expect(preview).toMatchObject({ subscriptions: 5, charges: 5, subtotalCents: '15000' });
    // One subscription per batch, so the worker reads and rates every batch after the first.
    const readAhead = ReadAhead.start(t.backend.datastore.db)!;
    expect(await readAhead.ready).toBe(true);
    const { finished } = await startBillingRun(t.backend.datastore.db, { asOf: '2026-12-01' as IsoDate, actorName: 'Test', now: () => clock, batchSize: 1, readAhead });
    const run = await finished;
    readAhead.close();
    expect(readAhead.batches).toEqual({ used: 6, readAgain: 0 });
    expect(run).toMatchObject({ status: 'completed', subscriptionsBilled: 5, chargesCreated: 5, amountCents: '15000' });
    expect(await charges(subs[3]!.id)).toEqual([{ periodStart: '2026-11-01', periodLast: '2026-11-30', amountCents: 3000, taxCents: 0 }]);
  });
});
