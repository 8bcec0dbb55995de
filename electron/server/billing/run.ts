/**
 * The billing run: for a date, every subscription's due charges onto its open invoice (created when
 * it has none), catching up every period missed since the last run.
 *
 * Crash safety: subscriptions are billed in batches of whole subscriptions, each batch in its own
 * transaction together with the run's progress row, so a killed process leaves every subscription
 * either fully billed for the date or untouched; the next run picks up the rest. Idempotence is the
 * database's: charges are unique per (service, period start) and per one-time service, and what is
 * due is computed from what is already charged. Between batches the run yields to the event loop, so
 * the window and the web host keep answering (and can report its progress).
 *
 * Speed: a long run has a worker thread read and rate batch k+1 while batch k is written
 * (read-ahead.ts); what it read is used only if nothing else was written in between.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { billingPreview, billingRun } from '../../../shared/api/billing';
import { ApiError } from '../../../shared/api/errors';
import { cents, centsTotal, parseCentsTotal } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import type { Insertable } from 'kysely';
import { addToJsonRows, executeCached, insertRows, insertValues } from '../db/json-rows';
import { type Db, writeMark } from '../db/open';
import type { ChargesTable, InvoicesTable } from './tables';
import type { BatchSubscription } from './due';
import { batchCharges, batchReads } from './due-reads';
import { ReadAhead } from './read-ahead';
import type { NewCharge } from './rules/charges';
import { billingStartDate, moneyFormat } from './settings';

type Run = z.output<typeof billingRun>;
type Preview = z.output<typeof billingPreview>;

export const UNBILLED_SUBSCRIPTION_STATUSES = ['Cancelled', 'Completed'] as const;
// Each batch is one transaction: larger batches write each touched index page fewer times.
const DEFAULT_BATCH = 2000;
/** Runs of more batches than this read ahead in a worker: below it, starting one costs more than it saves. */
const READ_AHEAD_FROM = 4;
/** Rows per multi-row INSERT: well under SQLite's limit of bound parameters. */
const INSERT_CHUNK = 500;

async function nextSubscriptions(db: Db, afterId: number, limit: number): Promise<BatchSubscription[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .select(['id', 'bill_day'])
    .where('id', '>', afterId)
    .where('status', 'not in', UNBILLED_SUBSCRIPTION_STATUSES)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, billDay: r.bill_day }));
}

