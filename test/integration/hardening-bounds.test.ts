import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_AMOUNT_CENTS, MAX_QUANTITY } from '../../shared/api/common';
import type { ProcedureName } from '../../shared/api/contract';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { makePlan, makeService, makeSubscription } from '../fixtures/factories';

/**
 * Issue 10, findings 2 to 4: non-numeric percentages, far-off dates and amounts that cannot be
 * totalled each answered 500 or were accepted and broke billing for everyone. Each must now be a
 * 400 naming the field, and rows written before the bounds must not break billing.
 */
let t: TestBackend;
beforeEach(async () => {
  t = await testBackend({ now: () => new Date('2026-11-15T12:00:00Z') });
});
afterEach(async () => {
  await t.close();
});

async function refusedNaming(procedure: ProcedureName, input: unknown, field: string): Promise<string> {
  const envelope = await t.backend.call(procedure, input);
  expect(envelope.ok, `${procedure} ${JSON.stringify(input).slice(0, 120)}`).toBe(false);
  if (envelope.ok) return '';
  expect(envelope.error.code, `${procedure}: ${envelope.error.message}`).toBe('validation');
  expect(Object.keys(envelope.error.fields ?? {}), procedure).toContain(field);
  return envelope.error.fields![field]!;
}

describe('finding 2: non-numeric percent text', () => {
  it('answers 400 naming the field for "", "ten" and "*" on every percent field', async () => {
    const tax = await t.call('taxClasses.create', { name: 'Sales', ratePercent: '7.25' });
    const service = await makeService(t);
    for (const bad of ['', 'ten', '*', '1e2', '-5', '12.', '.5', ' ', '100.0000001', '101']) {
      await refusedNaming('taxClasses.create', { name: 'X', ratePercent: bad }, 'ratePercent');
      await refusedNaming('taxClasses.update', { id: tax.id, ratePercent: bad }, 'ratePercent');
      await refusedNaming('services.create', { subscriptionId: service.subscriptionId, planId: service.planId, startDate: '2026-11-01', discountPercent: bad }, 'discountPercent');
      await refusedNaming('services.update', { id: service.id, discountPercent: bad }, 'discountPercent');
      await refusedNaming('services.addDiscount', { id: service.id, percent: bad, start: '2026-12-01', end: null }, 'percent');
      await refusedNaming('services.scheduleChange', { serviceId: service.id, effectiveDate: '2026-12-01', change: { kind: 'discount', percent: bad, start: '2026-12-01', end: null } }, 'change.percent');
      await refusedNaming('invoices.addCharge', { subscriptionId: service.subscriptionId, description: 'Fee', unitPriceCents: 100, taxRatePercent: bad }, 'taxRatePercent');
    }
    expect((await t.call('taxClasses.update', { id: tax.id, ratePercent: '8.250' })).ratePercent).toBe('8.25');
  });
});

