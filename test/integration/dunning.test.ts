import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDunning } from '../../electron/server/dunning/job';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { plan, service, subscription } from './billing-fixtures';

// December 2026: Friday 11th due, 7 days of grace → past grace on Saturday 19th; Monday 21st is the first cut-off day.
let clock = new Date('2026-12-01T09:00:00Z');
const at = (day: string) => {
  clock = new Date(`${day}T09:00:00Z`);
};
let t: TestBackend;

beforeEach(async () => {
  at('2026-12-01');
  t = await testBackend({ now: () => clock });
  await t.call('billingSettings.update', { paymentTermsDays: 10 });
  await t.call('dunning.updateSettings', { enabled: true, graceDays: 7, minimumOverdueCents: 1000, noCutoffWeekdays: ['Sat', 'Sun'], holidays: ['2026-12-25'] });
});
afterEach(async () => {
  await t.close();
});

/** A subscription with a 50.00 monthly service and its December invoice closed (due Friday 11th). */
async function billedSubscription(): Promise<{ id: number; invoice: { number: string; totalCents: number } }> {
  const id = await subscription(t);
  const internet = await plan(t, { name: 'Home 25/5', priceCents: 5000 });
  await service(t, { subscriptionId: id, planId: internet, startDate: '2026-12-01' });
  await t.call('billing.run', { date: '2026-12-01', wait: true });
  const [open] = await t.call('invoices.listBySubscription', { subscriptionId: id });
  const closed = await t.call('invoices.close', { id: open!.id, date: '2026-12-01' });
  expect(closed.dueDate).toBe('2026-12-11');
  return { id, invoice: { number: closed.number!, totalCents: closed.totalCents } };
}

const history = (id: number) => t.call('subscriptions.history', { id });
const statusOf = async (id: number) => (await t.call('subscriptions.get', { id })).status;
const pay = (subscriptionId: number, amountCents: number, day: string) => t.call('payments.record', { subscriptionId, method: 'cash', receivedDate: day, amountCents });

