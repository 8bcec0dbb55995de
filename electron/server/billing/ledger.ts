/**
 * The subscriber's account: ledger with running balance, balance, aging, statements. Everything is
 * derived from the documents (closed invoices, credit memos, payments, refunds); nothing is stored
 * twice, so the balance is by construction the sum of the ledger.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import { PAYMENT_METHOD_LABELS, type agingRow, type balance, type ledgerRow, type statement } from '../../../shared/api/billing';
import { ApiError } from '../../../shared/api/errors';
import { cents, sumCents, type Cents } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import type { Db } from '../db/open';
import { invoiceSummaryQuery, toInvoiceSummary } from './invoices';
import { type Aging, aging, agingTotals } from './rules/aging';
import { type LedgerEntry, type LedgerKind, closingBalance, runningBalance } from './rules/ledger';

type LedgerRow = z.output<typeof ledgerRow>;
type Balance = z.output<typeof balance>;
type AgingRow = z.output<typeof agingRow>;
type Statement = z.output<typeof statement>;

export interface AccountEntry extends LedgerEntry {
  subscriptionId: number;
  documentId: number;
  reference: string;
  description: string;
  /** An invoice's due date. */
  dueDate?: IsoDate;
}

const KIND_ORDER: Record<LedgerKind, number> = { invoice: 0, credit_memo: 1, payment: 2, refund: 3 };

/** Ledger entries of the given subscriptions (all when null), up to a date, in ledger order. */
export async function accountEntries(db: Db, subscriptionIds: number[] | null, to?: IsoDate): Promise<AccountEntry[]> {
  const subs = subscriptionIds;
  const [invoices, memos, payments, refunds] = await Promise.all([
    (() => {
      let q = db.selectFrom('invoices').select(['id', 'subscription_id', 'number', 'issue_date', 'due_date', 'total_cents']).where('status', '=', 'closed');
      if (subs) q = q.where('subscription_id', 'in', subs);
      if (to) q = q.where('issue_date', '<=', to);
      return q.execute();
    })(),
    (() => {
      let q = db.selectFrom('credit_memos').select(['id', 'subscription_id', 'number', 'issue_date', 'total_cents', 'reason']);
      if (subs) q = q.where('subscription_id', 'in', subs);
      if (to) q = q.where('issue_date', '<=', to);
      return q.execute();
    })(),
    (() => {
      let q = db.selectFrom('payments').select(['id', 'subscription_id', 'number', 'received_date', 'amount_cents', 'method', 'reference']);
      if (subs) q = q.where('subscription_id', 'in', subs);
      if (to) q = q.where('received_date', '<=', to);
      return q.execute();
    })(),
    (() => {
      let q = db
        .selectFrom('refunds as r')
        .innerJoin('payments as p', 'p.id', 'r.payment_id')
        .select(['r.id', 'r.subscription_id', 'p.number', 'r.refund_date', 'r.amount_cents', 'r.reason']);
      if (subs) q = q.where('r.subscription_id', 'in', subs);
      if (to) q = q.where('r.refund_date', '<=', to);
      return q.execute();
    })(),
  ]);
  const entries: AccountEntry[] = [
    ...invoices.map((i) => ({ kind: 'invoice' as const, subscriptionId: i.subscription_id, documentId: i.id, date: i.issue_date as IsoDate, amount: cents(i.total_cents), reference: i.number ?? '', description: `Invoice ${i.number}`, dueDate: (i.due_date ?? i.issue_date) as IsoDate })),
    ...memos.map((m) => ({ kind: 'credit_memo' as const, subscriptionId: m.subscription_id, documentId: m.id, date: m.issue_date as IsoDate, amount: cents(m.total_cents), reference: m.number, description: `Credit memo ${m.number}: ${m.reason}` })),
    ...payments.map((p) => ({
      kind: 'payment' as const,
      subscriptionId: p.subscription_id,
      documentId: p.id,
      date: p.received_date as IsoDate,
      amount: cents(p.amount_cents),
      reference: p.number,
      description: `Payment ${p.number} (${PAYMENT_METHOD_LABELS[p.method as keyof typeof PAYMENT_METHOD_LABELS] ?? p.method}${p.reference ? `, ref. ${p.reference}` : ''})`,
    })),
    ...refunds.map((r) => ({ kind: 'refund' as const, subscriptionId: r.subscription_id, documentId: r.id, date: r.refund_date as IsoDate, amount: cents(r.amount_cents), reference: `${r.number}-R${r.id}`, description: `Refund from ${r.number}: ${r.reason}` })),
  ];
  return entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.documentId - b.documentId));
}

