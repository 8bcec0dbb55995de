/**
 * The demo ISP's billing: settings with an identity to print, and a few months of history made by
 * the real engine (runs, closed invoices), with payments for most invoices and some left overdue, so
 * balances, the aging report and statements have something to show. Deterministic for a seed and day.
 */
import type { Insertable } from 'kysely';
import { closeAllOpenInvoices } from '../billing/invoices';
import { PAYMENT_SEQUENCE } from '../billing/payments';
import { addDays, addMonths, dateParts, makeDate, type IsoDate } from '../billing/rules/dates';
import { startBillingRun } from '../billing/run';
import { documentNumber } from '../billing/settings';
import type { PaymentAllocationsTable, PaymentsTable } from '../billing/tables';
import type { Db } from '../db/open';
import { nextSequenceValue } from '../db/sequences';
import type { Random } from './random';

/** Bigger datastores are for benchmarks, which bill for themselves. */
export const DEMO_BILLING_HISTORY_LIMIT = 10_000;

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="220" height="48" viewBox="0 0 220 48"><path d="M6 42 L24 8 L42 42 Z" fill="#2f6f4f"/><path d="M18 42 L30 20 L42 42 Z" fill="#4c9a6a"/><text x="52" y="31" font-family="Helvetica, Arial, sans-serif" font-size="20" font-weight="700" fill="#1f3b2d">Pine Hollow</text></svg>`;

export interface DemoBillingSummary {
  runs: number;
  invoices: number;
  payments: number;
}

export async function seedDemoBilling(db: Db, rng: Random, today: Date, subscribers: number): Promise<DemoBillingSummary> {
  const todayDate = today.toISOString().slice(0, 10) as IsoDate;
  const { year, month } = dateParts(todayDate);
  const thisMonth = makeDate(year, month, 1);
  const firstBilled = addMonths(thisMonth, -2);
  await db
    .updateTable('billing_settings')
    .set({
      currency_code: 'USD',
      minor_digits: 2,
      payment_terms_days: 15,
      grace_days: 10,
      isp_name: 'Pine Hollow Wireless',
      isp_street: '118 Ridge Road',
      isp_city: 'Sandpoint',
      isp_region: 'ID',
      isp_postal_code: '83864',
      isp_country: 'United States',
      isp_phone: '+1 (208) 555-0142',
      isp_email: 'billing@pinehollow.net',
      isp_logo: `data:image/svg+xml;base64,${Buffer.from(LOGO_SVG).toString('base64')}`,
      billing_start_date: firstBilled,
      updated_at: today.toISOString(),
    })
    .where('id', '=', 1)
    .execute();

  const services = await db.selectFrom('services').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (subscribers > DEMO_BILLING_HISTORY_LIMIT || Number(services.n) === 0) return { runs: 0, invoices: 0, payments: 0 };

  let invoices = 0;
  let payments = 0;
  const monthStarts = [firstBilled, addMonths(thisMonth, -1), thisMonth];
  for (const runDate of monthStarts) {
    await bill(db, runDate, today);
    invoices += await closeAllOpenInvoices(db, runDate, today);
    payments += await payInvoicesOf(db, rng, runDate, todayDate, today);
  }
  // This month's later bill days stay on open invoices: what the next close will issue.
  if (todayDate > thisMonth) await bill(db, todayDate, today);
  return { runs: monthStarts.length + (todayDate > thisMonth ? 1 : 0), invoices, payments };
}

async function bill(db: Db, asOf: IsoDate, today: Date): Promise<void> {
  const { finished } = await startBillingRun(db, { asOf, actorName: 'Carol Haines', now: () => today });
  await finished;
}

/** Most subscribers pay within three weeks; some pay part, some not at all (the aging report's). */
async function payInvoicesOf(db: Db, rng: Random, issued: IsoDate, todayDate: IsoDate, today: Date): Promise<number> {
  const invoices = await db
    .selectFrom('invoices')
    .select(['id', 'subscription_id', 'total_cents'])
    .where('status', '=', 'closed')
    .where('issue_date', '=', issued)
    .orderBy('id')
    .execute();
  const payments: Insertable<PaymentsTable>[] = [];
  const allocations: { index: number; invoiceId: number; amount: number }[] = [];
  for (const inv of invoices) {
    const roll = rng.next();
    if (roll < 0.1 || inv.total_cents <= 0) continue;
    const received = addDays(issued, rng.int(1, 24));
    if (received > todayDate) continue;
    const partial = roll < 0.15;
    const amount = partial ? Math.max(1, Math.round(inv.total_cents / 2)) : inv.total_cents;
    const method = rng.weighted([['bank_transfer', 45], ['card', 30], ['cheque', 15], ['cash', 10]] as const);
    allocations.push({ index: payments.length, invoiceId: inv.id, amount });
    payments.push({
      subscription_id: inv.subscription_id,
      number: '',
      method,
      received_date: received,
      amount_cents: amount,
      reference: method === 'cheque' ? `Chq ${rng.int(1000, 9999)}` : method === 'bank_transfer' ? `ACH ${rng.int(100000, 999999)}` : null,
      notes: null,
      created_at: today.toISOString(),
      created_by_name: 'Carol Haines',
    });
  }
  if (payments.length === 0) return 0;
  // Numbers from the same counter staff use, reserved as one block.
  const first = await nextSequenceValue(db, PAYMENT_SEQUENCE);
  await db.updateTable('sequences').set({ next_value: first + payments.length }).where('name', '=', PAYMENT_SEQUENCE).execute();
  payments.forEach((p, i) => (p.number = documentNumber('PAY', first + i)));
  const ids: number[] = [];
  for (let i = 0; i < payments.length; i += 500) {
    const made = await db.insertInto('payments').values(payments.slice(i, i + 500)).returning('id').execute();
    ids.push(...made.map((m) => m.id));
  }
  const rows: Insertable<PaymentAllocationsTable>[] = allocations.map((a) => ({ payment_id: ids[a.index]!, invoice_id: a.invoiceId, amount_cents: a.amount, allocated_at: today.toISOString() }));
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('payment_allocations').values(rows.slice(i, i + 500)).execute();
  return payments.length;
}