describe('dunning against the datastore', () => {
  it('suspends an invoice unpaid past grace on the first cut-off day, keeps it through a partial payment, lifts it on payment in full', async () => {
    const { id, invoice } = await billedSubscription();
    expect(invoice.totalCents).toBe(5000);

    at('2026-12-19');
    expect((await t.call('dunning.preview', { date: '2026-12-19' })).moves).toEqual([]);
    expect((await t.call('dunning.run', {})).moves).toEqual([]);
    const monday = await t.call('dunning.preview', { date: '2026-12-21' });
    expect(monday.moves).toEqual([expect.objectContaining({ subscriptionId: id, from: 'none', to: 'suspended', overdueCents: 5000, invoiceNumbers: [invoice.number] })]);
    expect(await statusOf(id)).toBe('Active'); // the preview wrote nothing

    at('2026-12-21');
    const run = await t.call('dunning.run', {});
    expect(run.moves.map((m) => [m.subscriptionId, m.to])).toEqual([[id, 'suspended']]);
    expect(await statusOf(id)).toBe('Suspended');
    const [suspension] = await history(id);
    expect(suspension).toMatchObject({ from: 'Active', to: 'Suspended', by: 'Dunning' });
    expect(suspension!.reason).toContain(invoice.number);
    expect(suspension!.reason).toContain('$50.00');
    expect(await t.call('dunning.status', { subscriptionId: id })).toMatchObject({ stage: 'suspended', since: '2026-12-21', suspendedByHand: false });

    // Running again, or the next day, changes nothing: never suspended twice.
    expect((await t.call('dunning.run', {})).moves).toEqual([]);
    at('2026-12-22');
    expect((await t.call('dunning.run', {})).moves).toEqual([]);
    expect((await history(id)).filter((h) => h.to === 'Suspended')).toHaveLength(1);

    // 30.00 paid leaves 20.00 overdue, above the 10.00 minimum: still suspended, no history entry.
    await pay(id, 3000, '2026-12-22');
    expect(await statusOf(id)).toBe('Suspended');
    expect(await history(id)).toHaveLength(2);

    const last = await pay(id, 2000, '2026-12-22');
    expect(await statusOf(id)).toBe('Active');
    const entries = await history(id);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ from: 'Suspended', to: 'Active' });
    expect(entries[0]!.reason).toContain(last.number);
    expect(await t.call('dunning.status', { subscriptionId: id })).toMatchObject({ stage: 'none', since: null });
    expect((await t.call('dunning.run', {})).moves).toEqual([]);
  });

  it('leaves a subscription suspended by hand suspended after payment, and never records it as dunning', async () => {
    const { id } = await billedSubscription();
    at('2026-12-14');
    await t.call('subscriptions.setStatus', { id, status: 'Suspended', reason: 'Customer asked for a winter pause' });
    at('2026-12-21');
    expect((await t.call('dunning.run', {})).moves).toEqual([]);
    expect(await t.call('dunning.status', { subscriptionId: id })).toMatchObject({ stage: 'none', suspendedByHand: true });
    await pay(id, 5000, '2026-12-21');
    expect(await statusOf(id)).toBe('Suspended');
    expect(await history(id)).toHaveLength(2);
  });

  it('reactivates on a credit memo that brings the overdue amount under the minimum', async () => {
    const { id, invoice } = await billedSubscription();
    at('2026-12-21');
    await t.call('dunning.run', {});
    expect(await statusOf(id)).toBe('Suspended');
    const inv = (await t.call('invoices.listBySubscription', { subscriptionId: id })).find((i) => i.number === invoice.number)!;
    const full = await t.call('invoices.get', { id: inv.id });
    const memo = await t.call('creditMemos.create', { subscriptionId: id, reason: 'Outage credit', lines: [{ chargeId: full.charges[0]!.id, amountCents: 4500 }] });
    expect(await statusOf(id)).toBe('Active');
    expect((await history(id))[0]!.reason).toContain(memo.number);
  });

  it('catches up after days down without suspending for a day a payment had passed', async () => {
    const { id } = await billedSubscription();
    // Paid on Sunday 20th; nobody ran dunning over the weekend. Monday's run must not suspend.
    at('2026-12-20');
    await pay(id, 5000, '2026-12-20');
    at('2026-12-28');
    expect((await t.call('dunning.run', {})).moves).toEqual([]);
    expect(await history(id)).toHaveLength(1);
  });

  it('holds an exempt subscription until its exemption ends, then suspends on the next cut-off day', async () => {
    const { id } = await billedSubscription();
    at('2026-12-18');
    const exemption = await t.call('dunning.exempt', { subscriptionId: id, until: '2026-12-28', reason: 'Promised to pay after the holidays' });
    expect(exemption).toMatchObject({ from: '2026-12-18', until: '2026-12-28' });
    at('2026-12-21');
    expect((await t.call('dunning.run', {})).moves).toEqual([]);
    expect((await t.call('dunning.status', { subscriptionId: id })).exemptions).toHaveLength(1);
    at('2026-12-29');
    expect((await t.call('dunning.run', {})).moves.map((m) => m.to)).toEqual(['suspended']);
  });

  it('records a printable notice before suspension when a notice stage is set', async () => {
    await t.call('billingSettings.update', { ispName: 'Pine Hollow Wireless' });
    await t.call('dunning.updateSettings', { noticeDays: 2 });
    const { id, invoice } = await billedSubscription();
    at('2026-12-14');
    expect((await t.call('dunning.run', {})).moves.map((m) => [m.from, m.to])).toEqual([['none', 'notice']]);
    const { notices } = await t.call('dunning.status', { subscriptionId: id });
    expect(notices).toMatchObject([{ date: '2026-12-14', overdueCents: 5000, invoiceNumbers: [invoice.number] }]);
    const { html } = await t.call('dunning.noticeHtml', { id: notices[0]!.id });
    expect(html).toContain('Payment reminder');
    expect(html).toContain('Pine Hollow Wireless');
    expect(html).toContain(invoice.number);
    expect(html).toContain('$50.00');
    expect(await statusOf(id)).toBe('Active');
  });

  it('refuses stages out of order and a throttle without its rate, naming the field', async () => {
    expect((await t.fail('dunning.updateSettings', { noticeDays: 7 })).fields).toHaveProperty('noticeDays');
    expect((await t.fail('dunning.updateSettings', { throttleDays: 3 })).fields).toHaveProperty('throttleRate');
    expect((await t.fail('dunning.updateSettings', { throttleDays: 3, throttleRate: 'fast' })).fields).toHaveProperty('throttleRate');
    expect((await t.fail('dunning.updateSettings', { holidays: ['2026-02-30'] })).fields).toHaveProperty('holidays.0');
    // Grace days are the billing settings' grace days: one value.
    await t.call('dunning.updateSettings', { graceDays: 5 });
    expect((await t.call('billingSettings.get', {})).graceDays).toBe(5);
  });

  it('the daily job runs once a day when on, catching up from its last run', async () => {
    const { id } = await billedSubscription();
    at('2026-12-21');
    const lines: string[] = [];
    const job = startDunning(t.backend, { now: () => clock, intervalMs: 10, log: (l) => lines.push(l) });
    await expect.poll(() => statusOf(id)).toBe('Suspended');
    await new Promise((r) => setTimeout(r, 50));
    await job.stop();
    expect(lines.filter((l) => l.includes('ran for'))).toEqual(['dunning: ran for 2026-12-21: 1 subscription moved']);
    expect((await t.call('dunning.settings', {})).lastRunDate).toBe('2026-12-21');
  });
});