function toRows(entries: AccountEntry[], opening: Cents): LedgerRow[] {
  return runningBalance(entries, opening).map(({ entry, signed, balance }) => ({
    kind: entry.kind,
    documentId: entry.documentId,
    date: entry.date,
    number: entry.reference,
    description: entry.description,
    debitCents: signed > 0 ? signed : 0,
    creditCents: signed < 0 ? -signed : 0,
    balanceCents: balance,
  }));
}

async function requireSubscription(db: Db, id: number): Promise<void> {
  const sub = await db.selectFrom('subscriptions').select('id').where('id', '=', id).executeTakeFirst();
  if (!sub) throw new ApiError('not_found', `Subscription ${id} does not exist.`, { subscriptionId: `No subscription ${id}` });
}

export async function subscriptionLedger(db: Db, subscriptionId: number): Promise<{ rows: LedgerRow[]; balanceCents: number }> {
  await requireSubscription(db, subscriptionId);
  const entries = await accountEntries(db, [subscriptionId]);
  const rows = toRows(entries, cents(0));
  return { rows, balanceCents: closingBalance(entries) };
}

export async function subscriptionBalance(db: Db, subscriptionId: number, today: IsoDate): Promise<Balance> {
  await requireSubscription(db, subscriptionId);
  const [entries, invoices, payments, unbilled] = await Promise.all([
    accountEntries(db, [subscriptionId]),
    invoiceSummaryQuery(db).where('i.subscription_id', '=', subscriptionId).where('i.status', '=', 'closed').execute(),
    db
      .selectFrom('payments as p')
      .select([
        sql<number>`coalesce(sum(p.amount_cents), 0)`.as('received'),
        sql<number>`coalesce(sum((select coalesce(sum(a.amount_cents), 0) from payment_allocations a where a.payment_id = p.id)), 0)`.as('allocated'),
        sql<number>`coalesce(sum((select coalesce(sum(r.amount_cents), 0) from refunds r where r.payment_id = p.id)), 0)`.as('refunded'),
      ])
      .where('p.subscription_id', '=', subscriptionId)
      .executeTakeFirstOrThrow(),
    db.selectFrom('invoices').select(sql<number>`coalesce(sum(total_cents), 0)`.as('n')).where('subscription_id', '=', subscriptionId).where('status', '=', 'open').executeTakeFirstOrThrow(),
  ]);
  const overdue = invoices.map(toInvoiceSummary).filter((i) => i.openBalanceCents > 0 && (i.dueDate ?? '') < today);
  return {
    subscriptionId,
    balanceCents: closingBalance(entries),
    overdueCents: sumCents(overdue.map((i) => cents(i.openBalanceCents))),
    unallocatedCents: payments.received - payments.allocated - payments.refunded,
    unbilledCents: unbilled.n,
  };
}

function agingAmounts(a: Aging) {
  return {
    currentCents: a.current,
    days1to30Cents: a.days1to30,
    days31to60Cents: a.days31to60,
    days61to90Cents: a.days61to90,
    over90Cents: a.over90,
    totalCents: a.total,
  };
}