describe('finding 3: far-off dates', () => {
  it('refuses dates outside 1900-01-01..2199-12-31 with 400 naming the field', async () => {
    const service = await makeService(t);
    const sub = await makeSubscription(t);
    const { id: packageId } = await t.call('packages.create', { name: 'Bronze' });
    const ap = await t.call('accountPackages.provision', { subscriptionId: sub.id, packageId, startDate: '2026-11-01' });
    for (const bad of ['9999-12-31', '0000-01-01', '1899-12-31', '2200-01-01']) {
      expect(await refusedNaming('services.update', { id: service.id, endDate: bad }, 'endDate')).toMatch(/1900-01-01 to 2199-12-31/);
      await refusedNaming('services.create', { subscriptionId: service.subscriptionId, planId: service.planId, startDate: '2026-11-01', endDate: bad }, 'endDate');
      await refusedNaming('accountPackages.update', { id: ap.id, endDate: bad }, 'endDate');
      await refusedNaming('billingSettings.update', { billingStartDate: bad }, 'billingStartDate');
      await refusedNaming('billing.preview', { date: bad }, 'date');
      await refusedNaming('billing.run', { date: bad }, 'date');
      await refusedNaming('invoices.closeAllOpen', { date: bad }, 'date');
      await refusedNaming('payments.record', { subscriptionId: sub.id, method: 'cash', receivedDate: bad, amountCents: 100 }, 'receivedDate');
    }
    // The edges themselves are fine.
    expect((await t.call('services.update', { id: service.id, endDate: '2199-12-31' })).endDate).toBe('2199-12-31');
    expect((await t.call('billing.preview', { date: '2199-12-31' })).charges).toBeGreaterThan(0);
  });

  it('keeps billing working for everyone when rows written before the bounds hold 9999-12-31', async () => {
    const service = await makeService(t, { startDate: '2026-10-01' });
    const db = t.backend.datastore.db;
    await db.updateTable('services').set({ end_date: '9999-12-31' }).where('id', '=', service.id).execute();
    const before = await t.call('billing.preview', {});
    expect(before.charges).toBeGreaterThan(0);
    await db.updateTable('billing_settings').set({ billing_start_date: '9999-12-31' }).execute();
    const preview = await t.call('billing.preview', {});
    expect(preview.charges).toBe(0);
    const run = await t.call('billing.run', {});
    expect(run.status).toBe('completed');
    await db.updateTable('billing_settings').set({ billing_start_date: null }).execute();
    expect((await t.call('billing.run', {})).chargesCreated).toBe(before.charges);
  });
});

describe('finding 4: amounts that cannot be totalled', () => {
  it('refuses amounts above 1,000,000,000.00 and sign-breaking ones on every money field, naming it', async () => {
    const service = await makeService(t);
    const plan = await makePlan(t);
    const over = MAX_AMOUNT_CENTS + 1;
    for (const bad of [Number.MAX_SAFE_INTEGER, over, 2 ** 53, 1e300]) {
      expect(await refusedNaming('plans.create', { kind: 'Custom', name: 'Big', priceCents: bad }, 'priceCents')).toMatch(/At most 1,000,000,000.00/);
      await refusedNaming('plans.update', { id: plan.id, priceCents: bad }, 'priceCents');
      await refusedNaming('services.update', { id: service.id, priceCents: bad }, 'priceCents');
      await refusedNaming('hotspotPlans.create', { name: 'Big', validityDays: 1, priceCents: bad }, 'priceCents');
      await refusedNaming('payments.record', { subscriptionId: service.subscriptionId, method: 'cash', receivedDate: '2026-11-01', amountCents: bad }, 'amountCents');
      await refusedNaming('invoices.addCharge', { subscriptionId: service.subscriptionId, description: 'Fee', unitPriceCents: bad }, 'unitPriceCents');
      await refusedNaming('invoices.addCharge', { subscriptionId: service.subscriptionId, description: 'Fee', unitPriceCents: -bad }, 'unitPriceCents');
      await refusedNaming('services.scheduleChange', { serviceId: service.id, effectiveDate: '2026-12-01', change: { kind: 'price', priceCents: bad } }, 'change.priceCents');
    }
    await refusedNaming('plans.create', { kind: 'Custom', name: 'Negative', priceCents: -1 }, 'priceCents');
    // A negative manual charge could leave a closed invoice with a negative total, which broke that
    // subscription's balance and statements (found by the contract property test); credits are credit memos.
    expect(await refusedNaming('invoices.addCharge', { subscriptionId: service.subscriptionId, description: 'Adjustment', unitPriceCents: -500 }, 'unitPriceCents')).toBe('Cannot be negative');
    await refusedNaming('payments.record', { subscriptionId: service.subscriptionId, method: 'cash', receivedDate: '2026-11-01', amountCents: 0 }, 'amountCents');
    await refusedNaming('services.update', { id: service.id, quantity: '1000.0001' }, 'quantity');
    await refusedNaming('invoices.addCharge', { subscriptionId: service.subscriptionId, description: 'Fee', unitPriceCents: 1, quantity: '0' }, 'quantity');
  });

  it('bills, ages and states the largest accepted amounts without an internal error', async () => {
    const plan = await makePlan(t, { priceCents: MAX_AMOUNT_CENTS });
    const service = await makeService(t, { planId: plan.id, startDate: '2026-10-01', quantity: String(MAX_QUANTITY) });
    const preview = await t.call('billing.preview', {});
    expect(BigInt(preview.subtotalCents)).toBeGreaterThan(BigInt(MAX_AMOUNT_CENTS));
    await t.call('billing.run', {});
    await t.call('invoices.closeAllOpen', {});
    await t.call('payments.record', { subscriptionId: service.subscriptionId, method: 'bank_transfer', receivedDate: '2026-11-15', amountCents: MAX_AMOUNT_CENTS });
    await t.call('payments.record', { subscriptionId: service.subscriptionId, method: 'bank_transfer', receivedDate: '2026-11-15', amountCents: MAX_AMOUNT_CENTS });
    const balance = await t.call('billing.balance', { subscriptionId: service.subscriptionId });
    expect(balance.balanceCents).toBe(Number(BigInt(preview.totalCents) - 2n * BigInt(MAX_AMOUNT_CENTS)));
    expect((await t.call('billing.aging', {})).totals.totalCents).toBe(String(balance.balanceCents));
    const statement = await t.call('statements.get', { subscriptionId: service.subscriptionId, from: '2026-01-01', to: '2026-12-31' });
    expect(statement.closingBalanceCents).toBe(balance.balanceCents);
  });
});

