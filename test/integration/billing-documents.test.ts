import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { plan, service, subscription, taxClass } from './billing-fixtures';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend({ now: () => new Date('2026-12-20T10:00:00Z') });
});
afterEach(async () => {
  await t.close();
});

/** A subscription billed for November and December ($45 + 10% tax a month), both invoices closed. */
async function billedSubscription() {
  const sub = await subscription(t, 1);
  const tax = await taxClass(t, `Tax ${sub}`, '10');
  await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Gold', priceCents: 4500, taxClassId: tax }), startDate: '2026-11-01' });
  await t.call('billing.run', { date: '2026-11-01' });
  const [nov] = await t.call('invoices.listBySubscription', { subscriptionId: sub });
  const closedNov = await t.call('invoices.close', { id: nov!.id, date: '2026-11-01' });
  await t.call('billing.run', { date: '2026-12-01' });
  const [dec] = await t.call('invoices.listBySubscription', { subscriptionId: sub });
  const closedDec = await t.call('invoices.close', { id: dec!.id, date: '2026-12-01' });
  return { sub, nov: closedNov, dec: closedDec };
}

describe('invoices', () => {
  it('numbers closed invoices from an unbroken sequence and sets the due date from the payment terms', async () => {
    await t.call('billingSettings.update', { paymentTermsDays: 20 });
    const { nov, dec } = await billedSubscription();
    expect(nov).toMatchObject({ status: 'closed', number: 'INV-000001', issueDate: '2026-11-01', dueDate: '2026-11-21', totalCents: 4950 });
    expect(dec).toMatchObject({ number: 'INV-000002', dueDate: '2026-12-21' });
  });

  it('refuses any change to a closed invoice, through the API and in the database itself', async () => {
    const { nov } = await billedSubscription();
    const chargeId = nov.charges[0]!.id;
    expect((await t.fail('invoices.removeCharge', { chargeId })).code).toBe('refused');
    expect((await t.fail('invoices.addCharge', { subscriptionId: nov.subscriptionId, invoiceId: nov.id, description: 'Late fee', unitPriceCents: 500 })).code).toBe('refused');
    expect((await t.fail('invoices.close', { id: nov.id })).code).toBe('refused');
    const db = t.backend.datastore.db;
    await expect(db.updateTable('charges').set({ amount_cents: 1 }).where('id', '=', chargeId).execute()).rejects.toThrow(/closed invoice/);
    await expect(db.updateTable('invoices').set({ total_cents: 1 }).where('id', '=', nov.id).execute()).rejects.toThrow(/closed invoice/);
    await expect(db.deleteFrom('charges').where('id', '=', chargeId).execute()).rejects.toThrow(/closed invoice/);
    expect((await t.call('invoices.get', { id: nov.id })).totalCents).toBe(4950);
  });

  it('adds, re-rates and removes charges while an invoice is open', async () => {
    const sub = await subscription(t, 1);
    const svc = await service(t, { subscriptionId: sub, planId: await plan(t, { name: 'Gold', priceCents: 4500 }), startDate: '2026-11-01' });
    await t.call('billing.run', { date: '2026-11-01' });
    const withFee = await t.call('invoices.addCharge', { subscriptionId: sub, description: 'Router', unitPriceCents: 2500, quantity: '2', taxRatePercent: '10' });
    expect(withFee).toMatchObject({ status: 'open', subtotalCents: 9500, taxCents: 500, totalCents: 10000 });
    await t.backend.datastore.db.updateTable('services').set({ price_cents: 5000 }).where('id', '=', svc).execute();
    const rerated = await t.call('invoices.rerate', { id: withFee.id });
    expect(rerated.subtotalCents).toBe(10000);
    const fee = rerated.charges.find((c) => c.kind === 'manual')!;
    const without = await t.call('invoices.removeCharge', { chargeId: fee.id });
    expect(without).toMatchObject({ subtotalCents: 5000, taxCents: 0, totalCents: 5000 });
  });

  it('refuses to close an invoice without charges', async () => {
    const sub = await subscription(t, 1);
    const inv = await t.call('invoices.addCharge', { subscriptionId: sub, description: 'Fee', unitPriceCents: 100 });
    await t.call('invoices.removeCharge', { chargeId: inv.charges[0]!.id });
    expect((await t.fail('invoices.close', { id: inv.id })).code).toBe('refused');
  });

  it('renders an invoice as HTML with the ISP identity, the subscriber address and escaped text', async () => {
    await t.call('billingSettings.update', { ispName: 'Ridge & Valley <Wireless>', ispStreet: '1 Tower Rd', ispCity: 'Salmon', ispRegion: 'ID' });
    const { nov } = await billedSubscription();
    const { html } = await t.call('invoices.html', { id: nov.id });
    expect(html).toContain('Ridge &amp; Valley &lt;Wireless&gt;');
    expect(html).not.toContain('<Wireless>');
    expect(html).toContain('Invoice INV-000001');
    expect(html).toContain('$49.50');
    expect(html).toContain('counter(page)');
  });
});

