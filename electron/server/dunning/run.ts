/**
 * The dunning run: finds in one query the few subscriptions that can move on the date (those in
 * arrears past the first stage, and those already in a stage), loads their facts, asks the rules
 * where each stands, and applies the difference in batches through the subscription's own
 * status-change path, so history records from, to, when, who and why.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { dunningMove } from '../../../shared/api/dunning';
import { formatMoney, cents, type MoneyFormat } from '../../../shared/domain/money';
import { CLOSED_STATUSES, type SubscriptionStatus, isClosed } from '../../../shared/domain/subscription-status';
import type { IsoDate } from '../../../shared/domain/types';
import type { Actor } from '../api/context';
import { addDays, compareDates } from '../billing/rules/dates';
import { moneyFormat } from '../billing/settings';
import type { Db } from '../db/open';
import { setSubscriptionStatuses } from '../subscribers/subscriptions';
import { deleteOnJsonIds, insertValues, jsonIds, upsertJsonRows } from '../db/json-rows';
import { type DunningPolicy, type InvoiceFacts, type Stage, type SubscriptionFacts, firstStageDays, stageOn, stageRank } from './rules';
import { getDunningSettings, policyOf } from './settings';

export type Move = z.output<typeof dunningMove>;

/** Who dunning's own changes are recorded as. */
export const DUNNING_ACTOR: Actor = { staffId: null, name: 'Dunning' };

/** Moves applied per batch of statements: a day that suspends thousands stays a few statements. */
const CHUNK = 5000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Statuses dunning never moves a subscription out of by itself (rules beside `plan`). */
const LEFT_ALONE: readonly SubscriptionStatus[] = ['Suspended', ...CLOSED_STATUSES];

/**
 * The subscriptions the rules must look at on `date`, in one set-based query: every one dunning
 * holds in a stage, and every other one not closed nor suspended by hand whose open balances on
 * `date`, over closed invoices past the first stage's days, reach the minimum. No one else can
 * move (rules.ts, firstStageDays), so the rules run for these few instead of every subscription.
 *
 * An invoice's open balance on the date is its total, less every allocation (read from the index
 * alone), plus the allocations of payments received after the date (almost always none), plus
 * the credit memo lines issued by the date (negative amounts: they take that much off).
 */
export async function dunningCandidates(db: Db, date: IsoDate, policy: DunningPolicy): Promise<number[]> {
  const cut = addDays(date, -firstStageDays(policy));
  const minimum = Math.max(1, policy.minimumCents);
  const { rows } = await sql<{ id: number }>`
    with late as (
      select a.invoice_id, sum(a.amount_cents) as cents from payments p join payment_allocations a on a.payment_id = p.id
      where p.received_date > ${date} group by a.invoice_id),
    credited as (
      select c.invoice_id, sum(l.amount_cents + l.tax_cents) as cents from credit_memo_lines l
      join credit_memos m on m.id = l.credit_memo_id join charges c on c.id = l.charge_id
      where m.issue_date <= ${date} group by c.invoice_id),
    open as materialized (
      select i.subscription_id, i.total_cents
        - coalesce((select sum(a.amount_cents) from payment_allocations a where a.invoice_id = i.id), 0)
        + coalesce((select late.cents from late where late.invoice_id = i.id), 0)
        + coalesce((select credited.cents from credited where credited.invoice_id = i.id), 0) as cents
      from invoices i where i.status = 'closed' and i.due_date < ${cut}),
    overdue as (
      select subscription_id from open where cents > 0 group by subscription_id having sum(cents) >= ${minimum})
    select o.subscription_id as id from overdue o join subscriptions s on s.id = o.subscription_id
    where s.status not in (${sql.join(LEFT_ALONE)})
    union
    select subscription_id as id from dunning_states
    order by id`.execute(db);
  return rows.map((r) => r.id);
}

interface Loaded {
  id: number;
  uniqueId: string;
  name: string;
  status: SubscriptionStatus;
  state: { stage: Stage; previousStatus: SubscriptionStatus | null } | null;
  facts: SubscriptionFacts;
}

/**
 * Everything the rules need about these subscriptions: every closed invoice past due with the
 * payments and credits against it and the day each counts from (an invoice paid since still
 * matters for the days before it was paid), and their exemptions. One statement per table for
 * all of them, the ids travelling as one parameter.
 */