/** Open balances of closed invoices by days past due, per subscription, largest total first. */
export async function agingReport(db: Db, asOf: IsoDate, page: number, pageSize: number) {
  const owed = await db
    .selectFrom('invoices as i')
    .select([
      'i.subscription_id',
      'i.due_date',
      sql<number>`i.total_cents
        - coalesce((select sum(a.amount_cents) from payment_allocations a where a.invoice_id = i.id), 0)
        + coalesce((select sum(l.amount_cents + l.tax_cents) from credit_memo_lines l join charges c on c.id = l.charge_id where c.invoice_id = i.id), 0)`.as('open_cents'),
    ])
    .where('i.status', '=', 'closed')
    .where('i.issue_date', '<=', asOf)
    .execute();
  const bySub = new Map<number, { dueDate: IsoDate; openBalance: Cents }[]>();
  for (const o of owed) {
    if (o.open_cents <= 0) continue;
    const list = bySub.get(o.subscription_id) ?? [];
    list.push({ dueDate: o.due_date as IsoDate, openBalance: cents(o.open_cents) });
    bySub.set(o.subscription_id, list);
  }
  const all = [...bySub.entries()].map(([subscriptionId, invs]) => ({ subscriptionId, aging: aging(invs, asOf) }));
  all.sort((a, b) => b.aging.total - a.aging.total || a.subscriptionId - b.subscriptionId);
  const sums = agingTotals(all.map((a) => a.aging));
  const slice = all.slice((page - 1) * pageSize, page * pageSize);
  const names = slice.length
    ? await db
        .selectFrom('subscriptions as s')
        .innerJoin('contacts as c', 'c.id', 's.contact_id')
        .select(['s.id', 's.unique_id', 's.name', 's.status', 'c.first_name', 'c.last_name'])
        .where('s.id', 'in', slice.map((a) => a.subscriptionId))
        .execute()
    : [];
  const nameOf = new Map(names.map((n) => [n.id, n]));
  const rows: AgingRow[] = slice.map((a) => {
    const n = nameOf.get(a.subscriptionId)!;
    return { subscriptionId: a.subscriptionId, uniqueId: n.unique_id, name: n.name, contactName: `${n.first_name} ${n.last_name}`, status: n.status, ...agingAmounts(a.aging) };
  });
  return {
    asOf,
    totals: {
      currentCents: sums.current,
      days1to30Cents: sums.days1to30,
      days31to60Cents: sums.days31to60,
      days61to90Cents: sums.days61to90,
      over90Cents: sums.over90,
      totalCents: sums.total,
    },
    rows,
    total: all.length,
  };
}

/** A statement from its subscription's entries: everything before `from` is the opening balance. */
export function statementFrom(subscriptionId: number, entries: AccountEntry[], from: IsoDate, to: IsoDate): Statement {
  const before = entries.filter((e) => e.date < from);
  const within = entries.filter((e) => e.date >= from && e.date <= to);
  const opening = closingBalance(before);
  const rows = toRows(within, opening);
  const closing = closingBalance(within, opening);
  return { subscriptionId, from, to, openingBalanceCents: opening, closingBalanceCents: closing, balanceDueOn: closing > 0 ? balanceDueOn(entries, to) : null, rows };
}

/**
 * When the closing balance is due: the due date of the newest invoice issued by the end of the
 * period (anything older is already due by then), not the day the statement is printed.
 */
function balanceDueOn(entries: AccountEntry[], to: IsoDate): IsoDate | null {
  let due: IsoDate | null = null;
  for (const e of entries) if (e.kind === 'invoice' && e.date <= to && e.dueDate && (due === null || e.dueDate > due)) due = e.dueDate;
  return due;
}

export async function getStatement(db: Db, subscriptionId: number, from: IsoDate, to: IsoDate): Promise<Statement> {
  await requireSubscription(db, subscriptionId);
  if (to < from) throw new ApiError('validation', 'The period ends before it starts.', { to: 'Before the start of the period' });
  return statementFrom(subscriptionId, await accountEntries(db, [subscriptionId], to), from, to);
}

/** Statements of every subscription with activity in the period or a balance at its end. */
export async function allStatements(db: Db, from: IsoDate, to: IsoDate): Promise<Statement[]> {
  if (to < from) throw new ApiError('validation', 'The period ends before it starts.', { to: 'Before the start of the period' });
  const entries = await accountEntries(db, null, to);
  const bySub = new Map<number, AccountEntry[]>();
  for (const e of entries) {
    const list = bySub.get(e.subscriptionId) ?? [];
    list.push(e);
    bySub.set(e.subscriptionId, list);
  }
  return [...bySub.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, list]) => statementFrom(id, list, from, to))
    .filter((s) => s.rows.length > 0 || s.closingBalanceCents !== 0);
}