describe('credit memos', () => {
  it('reverses a charge in full so that the charge and its credit net to zero', async () => {
    const { sub, nov } = await billedSubscription();
    const charge = nov.charges[0]!;
    const memo = await t.call('creditMemos.create', { subscriptionId: sub, reason: 'Outage all month', lines: [{ chargeId: charge.id }] });
    expect(memo).toMatchObject({ number: 'CM-000001', subtotalCents: 4500, taxCents: 450, totalCents: 4950 });
    expect(memo.lines[0]).toMatchObject({ chargeId: charge.id, invoiceNumber: 'INV-000001', amountCents: -4500, taxCents: -450 });
    const inv = await t.call('invoices.get', { id: nov.id });
    expect(inv.charges[0]!.creditedCents).toBe(-4500);
    expect(inv).toMatchObject({ creditedCents: 4950, openBalanceCents: 0 });
    const again = await t.fail('creditMemos.create', { subscriptionId: sub, reason: 'Twice', lines: [{ chargeId: charge.id }] });
    expect(again.fields).toHaveProperty('lines.0.chargeId');
  });

  it('credits part of a charge, never more than is left uncredited', async () => {
    const { sub, nov } = await billedSubscription();
    const chargeId = nov.charges[0]!.id;
    const part = await t.call('creditMemos.create', { subscriptionId: sub, reason: 'Three days down', lines: [{ chargeId, amountCents: 435 }] });
    expect(part).toMatchObject({ subtotalCents: 435, taxCents: 44, totalCents: 479, number: 'CM-000001' });
    const tooMuch = await t.fail('creditMemos.create', { subscriptionId: sub, reason: 'More', lines: [{ chargeId, amountCents: 4066 }] });
    expect(tooMuch.fields).toHaveProperty('lines.0.amountCents');
    const rest = await t.call('creditMemos.create', { subscriptionId: sub, reason: 'The rest', lines: [{ chargeId }] });
    expect(rest).toMatchObject({ subtotalCents: 4065, taxCents: 406, number: 'CM-000002' });
    expect((await t.call('invoices.get', { id: nov.id })).openBalanceCents).toBe(0);
  });

  it('refuses to credit a charge on an open invoice', async () => {
    const sub = await subscription(t, 1);
    const inv = await t.call('invoices.addCharge', { subscriptionId: sub, description: 'Fee', unitPriceCents: 100 });
    const error = await t.fail('creditMemos.create', { subscriptionId: sub, reason: 'x', lines: [{ chargeId: inv.charges[0]!.id }] });
    expect(error.fields).toEqual({ 'lines.0.chargeId': 'On an open invoice' });
  });
});