export async function loadSubscriptions(db: Db, ids: readonly number[], date: IsoDate): Promise<Loaded[]> {
  if (ids.length === 0) return [];
  const [subs, states, invoices, allocations, credits, exemptions] = await Promise.all([
    db.selectFrom('subscriptions').select(['id', 'unique_id', 'name', 'status']).where('id', 'in', jsonIds(ids)).execute(),
    db.selectFrom('dunning_states').select(['subscription_id', 'stage', 'previous_status']).where('subscription_id', 'in', jsonIds(ids)).execute(),
    db
      .selectFrom('invoices')
      .select(['id', 'subscription_id', 'number', 'due_date', 'total_cents'])
      .where('subscription_id', 'in', jsonIds(ids))
      .where('status', '=', 'closed')
      .where('due_date', '<', date)
      .execute(),
    db
      .selectFrom('payment_allocations as a')
      .innerJoin('payments as p', 'p.id', 'a.payment_id')
      .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
      .select(['a.invoice_id', 'a.amount_cents', 'p.received_date'])
      .where('i.subscription_id', 'in', jsonIds(ids))
      .where('i.status', '=', 'closed')
      .where('i.due_date', '<', date)
      .execute(),
    db
      .selectFrom('credit_memo_lines as l')
      .innerJoin('charges as c', 'c.id', 'l.charge_id')
      .innerJoin('credit_memos as m', 'm.id', 'l.credit_memo_id')
      .select(['c.invoice_id', 'l.amount_cents', 'l.tax_cents', 'm.issue_date'])
      .where('c.subscription_id', 'in', jsonIds(ids))
      .execute(),
    db.selectFrom('dunning_exemptions').select(['subscription_id', 'from_date', 'until_date']).where('subscription_id', 'in', jsonIds(ids)).execute(),
  ]);
  const settlements = new Map<number, { date: IsoDate; amountCents: number }[]>();
  const settle = (invoiceId: number, date: string, amountCents: number) => {
    const list = settlements.get(invoiceId) ?? [];
    list.push({ date: date as IsoDate, amountCents });
    settlements.set(invoiceId, list);
  };
  for (const a of allocations) settle(a.invoice_id, a.received_date, a.amount_cents);
  // Credit memo lines are negative: they take that much off the invoice.
  for (const c of credits) settle(c.invoice_id, c.issue_date, -(c.amount_cents + c.tax_cents));
  const bySub = new Map<number, Loaded>();
  for (const s of subs) bySub.set(s.id, { id: s.id, uniqueId: s.unique_id, name: s.name, status: s.status as SubscriptionStatus, state: null, facts: { invoices: [], exemptions: [] } });
  for (const st of states) {
    const l = bySub.get(st.subscription_id);
    if (l) l.state = { stage: st.stage as Stage, previousStatus: st.previous_status as SubscriptionStatus | null };
  }
  for (const i of invoices) {
    const facts = bySub.get(i.subscription_id)?.facts as { invoices: InvoiceFacts[] } | undefined;
    if (!facts || !i.due_date) continue;
    facts.invoices.push({ number: i.number ?? `#${i.id}`, dueDate: i.due_date as IsoDate, totalCents: i.total_cents, settlements: settlements.get(i.id) ?? [] });
  }
  for (const e of exemptions) {
    const facts = bySub.get(e.subscription_id)?.facts as { exemptions: { from: IsoDate; until: IsoDate }[] } | undefined;
    facts?.exemptions.push({ from: e.from_date as IsoDate, until: e.until_date as IsoDate });
  }
  return ids.map((id) => bySub.get(id)).filter((l): l is Loaded => !!l);
}

interface Planned extends Move {
  previousStatus: SubscriptionStatus | null;
  /** Suspended by dunning, then reactivated by hand: the stale record is dropped. */
  stale: boolean;
}

/** Where each loaded subscription moves on `date`; `downOnly` keeps only moves to a milder stage (payments). */
export function plan(loaded: readonly Loaded[], date: IsoDate, policy: DunningPolicy, downOnly = false): Planned[] {
  const moves: Planned[] = [];
  for (const l of loaded) {
    if (isClosed(l.status)) continue;
    const heldSuspended = l.state?.stage === 'suspended';
    // Suspended by hand: only staff bring it back, and dunning does not stack stages on it.
    if (l.status === 'Suspended' && !heldSuspended) continue;
    const stale = heldSuspended && l.status !== 'Suspended';
    const from: Stage = stale ? 'none' : (l.state?.stage ?? 'none');
    const found = stageOn(date, l.facts, policy);
    if (found.stage === from) continue;
    if (downOnly && stageRank(found.stage) > stageRank(from)) continue;
    moves.push({
      subscriptionId: l.id,
      uniqueId: l.uniqueId,
      name: l.name,
      status: l.status,
      from,
      to: found.stage,
      overdueCents: found.overdueCents,
      invoiceNumbers: found.invoiceNumbers,
      previousStatus: l.state?.previousStatus ?? null,
      stale,
    });
  }
  return moves;
}

const publicMove = ({ previousStatus: _p, stale: _s, ...move }: Planned): Move => move;

export interface Applying {
  actor: Actor;
  now: Date;
  /** Why a move to a milder stage happened, when known ("Payment PAY-000012"). */
  cause?: string;
}

/**
 * Applies a day's moves as a batch: the status changes through the subscriptions' own batch path
 * (history, services), then notices and dunning states, each statement prepared once for the
 * batch instead of once per subscription.
 */
