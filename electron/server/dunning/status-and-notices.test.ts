import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plan, service, subscription } from '../../../test/integration/billing-fixtures';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { parseCsv } from '../io/csv';

/**
 * What the subscription page and the Dunning tab read: the next step and its day, the notices of a
 * date range as a list, as one printable document and as an export.
 *
 * December 2026: invoices due Friday 11th; notice past 2 days (Monday 14th), suspension past 7
 * days (Saturday 19th, so Monday 21st: weekends allow no cut-off).
 */
let clock = new Date('2026-12-01T09:00:00Z');
const at = (day: string) => {
  clock = new Date(`${day}T09:00:00Z`);
};
let t: TestBackend;

beforeEach(async () => {
  at('2026-12-01');
  t = await testBackend({ now: () => clock });
  await t.call('billingSettings.update', { paymentTermsDays: 10 });
  await t.call('dunning.updateSettings', { enabled: true, graceDays: 7, noticeDays: 2, minimumOverdueCents: 1000, noCutoffWeekdays: ['Sat', 'Sun'] });
});
afterEach(async () => {
  await t.close();
});

async function billed(priceCents = 5000): Promise<number> {
  const id = await subscription(t);
  await service(t, { subscriptionId: id, planId: await plan(t, { name: `Home ${priceCents}`, priceCents }), startDate: '2026-12-01' });
  await t.call('billing.run', { date: '2026-12-01', wait: true });
  const [open] = await t.call('invoices.listBySubscription', { subscriptionId: id });
  await t.call('invoices.close', { id: open!.id, date: '2026-12-01' });
  return id;
}

describe('a subscription\'s next dunning step', () => {
  it('names the notice, then the suspension, each on its first allowed day, and moves past an exemption', async () => {
    const id = await billed();
    at('2026-12-05');
    expect((await t.call('dunning.status', { subscriptionId: id })).next).toEqual({ stage: 'notice', date: '2026-12-14' });
    at('2026-12-14');
    await t.call('dunning.run', {});
    // Today has run: the next chance is a later day.
    expect(await t.call('dunning.status', { subscriptionId: id })).toMatchObject({ stage: 'notice', since: '2026-12-14', next: { stage: 'suspended', date: '2026-12-21' } });
    await t.call('dunning.exempt', { subscriptionId: id, until: '2026-12-22', reason: 'Pays on the 22nd' });
    expect((await t.call('dunning.status', { subscriptionId: id })).next).toEqual({ stage: 'suspended', date: '2026-12-23' });
  });

  it('has none ahead for a subscription suspended by hand, or with nothing overdue', async () => {
    const id = await billed();
    expect((await t.call('dunning.status', { subscriptionId: await subscription(t) })).next).toBeNull();
    await t.call('subscriptions.setStatus', { id, status: 'Suspended', reason: 'Winter pause' });
    expect(await t.call('dunning.status', { subscriptionId: id })).toMatchObject({ suspendedByHand: true, next: null });
  });
});

describe('the notices of a date range', () => {
  it('lists, prints and exports the notices of the range and no other', async () => {
    const first = await billed(5000);
    const second = await billed(7000);
    at('2026-12-14');
    await t.call('dunning.run', {});

    const list = await t.call('dunning.notices', { from: '2026-12-14', to: '2026-12-14' });
    expect(list.total).toBe(2);
    expect(list.rows.map((r) => [r.subscriptionId, r.overdueCents])).toEqual([[first, 5000], [second, 7000]]);
    expect(list.rows[0]).toMatchObject({ date: '2026-12-14', uniqueId: expect.any(String), contactName: expect.any(String), invoiceNumbers: [expect.any(String)] });
    expect((await t.call('dunning.notices', { from: '2026-12-15', to: '2026-12-31' })).total).toBe(0);
    expect((await t.call('dunning.notices', { from: '2026-12-14', to: '2026-12-14', page: 2, pageSize: 1 })).rows.map((r) => r.subscriptionId)).toEqual([second]);

    const doc = await t.call('dunning.noticesHtml', { from: '2026-12-01', to: '2026-12-31' });
    expect(doc.count).toBe(2);
    expect(doc.html.match(/<section class="document">/g)).toHaveLength(2);
    expect(doc.html).toContain('$70.00');
    expect((await t.call('dunning.noticesHtml', { from: '2027-01-01', to: '2027-01-31' })).count).toBe(0);

    const file = await t.call('exports.file', { list: 'dunningNotices', format: 'csv', filter: { from: '2026-12-14', to: '2026-12-14' } });
    expect(file.name).toMatch(/^dunning-notices-.*\.csv$/);
    const rows = [...parseCsv(Buffer.from(file.base64, 'base64').toString('utf8'))].map((r) => r.fields);
    expect(rows[0]!.slice(0, 6)).toEqual(['Date', 'Unique ID', 'Subscription', 'Contact', 'Overdue', 'Invoices']);
    expect(rows.slice(1).filter((r) => r.length > 1).map((r) => [r[0], r[4]])).toEqual([['2026-12-14', '50.00'], ['2026-12-14', '70.00']]);
  });

  it('refuses a range that ends before it starts, naming the field', async () => {
    await expect(t.call('dunning.notices', { from: '2026-12-14', to: '2026-12-01' })).rejects.toMatchObject({ fields: { to: expect.any(String) } });
  });
});