describe('totals over many subscriptions', () => {
  it("carries a billing run's amount past 2^53 exactly, equal to its charges, the preview, the home page and aging", async () => {
    // 70 subscriptions at the largest price less a cent, quantity 100, taxed 33.333333%, eleven months
    // caught up: about 1.03 × 10^16 cents, past 2^53, with digits a float would round away.
    const tax = await t.call('taxClasses.create', { name: 'Odd', ratePercent: '33.333333' });
    const plan = await makePlan(t, { priceCents: MAX_AMOUNT_CENTS - 1, taxClassId: tax.id });
    for (let i = 0; i < 70; i++) await makeService(t, { planId: plan.id, startDate: '2026-01-01', quantity: String(MAX_QUANTITY) });
    // And one cent, so the total is odd: above 2^53 a float holds only even numbers.
    await makeService(t, { planId: (await makePlan(t, { priceCents: 1 })).id, startDate: '2026-11-01' });
    const preview = await t.call('billing.preview', {});
    const run = await t.call('billing.run', {});
    const db = t.backend.datastore.db;
    const charged = await sql<{ s: string }>`select cast(sum(amount_cents + tax_cents) as text) as s from charges`.execute(db);
    const expected = charged.rows[0]!.s;
    expect(BigInt(expected)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(BigInt(Number(expected))).not.toBe(BigInt(expected));
    expect(run).toMatchObject({ status: 'completed', subscriptionsBilled: 71, amountCents: expected });
    expect(preview.totalCents).toBe(expected);
    expect((await t.call('billing.runs.list', {})).rows[0]!.amountCents).toBe(expected);
    expect((await t.call('billing.runs.get', { id: run.id })).amountCents).toBe(expected);
    expect((await t.call('dashboard.summary', { asOf: '2026-11-15' })).toIssue).toEqual({ invoices: 71, cents: expected });
    await t.call('invoices.closeAllOpen', {});
    expect((await t.call('billing.aging', { asOf: '2027-06-01' })).totals.totalCents).toBe(expected);
    expect((await t.call('dashboard.summary', { asOf: '2027-06-01' })).overdue).toEqual({ invoices: 71, subscriptions: 71, cents: expected });
  });
});