async function applyMoves(db: Db, moves: readonly Planned[], date: IsoDate, policy: DunningPolicy, money: MoneyFormat, how: Applying): Promise<void> {
  if (moves.length === 0) return;
  const stamp = how.now.toISOString();
  const statuses: { id: number; from: SubscriptionStatus; status: SubscriptionStatus; reason: string }[] = [];
  const notices: (string | number)[][] = [];
  const states: { id: number; previousStatus: SubscriptionStatus | null; move: Planned }[] = [];
  const leaving: number[] = [];
  for (const move of moves) {
    const amount = formatMoney(cents(move.overdueCents), money);
    let previousStatus = move.previousStatus;
    if (move.to === 'suspended') {
      previousStatus = move.status;
      const reason = `Suspended for non-payment: ${amount} overdue more than ${policy.graceDays} days on ${move.invoiceNumbers.join(', ')}.`;
      statuses.push({ id: move.subscriptionId, from: move.status, status: 'Suspended', reason });
    } else if (move.from === 'suspended') {
      const back = previousStatus ?? 'Active';
      const left = move.to === 'none' ? `the overdue amount is below the minimum of ${formatMoney(cents(policy.minimumCents), money)}` : `now at the ${move.to} stage (${amount} overdue)`;
      statuses.push({ id: move.subscriptionId, from: move.status, status: back, reason: `Reactivated${how.cause ? ` by ${how.cause}` : ''}: ${left}.` });
      previousStatus = null;
    }
    if (move.to === 'notice') notices.push([move.subscriptionId, date, move.overdueCents, JSON.stringify(move.invoiceNumbers), stamp]);
    if (move.to === 'none' || move.stale) leaving.push(move.subscriptionId);
    if (move.to !== 'none') states.push({ id: move.subscriptionId, previousStatus, move });
  }
  await deleteOnJsonIds(db, 'dunning_states', leaving, 'subscription_id');
  await setSubscriptionStatuses(db, statuses, how.actor, how.now);
  await insertValues(db, db, 'dunning_notices', ['subscription_id', 'notice_date', 'overdue_cents', 'invoice_numbers', 'created_at'], notices);
  await upsertJsonRows(
    db,
    'dunning_states',
    'subscription_id',
    states.map(({ id, previousStatus, move }) => ({
      subscription_id: id,
      stage: move.to,
      since_date: date,
      previous_status: previousStatus,
      overdue_cents: move.overdueCents,
      invoice_numbers: JSON.stringify(move.invoiceNumbers),
      updated_at: stamp,
    })),
  );
}

/** Who would move where on `date`; writes nothing. */
export async function previewDunning(db: Db, date: IsoDate): Promise<{ date: IsoDate; moves: Move[] }> {
  const policy = policyOf(await getDunningSettings(db));
  const loaded = await loadSubscriptions(db, await dunningCandidates(db, date, policy), date);
  return { date, moves: plan(loaded, date, policy).map(publicMove) };
}

/**
 * Runs the stages for `date`. Days missed since the last run need no replay: the rules' stage on
 * a date already is what running every day would reach, so nobody is suspended twice, or for a
 * day a payment had already passed.
 */
export async function runDunning(db: Db, date: IsoDate, how: Applying): Promise<{ date: IsoDate; moves: Move[] }> {
  const settings = await getDunningSettings(db);
  const policy = policyOf(settings);
  const loaded = await loadSubscriptions(db, await dunningCandidates(db, date, policy), date);
  const moves = plan(loaded, date, policy);
  const money = await moneyFormat(db);
  for (const batch of chunks(moves)) await applyMoves(db, batch, date, policy, money, how);
  // Closed subscriptions leave dunning with nothing to undo.
  const closed = loaded.filter((l) => isClosed(l.status) && l.state).map((l) => l.id);
  await deleteOnJsonIds(db, 'dunning_states', closed, 'subscription_id');
  if (!settings.lastRunDate || compareDates(settings.lastRunDate as IsoDate, date) < 0) {
    await db.updateTable('dunning_settings').set({ last_run_date: date }).where('id', '=', 1).execute();
  }
  return { date, moves: moves.map(publicMove) };
}

/**
 * After a payment or credit memo, in its transaction: a subscription dunning holds moves down
 * at once if the overdue amount no longer justifies its stage (a dunning suspension is lifted).
 * One suspended by hand is left alone.
 */
export async function reconsiderAfterSettlement(db: Db, subscriptionId: number, today: IsoDate, how: Applying): Promise<Move | null> {
  const state = await db.selectFrom('dunning_states').select('stage').where('subscription_id', '=', subscriptionId).executeTakeFirst();
  if (!state) return null;
  const policy = policyOf(await getDunningSettings(db));
  const [move] = plan(await loadSubscriptions(db, [subscriptionId], today), today, policy, true);
  if (!move) return null;
  await applyMoves(db, [move], today, policy, await moneyFormat(db), how);
  return publicMove(move);
}
