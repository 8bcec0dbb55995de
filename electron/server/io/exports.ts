import { sql } from 'kysely';
import type { z } from 'zod';
import { contract } from '../../../shared/api/contract';
import type { EXPORT_LISTS, exportFilter } from '../../../shared/api/io';
import type { IsoDate } from '../../../shared/domain/types';
import type { Db } from '../db/open';
import { agingReport } from '../billing/ledger';
import { invoiceSummaryQuery, toInvoiceSummary } from '../billing/invoices';
import { dayOf, moneyFormat } from '../billing/settings';
import { subscriptionIdsInListOrder } from '../subscribers/subscriptions';
import { jsonIdTable } from '../db/json-rows';
import { type OutColumn, type OutValue, writeCsv } from './writer';
import { writeXlsxOffThread } from './io-thread';

/**
 * Every list as a file: the same rows the screen pages through, in the same order and with the
 * same filters, read in batches so 100,000 rows stream out without being held at once.
 */

export type ExportList = (typeof EXPORT_LISTS)[number];
type Filter = z.output<typeof exportFilter>;

const BATCH = 1000;
const t = (header: string): OutColumn => ({ header, type: 'text' });
const d = (header: string): OutColumn => ({ header, type: 'date' });
const m = (header: string): OutColumn => ({ header, type: 'money' });
const n = (header: string): OutColumn => ({ header, type: 'integer' });

export const SUBSCRIPTION_COLUMNS: OutColumn[] = [
  t('Unique ID'), t('Name'), t('Status'), t('Contact'), t('First name'), t('Last name'), t('Email'), t('Phone'), t('Organization'),
  t('Street'), t('City'), t('Region'), t('Postal code'), t('Country'), t('Engineer'), n('Bill day'), t('Description'), d('Created'),
  t('Plan'), t('Login'), t('IPv4 address'), t('MAC addresses'), t('Router'), d('Start date'), d('End date'), m('Own price'), t('Service status'),
];

async function* subscriptionRows(db: Db, filter: Filter): AsyncGenerator<OutValue[]> {
  const { page: _page, pageSize: _size, ...input } = contract['subscriptions.list'].input.parse({
    query: filter.query,
    status: filter.status,
    engineerId: filter.engineerId,
    sortBy: filter.sortBy,
    sortDirection: filter.sortDirection,
    page: 1,
    pageSize: 1,
  });
  // Every id in the list's order at once (100,000 ids are under a megabyte), then their rows in
  // batches: no OFFSET walking past what was already written, no count per page.
  const allIds = await subscriptionIdsInListOrder(db, input);
  for (let start = 0; start < allIds.length; start += BATCH) {
    // One statement per batch: each subscription with its contact, names and services, in the
    // list's order (the ids' positions), its services by id; one without services has one row.
    const rows = await db
      .selectFrom(jsonIdTable(allIds.slice(start, start + BATCH)).as('j'))
      .innerJoin('subscriptions as s', 's.id', 'j.value')
      .innerJoin('contacts as c', 'c.id', 's.contact_id')
      .innerJoin('staff as e', 'e.id', 's.engineer_id')
      .leftJoin('organizations as o', 'o.id', 's.organization_id')
      .leftJoin('services as v', (join) => join.onRef('v.subscription_id', '=', 's.id').on('v.status', '<>', 'Archived'))
      .leftJoin('plans as p', 'p.id', 'v.plan_id')
      .leftJoin('routers as r', 'r.id', 'v.router_id')
      .select([
        's.unique_id', 's.name', 's.status', 'c.first_name', 'c.last_name', 'c.emails', 'c.phones', 'o.name as organization', 'c.street', 'c.city', 'c.region',
        'c.postal_code', 'c.country', 'e.name as engineer', 's.bill_day', 's.description', 's.created_at', 'p.name as plan', 'v.login', 'v.ipv4_address',
        'v.mac_addresses', 'r.name as router', 'v.start_date', 'v.end_date', 'v.price_cents', 'v.status as service_status',
      ])
      .orderBy('j.key')
      .orderBy('v.id')
      .execute();
    for (const r of rows) {
      yield [
        r.unique_id, r.name, r.status, `${r.first_name} ${r.last_name}`, r.first_name, r.last_name, firstOf(r.emails), firstOf(r.phones), r.organization,
        r.street, r.city, r.region, r.postal_code, r.country, r.engineer, r.bill_day, r.description, r.created_at.slice(0, 10),
        r.plan, r.login, r.ipv4_address, r.mac_addresses?.split(',').join(', ') ?? null, r.router, r.start_date, r.end_date, r.price_cents, r.service_status,
      ];
    }
  }
}