async function billableCount(db: Db): Promise<number> {
  const r = await db
    .selectFrom('subscriptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'not in', UNBILLED_SUBSCRIPTION_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function previewBilling(db: Db, asOf: IsoDate): Promise<Preview> {
  const money = await moneyFormat(db);
  const notBefore = await billingStartDate(db);
  // Per plan and overall the sums span every subscription: BigInt, exact at any size.
  const byPlan = new Map<number | null, { planName: string; charges: number; subtotal: bigint; tax: bigint }>();
  const billedSubs = new Set<number>();
  let afterId = 0;
  for (;;) {
    const subs = await nextSubscriptions(db, afterId, DEFAULT_BATCH * 5);
    if (subs.length === 0) break;
    afterId = subs[subs.length - 1]!.id;
    for (const c of await batchCharges(db, db, subs, asOf, money, notBefore)) {
      billedSubs.add(c.subscriptionId);
      const g = byPlan.get(c.planId) ?? { planName: '', charges: 0, subtotal: 0n, tax: 0n };
      g.charges += 1;
      g.subtotal += BigInt(cents(c.amount));
      g.tax += BigInt(cents(c.tax));
      byPlan.set(c.planId, g);
    }
  }
  const ids = [...byPlan.keys()].filter((k): k is number => k !== null);
  const names = ids.length ? await db.selectFrom('plans').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  for (const n of names) byPlan.get(n.id)!.planName = n.name;
  const rows = [...byPlan.entries()]
    .map(([planId, g]) => ({
      planId,
      planName: g.planName || 'Other',
      charges: g.charges,
      subtotalCents: centsTotal(g.subtotal),
      taxCents: centsTotal(g.tax),
      totalCents: centsTotal(g.subtotal + g.tax),
    }))
    .sort((a, b) => a.planName.localeCompare(b.planName));
  const groups = [...byPlan.values()];
  const subtotal = groups.reduce((s, g) => s + g.subtotal, 0n);
  const tax = groups.reduce((s, g) => s + g.tax, 0n);
  return {
    date: asOf,
    subscriptions: billedSubs.size,
    charges: rows.reduce((s, r) => s + r.charges, 0),
    subtotalCents: centsTotal(subtotal),
    taxCents: centsTotal(tax),
    totalCents: centsTotal(subtotal + tax),
    byPlan: rows,
  };
}

interface BatchOutcome {
  subscriptionsBilled: number;
  charges: number;
  invoices: number;
  /** The batch's charges and tax: a batch of thousands of subscriptions passes 2^53, so BigInt. */
  amount: bigint;
}

/** The columns of a charge row as writeBatch lists its values. */
const CHARGE_COLUMNS = [
  'invoice_id',
  'subscription_id',
  'service_id',
  'account_package_id',
  'plan_id',
  'kind',
  'description',
  'explanation',
  'period_start',
  'period_end',
  'quantity',
  'unit_price_cents',
  'amount_cents',
  'tax_rate_percent',
  'tax_cents',
  'created_at',
] as const satisfies readonly (keyof Insertable<ChargesTable>)[];

/** Writes one batch's charges, creating invoices where a subscription has no open one. */
async function writeBatch(root: Db, trx: Db, charges: NewCharge[], runId: number, createdAt: string): Promise<BatchOutcome> {
  if (charges.length === 0) return { subscriptionsBilled: 0, charges: 0, invoices: 0, amount: 0n };
  const subIds = new Set<number>();
  let first = Infinity;
  let last = -Infinity;
  for (const c of charges) {
    subIds.add(c.subscriptionId);
    if (c.subscriptionId < first) first = c.subscriptionId;
    if (c.subscriptionId > last) last = c.subscriptionId;
  }
  // A range of subscription ids walks just the open invoices of this batch in
  // invoices_status_subscription, with the same short statement every batch: listing thousands of
  // ids would cost more to compile and prepare than to run.
  const open = await executeCached(
    root,
    trx,
    trx.selectFrom('invoices').select(['id', 'subscription_id']).where('status', '=', 'open').where('subscription_id', '>=', first).where('subscription_id', '<=', last).compile(),
  );
  const invoiceOf = new Map<number, number>();
  for (const o of open) if (o.id > (invoiceOf.get(o.subscription_id) ?? 0)) invoiceOf.set(o.subscription_id, o.id); // the newest open invoice wins
  const existing = new Set(invoiceOf.values());

  const totals = new Map<number, { subtotal: number; tax: number }>();
  for (const c of charges) {
    if (invoiceOf.has(c.subscriptionId)) continue;
    const t = totals.get(c.subscriptionId) ?? { subtotal: 0, tax: 0 };
    t.subtotal += c.amount;
    t.tax += c.tax;
    totals.set(c.subscriptionId, t);
  }
  const newInvoices = [...totals.entries()].map(([subscriptionId, t]): Insertable<InvoicesTable> & Record<string, string | number | null> => ({
    subscription_id: subscriptionId,
    status: 'open',
    auto_created: 1,
    billing_run_id: runId,
    subtotal_cents: t.subtotal,
    tax_cents: t.tax,
    total_cents: t.subtotal + t.tax,
    created_at: createdAt,
  }));
  const made = await insertRows(root, trx, 'invoices', newInvoices);
  made.forEach((id, i) => invoiceOf.set(newInvoices[i]!.subscription_id, id));

  await insertValues(
    root,
    trx,
    'charges',
    CHARGE_COLUMNS,
    charges.map((c) => [
      invoiceOf.get(c.subscriptionId)!,
      c.subscriptionId,
      c.serviceId,
      c.accountPackageId,
      c.planId,
      c.kind,
      c.description,
      c.explanation,
      c.periodStart,
      c.periodEnd,
      c.quantity,
      c.unitPrice,
      c.amount,
      c.taxRatePercent,
      c.tax,
      createdAt,
    ]),
  );

  // Open invoices that already had lines: add this batch's sums (one statement for the batch).
  const added = new Map<number, { id: number; subtotal_cents: number; tax_cents: number; total_cents: number }>();
  for (const c of charges) {
    const id = invoiceOf.get(c.subscriptionId)!;
    if (!existing.has(id)) continue;
    const a = added.get(id) ?? { id, subtotal_cents: 0, tax_cents: 0, total_cents: 0 };
    a.subtotal_cents += c.amount;
    a.tax_cents += c.tax;
    a.total_cents += c.amount + c.tax;
    added.set(id, a);
  }
  await addToJsonRows(trx, 'invoices', 'id', [...added.values()], root);
  return {
    subscriptionsBilled: subIds.size,
    charges: charges.length,
    invoices: newInvoices.length,
    amount: charges.reduce((s, c) => s + BigInt(cents(c.amount)) + BigInt(cents(c.tax)), 0n),
  };
}

/** Totals of open invoices from their charges: only ever sums of stored line amounts. */
export async function recomputeInvoiceTotals(db: Db, invoiceIds: number[]): Promise<void> {
  for (let i = 0; i < invoiceIds.length; i += INSERT_CHUNK) {
    const ids = invoiceIds.slice(i, i + INSERT_CHUNK);
    await db
      .updateTable('invoices')
      .set((eb) => ({
        subtotal_cents: eb.fn.coalesce(eb.selectFrom('charges').select((e) => e.fn.sum<number>('amount_cents').as('s')).whereRef('charges.invoice_id', '=', 'invoices.id'), eb.lit(0)),
        tax_cents: eb.fn.coalesce(eb.selectFrom('charges').select((e) => e.fn.sum<number>('tax_cents').as('s')).whereRef('charges.invoice_id', '=', 'invoices.id'), eb.lit(0)),
      }))
      .where('id', 'in', ids)
      .where('status', '=', 'open')
      .execute();
    await db
      .updateTable('invoices')
      .set((eb) => ({ total_cents: eb('subtotal_cents', '+', eb.ref('tax_cents')) }))
      .where('id', 'in', ids)
      .where('status', '=', 'open')
      .execute();
  }
}

function toRun(r: {
  id: number;
  run_date: string;
  status: string;
  total: number;
  done: number;
  subscriptions_billed: number;
  charges_created: number;
  invoices_created: number;
  amount_total: string;
  started_at: string;
  finished_at: string | null;
  started_by_name: string;
  error: string | null;
  duration_ms: number | null;
}): Run {
  return {
    id: r.id,
    runDate: r.run_date,
    status: r.status as Run['status'],
    total: r.total,
    done: r.done,
    subscriptionsBilled: r.subscriptions_billed,
    chargesCreated: r.charges_created,
    invoicesCreated: r.invoices_created,
    amountCents: parseCentsTotal(r.amount_total),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    startedBy: r.started_by_name,
    error: r.error,
    durationMs: r.duration_ms,
  };
}

export async function getRun(db: Db, id: number): Promise<Run> {
  const r = await db.selectFrom('billing_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new ApiError('not_found', `Billing run ${id} does not exist.`);
  return toRun(r);
}

export async function listRuns(db: Db, page: number, pageSize: number): Promise<{ rows: Run[]; total: number }> {
  const [rows, count] = await Promise.all([
    db.selectFrom('billing_runs').selectAll().orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    db.selectFrom('billing_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toRun), total: Number(count.n) };
}

/** The run working in this process, per datastore: one at a time. */
const active = new WeakMap<Db, number>();

/** The billing run still working on this connection, if any (a restore must not pull the datastore from under it). */
export function billingRunInProgress(db: Db): number | null {
  return active.get(db) ?? null;
}

export interface RunRequest {
  asOf: IsoDate;
  actorName: string;
  now: () => Date;
  progress?: (done: number, total: number, label?: string) => void;
  batchSize?: number;
  /**
   * Read and rate the next batch in a worker thread while this one is written (read-ahead.ts): by
   * default for runs of more than a few batches; a ReadAhead given here is used and left open.
   */
  readAhead?: boolean | ReadAhead;
}

/** Starts a run: records it, and returns its id with the work as a promise. */
export async function startBillingRun(db: Db, req: RunRequest): Promise<{ runId: number; finished: Promise<Run> }> {
  if (active.has(db)) throw new ApiError('conflict', `Billing run ${active.get(db)} is still working; wait for it to finish.`);
  const stamp = () => req.now().toISOString();
  // A run left 'running' by a process that died: its batches are committed or gone, never half.
  await db.updateTable('billing_runs').set({ status: 'interrupted', finished_at: stamp() }).where('status', '=', 'running').execute();
  const total = await billableCount(db);
  const { id: runId } = await db
    .insertInto('billing_runs')
    .values({ run_date: req.asOf, status: 'running', total, started_at: stamp(), started_by_name: req.actorName })
    .returning('id')
    .executeTakeFirstOrThrow();
  active.set(db, runId);
  // Measured on the process's own clock: req.now() may be held still (a back-dated run).
  const began = performance.now();
  const tookMs = () => Math.max(0, Math.round(performance.now() - began));
  const finished = (async () => {
    try {
      await billAll(db, runId, req, total);
      await db.updateTable('billing_runs').set({ status: 'completed', finished_at: stamp(), duration_ms: tookMs() }).where('id', '=', runId).execute();
    } catch (error) {
      // The failed batch rolled back whole; the batches before it stay billed. The run row keeps the
      // reason, so the failure is on record in the runs list, not only in a log.
      const errorId = randomBytes(4).toString('hex');
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`[towerline] billing run ${runId} failed (error id ${errorId})`, error);
      try {
        await db.updateTable('billing_runs').set({ status: 'failed', finished_at: stamp(), duration_ms: tookMs(), error: `${reason} (error id ${errorId})` }).where('id', '=', runId).execute();
      } catch (recordError) {
        // Left 'running', the next run marks it interrupted.
        console.error(`[towerline] could not record billing run ${runId} as failed`, recordError);
      }
      if (error instanceof ApiError) throw error;
      throw new ApiError(
        'internal',
        `Billing run ${runId} failed: ${reason}. It is recorded as failed; subscriptions billed before the failure stay billed, none is half-billed, and running again continues from there (error id ${errorId}).`,
      );
    } finally {
      active.delete(db);
    }
    return getRun(db, runId);
  })();
  return { runId, finished };
}

async function billAll(db: Db, runId: number, req: RunRequest, total: number): Promise<void> {
  const money = await moneyFormat(db);
  const notBefore = await billingStartDate(db);
  const batchSize = req.batchSize ?? DEFAULT_BATCH;
  const createdAt = req.now().toISOString();
  const rating = { asOf: req.asOf, money, notBefore };
  const ownWorker = req.readAhead === undefined || req.readAhead === true;
  const readAhead = req.readAhead instanceof ReadAhead ? req.readAhead : ownWorker && (req.readAhead || total > READ_AHEAD_FROM * batchSize) ? ReadAhead.start(db) : null;
  const giveBackCheckpoints = readAhead?.takeOverCheckpoints();
  try {
    let subs = await nextSubscriptions(db, 0, batchSize);
    let ticket = readAhead?.request(subs, batchReads(db, subs, req.asOf), rating) ?? null;
    let done = 0;
    // The run's amount so far, as committed: only this run writes its row (one run at a time).
    let amount = 0n;
    while (subs.length > 0) {
      const following = await nextSubscriptions(db, subs[subs.length - 1]!.id, batchSize);
      // Asked for before this batch is written, so the worker reads it while this one is written.
      const nextTicket = following.length && readAhead ? readAhead.request(following, batchReads(db, following, req.asOf), rating) : null;
      const asked = ticket;
      const prefetched = asked ? await asked.result : null;
      amount += await db.transaction().execute(async (trx) => {
        const start = readAhead ? writeMark(db) : null;
        // Read ahead only if nothing else was written since; otherwise read inside the transaction,
        // so what is "already charged" cannot move underneath it.
        const due = prefetched && readAhead!.holds(asked!, start!) ? prefetched : await batchCharges(db, trx, subs, req.asOf, money, notBefore);
        const outcome = await writeBatch(db, trx, due, runId, createdAt);
        await executeCached(
          db,
          trx,
          trx
            .updateTable('billing_runs')
            .set((eb) => ({
              done: eb('done', '+', subs.length),
              subscriptions_billed: eb('subscriptions_billed', '+', outcome.subscriptionsBilled),
              charges_created: eb('charges_created', '+', outcome.charges),
              invoices_created: eb('invoices_created', '+', outcome.invoices),
              amount_total: centsTotal(amount + outcome.amount),
            }))
            .where('id', '=', runId)
            .compile(),
        );
        if (start) readAhead!.wrote(start);
        return outcome.amount;
      });
      done += subs.length;
      req.progress?.(Math.min(done, total), total, 'Billing subscriptions');
      subs = following;
      ticket = nextTicket;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    giveBackCheckpoints?.();
    if (ownWorker) readAhead?.close();
  }
}