describe('payments, ledger, aging and statements', () => {
  it('allocates a payment oldest-due first and keeps the overpayment as account credit', async () => {
    const { sub, nov, dec } = await billedSubscription();
    const pay = await t.call('payments.record', { subscriptionId: sub, method: 'cheque', receivedDate: '2026-12-10', amountCents: 12000, reference: 'Chq 1042' });
    expect(pay.number).toBe('PAY-000001');
    expect(pay.allocations).toEqual([
      { invoiceId: nov.id, invoiceNumber: 'INV-000001', amountCents: 4950 },
      { invoiceId: dec.id, invoiceNumber: 'INV-000002', amountCents: 4950 },
    ]);
    expect(pay.unallocatedCents).toBe(2100);
    const balance = await t.call('billing.balance', { subscriptionId: sub });
    expect(balance).toMatchObject({ balanceCents: -2100, unallocatedCents: 2100, overdueCents: 0 });
  });

  it('follows the allocations staff choose, and refuses ones that do not fit', async () => {
    const { sub, dec } = await billedSubscription();
    const pay = await t.call('payments.record', { subscriptionId: sub, method: 'cash', receivedDate: '2026-12-10', amountCents: 3000, allocations: [{ invoiceId: dec.id, amountCents: 3000 }] });
    expect(pay.allocations).toEqual([{ invoiceId: dec.id, invoiceNumber: 'INV-000002', amountCents: 3000 }]);
    const error = await t.fail('payments.record', { subscriptionId: sub, method: 'cash', receivedDate: '2026-12-10', amountCents: 3000, allocations: [{ invoiceId: dec.id, amountCents: 3000 }] });
    expect(error.fields).toHaveProperty('allocations.0.amountCents');
  });

  it('records refunds only from unallocated credit', async () => {
    const { sub } = await billedSubscription();
    const pay = await t.call('payments.record', { subscriptionId: sub, method: 'bank_transfer', receivedDate: '2026-12-10', amountCents: 10000 });
    expect(pay.unallocatedCents).toBe(100);
    const refused = await t.fail('payments.refund', { paymentId: pay.id, amountCents: 101, date: '2026-12-11', method: 'cash', reason: 'Overpaid' });
    expect(refused.fields).toHaveProperty('amountCents');
    await t.call('payments.refund', { paymentId: pay.id, amountCents: 100, date: '2026-12-11', method: 'cash', reason: 'Overpaid' });
    expect(await t.call('payments.get', { id: pay.id })).toMatchObject({ unallocatedCents: 0, refundedCents: 100 });
    expect((await t.call('billing.balance', { subscriptionId: sub })).balanceCents).toBe(0);
  });

  it('keeps a ledger whose running balance ends at the balance', async () => {
    const { sub, nov } = await billedSubscription();
    await t.call('creditMemos.create', { subscriptionId: sub, reason: 'Goodwill', date: '2026-11-20', lines: [{ chargeId: nov.charges[0]!.id, amountCents: 1000 }] });
    await t.call('payments.record', { subscriptionId: sub, method: 'card', receivedDate: '2026-11-25', amountCents: 2000 });
    const ledger = await t.call('billing.ledger', { subscriptionId: sub });
    expect(ledger.rows.map((r) => [r.kind, r.date, r.debitCents, r.creditCents, r.balanceCents])).toEqual([
      ['invoice', '2026-11-01', 4950, 0, 4950],
      ['credit_memo', '2026-11-20', 0, 1100, 3850],
      ['payment', '2026-11-25', 0, 2000, 1850],
      ['invoice', '2026-12-01', 4950, 0, 6800],
    ]);
    expect(ledger.balanceCents).toBe(6800);
    expect((await t.call('billing.balance', { subscriptionId: sub })).balanceCents).toBe(6800);
  });

  it('states a period: opening balance, its documents, closing balance', async () => {
    const { sub } = await billedSubscription();
    await t.call('payments.record', { subscriptionId: sub, method: 'cash', receivedDate: '2026-12-05', amountCents: 4950 });
    const st = await t.call('statements.get', { subscriptionId: sub, from: '2026-12-01', to: '2026-12-31' });
    expect(st.openingBalanceCents).toBe(4950);
    expect(st.rows.map((r) => r.kind)).toEqual(['invoice', 'payment']);
    expect(st.closingBalanceCents).toBe(4950);
    const { html } = await t.call('statements.html', { subscriptionId: sub, from: '2026-12-01', to: '2026-12-31' });
    expect(html).toContain('Opening balance');
    expect(html).toContain('$49.50');
    const batch = await t.call('statements.batchHtml', { from: '2026-12-01', to: '2026-12-31' });
    expect(batch.count).toBe(1);
  });

  it('ages open balances by days past due, largest debt first', async () => {
    await t.call('billingSettings.update', { paymentTermsDays: 10 });
    const a = await billedSubscription(); // due Nov 11 and Dec 11
    const b = await billedSubscription();
    await t.call('payments.record', { subscriptionId: b.sub, method: 'cash', receivedDate: '2026-12-01', amountCents: 4950 });
    const report = await t.call('billing.aging', { asOf: '2026-12-20' });
    expect(report.rows.map((r) => r.subscriptionId)).toEqual([a.sub, b.sub]);
    // As of Dec 20, November's invoice is 39 days past due and December's 9.
    expect(report.rows[0]).toMatchObject({ currentCents: 0, days1to30Cents: 4950, days31to60Cents: 4950, totalCents: 9900 });
    expect(report.rows[1]).toMatchObject({ days1to30Cents: 4950, days31to60Cents: 0, totalCents: 4950 });
    expect(report.totals).toMatchObject({ days1to30Cents: '9900', days31to60Cents: '4950', totalCents: '14850' });
    const later = await t.call('billing.aging', { asOf: '2027-01-15' });
    expect(later.rows[0]).toMatchObject({ days61to90Cents: 4950, days31to60Cents: 4950 });
    const early = await t.call('billing.aging', { asOf: '2026-12-05' });
    expect(early.rows[0]).toMatchObject({ currentCents: 4950, days1to30Cents: 4950, totalCents: 9900 });
  });
});

describe('billing settings', () => {
  it('keeps the ISP identity and terms, and refuses a currency change once amounts exist', async () => {
    const logo = 'data:image/png;base64,iVBORw0KGgo=';
    const s = await t.call('billingSettings.update', { currencyCode: 'cad', minorDigits: 2, ispName: 'North Ridge Net', ispLogo: logo, paymentTermsDays: 30 });
    expect(s).toMatchObject({ currencyCode: 'CAD', ispName: 'North Ridge Net', ispLogo: logo, paymentTermsDays: 30 });
    expect((await t.fail('billingSettings.update', { ispLogo: 'javascript:alert(1)' })).fields).toHaveProperty('ispLogo');
    expect((await t.fail('billingSettings.update', { minorDigits: 7 })).fields).toHaveProperty('minorDigits');
    await billedSubscription();
    const error = await t.fail('billingSettings.update', { currencyCode: 'USD' });
    expect(error.fields).toHaveProperty('currencyCode');
    expect((await t.call('billingSettings.get', {})).currencyCode).toBe('CAD');
  });
});