/** The first of a JSON list of e-mails or phones, as the list shows it. */
function firstOf(json: string): string | null {
  return json === '[]' ? null : ((JSON.parse(json) as string[])[0] ?? null);
}

/** Walks a table by id in batches (keyset), so each batch costs the same however far in. */
async function* byId<T extends { id: number }>(fetch: (after: number) => Promise<T[]>, toRow: (r: T) => OutValue[]): AsyncGenerator<OutValue[]> {
  for (let after = 0; ; ) {
    const rows = await fetch(after);
    for (const r of rows) yield toRow(r);
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

const SERVICE_COLUMNS = [t('Unique ID'), t('Description'), t('Plan'), t('Service status'), t('Login'), t('IPv4 address'), t('MAC addresses'), t('Router'), d('Start date'), d('End date'), m('Own price'), m('Price')];
function serviceRows(db: Db, filter: Filter) {
  return byId(
    (after) => {
      let q = db
        .selectFrom('services as v')
        .innerJoin('subscriptions as s', 's.id', 'v.subscription_id')
        .innerJoin('plans as p', 'p.id', 'v.plan_id')
        .leftJoin('routers as r', 'r.id', 'v.router_id')
        .select(['v.id', 's.unique_id', 'v.description', 'p.name as plan', 'v.status', 'v.login', 'v.ipv4_address', 'v.mac_addresses', 'r.name as router', 'v.start_date', 'v.end_date', 'v.price_cents', 'p.price_cents as plan_price'])
        .where('v.id', '>', after);
      if (filter.subscriptionId) q = q.where('v.subscription_id', '=', filter.subscriptionId);
      if (filter.status) q = q.where('v.status', '=', filter.status);
      return q.orderBy('v.id').limit(BATCH).execute();
    },
    (r) => [r.unique_id, r.description, r.plan, r.status, r.login, r.ipv4_address, r.mac_addresses?.split(',').join(', ') ?? null, r.router, r.start_date, r.end_date, r.price_cents, r.price_cents ?? r.plan_price],
  );
}

const DEVICE_COLUMNS = [t('Unique ID'), t('Type'), t('Vendor'), t('Model'), t('Serial'), t('MAC address'), t('Management IP'), t('Firmware'), d('Install date'), t('Location'), t('Status'), t('Service login'), t('Notes')];
function deviceRows(db: Db, filter: Filter) {
  return byId(
    (after) => {
      let q = db
        .selectFrom('devices as x')
        .innerJoin('subscriptions as s', 's.id', 'x.subscription_id')
        .leftJoin('services as v', 'v.id', 'x.service_id')
        .select(['x.id', 's.unique_id', 'x.type', 'x.vendor', 'x.model', 'x.serial', 'x.mac_address', 'x.management_ip', 'x.firmware', 'x.install_date', 'x.location', 'x.status', 'v.login', 'x.notes'])
        .where('x.id', '>', after);
      if (filter.subscriptionId) q = q.where('x.subscription_id', '=', filter.subscriptionId);
      return q.orderBy('x.id').limit(BATCH).execute();
    },
    (r) => [r.unique_id, r.type, r.vendor, r.model, r.serial, r.mac_address, r.management_ip, r.firmware, r.install_date, r.location, r.status, r.login, r.notes],
  );
}

const INVOICE_COLUMNS = [t('Number'), t('Unique ID'), t('Subscription'), t('Status'), d('Issue date'), d('Due date'), m('Subtotal'), m('Tax'), m('Total'), m('Paid'), m('Credited'), m('Open balance')];
function invoiceRows(db: Db, filter: Filter) {
  return byId(
    async (after) => {
      let q = invoiceSummaryQuery(db).where('i.id', '>', after);
      if (filter.subscriptionId) q = q.where('i.subscription_id', '=', filter.subscriptionId);
      if (filter.status === 'open' || filter.status === 'closed') q = q.where('i.status', '=', filter.status);
      return (await q.orderBy('i.id').limit(BATCH).execute()).map(toInvoiceSummary);
    },
    (i) => [i.number, i.uniqueId, i.subscriptionName, i.status, i.issueDate, i.dueDate, i.subtotalCents, i.taxCents, i.totalCents, i.paidCents, i.creditedCents, i.openBalanceCents],
  );
}

const PAYMENT_COLUMNS = [t('Number'), t('Unique ID'), t('Subscription'), d('Date'), t('Method'), m('Amount'), m('Unallocated'), m('Refunded'), t('Reference'), t('Notes')];
const METHOD_LABELS: Record<string, string> = { cash: 'Cash', cheque: 'Cheque', bank_transfer: 'Bank transfer', card: 'Card' };
function paymentRows(db: Db, filter: Filter) {
  return byId(
    (after) => {
      let q = db
        .selectFrom('payments as p')
        .innerJoin('subscriptions as s', 's.id', 'p.subscription_id')
        .select([
          'p.id', 'p.number', 's.unique_id', 's.name', 'p.received_date', 'p.method', 'p.amount_cents', 'p.reference', 'p.notes',
          sql<number>`coalesce((select sum(a.amount_cents) from payment_allocations a where a.payment_id = p.id), 0)`.as('allocated'),
          sql<number>`coalesce((select sum(r.amount_cents) from refunds r where r.payment_id = p.id), 0)`.as('refunded'),
        ])
        .where('p.id', '>', after);
      if (filter.subscriptionId) q = q.where('p.subscription_id', '=', filter.subscriptionId);
      return q.orderBy('p.id').limit(BATCH).execute();
    },
    (p) => [p.number, p.unique_id, p.name, p.received_date, METHOD_LABELS[p.method] ?? p.method, p.amount_cents, p.amount_cents - p.allocated - p.refunded, p.refunded, p.reference, p.notes],
  );
}

const AGING_COLUMNS = [t('Unique ID'), t('Name'), t('Contact'), t('Status'), m('Current'), m('1–30 days'), m('31–60 days'), m('61–90 days'), m('Over 90 days'), m('Total')];
async function* agingRows(db: Db, filter: Filter, now: Date): AsyncGenerator<OutValue[]> {
  const asOf = (filter.asOf ?? dayOf(now)) as IsoDate;
  for (let page = 1; ; page++) {
    const r = await agingReport(db, asOf, page, BATCH);
    for (const a of r.rows) yield [a.uniqueId, a.name, a.contactName, a.status, a.currentCents, a.days1to30Cents, a.days31to60Cents, a.days61to90Cents, a.over90Cents, a.totalCents];
    if (r.rows.length < BATCH) return;
  }
}

const ALLOCATION_COLUMNS = [t('Address'), t('Kind'), t('Network'), t('Unique ID'), t('Subscription'), t('Service'), t('Login')];
function allocationRows(db: Db, filter: Filter) {
  return byId(
    (after) => {
      let q = db
        .selectFrom('ip_allocations as a')
        .innerJoin('services as v', 'v.id', 'a.service_id')
        .innerJoin('subscriptions as s', 's.id', 'v.subscription_id')
        .leftJoin('ip_networks as n', 'n.id', 'a.network_id')
        .select(['a.id', 'a.address', 'a.kind', 'n.cidr', 's.unique_id', 's.name', 'v.description', 'v.login'])
        .where('a.id', '>', after);
      if (filter.networkId) q = q.where('a.network_id', '=', filter.networkId);
      return q.orderBy('a.id').limit(BATCH).execute();
    },
    (a) => [a.address, a.kind === 'routed' ? 'Routed network' : 'Address', a.cidr, a.unique_id, a.name, a.description, a.login],
  );
}

const NOTICE_COLUMNS = [d('Date'), t('Unique ID'), t('Subscription'), t('Contact'), m('Overdue'), t('Invoices'), t('Street'), t('City'), t('Region'), t('Postal code'), t('Country')];
/** Dunning notices of a date range (all when none is given), oldest first: the letters to send. */
function dunningNoticeRows(db: Db, filter: Filter) {
  return byId(
    (after) => {
      let q = db
        .selectFrom('dunning_notices as n')
        .innerJoin('subscriptions as s', 's.id', 'n.subscription_id')
        .innerJoin('contacts as c', 'c.id', 's.contact_id')
        .select(['n.id', 'n.notice_date', 's.unique_id', 's.name', 'c.first_name', 'c.last_name', 'n.overdue_cents', 'n.invoice_numbers', 'c.street', 'c.city', 'c.region', 'c.postal_code', 'c.country'])
        .where('n.id', '>', after);
      if (filter.from) q = q.where('n.notice_date', '>=', filter.from);
      if (filter.to) q = q.where('n.notice_date', '<=', filter.to);
      if (filter.subscriptionId) q = q.where('n.subscription_id', '=', filter.subscriptionId);
      return q.orderBy('n.id').limit(BATCH).execute();
    },
    (r) => [
      r.notice_date, r.unique_id, r.name, [r.first_name, r.last_name].filter(Boolean).join(' '), r.overdue_cents, (JSON.parse(r.invoice_numbers) as string[]).join(', '),
      r.street, r.city, r.region, r.postal_code, r.country,
    ],
  );
}

const TITLES: Record<ExportList, string> = {
  subscriptions: 'Subscriptions',
  services: 'Services',
  devices: 'Devices',
  invoices: 'Invoices',
  payments: 'Payments',
  aging: 'Aging',
  ipAllocations: 'IP allocations',
  dunningNotices: 'Dunning notices',
};

export async function exportList(db: Db, list: ExportList, format: 'csv' | 'xlsx', filter: Filter, now: Date): Promise<{ name: string; base64: string }> {
  const money = await moneyFormat(db);
  const [columns, rows] = ((): [OutColumn[], AsyncIterable<OutValue[]>] => {
    switch (list) {
      case 'subscriptions':
        return [SUBSCRIPTION_COLUMNS, subscriptionRows(db, filter)];
      case 'services':
        return [SERVICE_COLUMNS, serviceRows(db, filter)];
      case 'devices':
        return [DEVICE_COLUMNS, deviceRows(db, filter)];
      case 'invoices':
        return [INVOICE_COLUMNS, invoiceRows(db, filter)];
      case 'payments':
        return [PAYMENT_COLUMNS, paymentRows(db, filter)];
      case 'aging':
        return [AGING_COLUMNS, agingRows(db, filter, now)];
      case 'ipAllocations':
        return [ALLOCATION_COLUMNS, allocationRows(db, filter)];
      case 'dunningNotices':
        return [NOTICE_COLUMNS, dunningNoticeRows(db, filter)];
    }
  })();
  const bytes = format === 'csv' ? await writeCsv(columns, rows, money) : await writeXlsxOffThread(TITLES[list], columns, rows, money);
  const stamp = now.toISOString().slice(0, 10);
  return { name: `${TITLES[list].toLowerCase().replaceAll(' ', '-')}-${stamp}.${format}`, base64: bytes.toString('base64') };
}
