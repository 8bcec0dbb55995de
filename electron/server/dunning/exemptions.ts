import type { z } from 'zod';
import type { dunningExemption, dunningNotice, dunningNoticeRow, dunningStatus } from '../../../shared/api/dunning';
import { ApiError } from '../../../shared/api/errors';
import { type Cents, formatMoney } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import type { Actor } from '../api/context';
import { addDays, compareDates } from '../billing/rules/dates';
import { addresseeOf, addressees } from '../billing/documents/render';
import { type Addressee, escapeHtml, ispBlock, longDate, meta, page, toBlock } from '../billing/documents/html';
import { getBillingSettings } from '../billing/settings';
import type { Db } from '../db/open';
import { nextStep, type Stage } from './rules';
import { loadSubscriptions } from './run';
import { getDunningSettings, policyOf } from './settings';

type Exemption = z.output<typeof dunningExemption>;
type Notice = z.output<typeof dunningNotice>;

async function requireSubscription(db: Db, id: number): Promise<string> {
  const s = await db.selectFrom('subscriptions').select(['id', 'status']).where('id', '=', id).executeTakeFirst();
  if (!s) throw new ApiError('not_found', `Subscription ${id} does not exist.`, { subscriptionId: `No subscription ${id}` });
  return s.status;
}

function toExemption(r: { id: number; subscription_id: number; from_date: string; until_date: string; reason: string; created_by_name: string; created_at: string }): Exemption {
  return { id: r.id, subscriptionId: r.subscription_id, from: r.from_date, until: r.until_date, reason: r.reason, createdBy: r.created_by_name, createdAt: r.created_at };
}

/** Holds a subscription out of dunning from today to `until` (both days included). */
export async function exempt(db: Db, input: { subscriptionId: number; until: IsoDate; reason: string }, today: IsoDate, actor: Actor, now: Date): Promise<Exemption> {
  await requireSubscription(db, input.subscriptionId);
  if (compareDates(input.until, today) < 0) throw new ApiError('validation', 'An exemption must end today or later.', { until: 'Before today' });
  const row = await db
    .insertInto('dunning_exemptions')
    .values({ subscription_id: input.subscriptionId, from_date: today, until_date: input.until, reason: input.reason, created_at: now.toISOString(), created_by_name: actor.name })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toExemption(row);
}

/**
 * Ends an exemption: the days it already covered stay covered (they are history the stage on
 * those days rests on); one that starts today or later disappears.
 */
export async function removeExemption(db: Db, id: number, today: IsoDate, now: Date): Promise<void> {
  const row = await db.selectFrom('dunning_exemptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Exemption ${id} does not exist.`, { id: `No exemption ${id}` });
  const yesterday = addDays(today, -1);
  if (compareDates(row.from_date as IsoDate, yesterday) > 0) {
    await db.deleteFrom('dunning_exemptions').where('id', '=', id).execute();
  } else if (compareDates(row.until_date as IsoDate, yesterday) > 0) {
    await db.updateTable('dunning_exemptions').set({ until_date: yesterday, removed_at: now.toISOString() }).where('id', '=', id).execute();
  }
}

function toNotice(r: { id: number; subscription_id: number; notice_date: string; overdue_cents: number; invoice_numbers: string }): Notice {
  return { id: r.id, subscriptionId: r.subscription_id, date: r.notice_date, overdueCents: r.overdue_cents, invoiceNumbers: JSON.parse(r.invoice_numbers) as string[] };
}

export async function dunningStatusOf(db: Db, subscriptionId: number, today: IsoDate): Promise<z.output<typeof dunningStatus>> {
  const status = await requireSubscription(db, subscriptionId);
  const [state, exemptions, notices] = await Promise.all([
    db.selectFrom('dunning_states').selectAll().where('subscription_id', '=', subscriptionId).executeTakeFirst(),
    db.selectFrom('dunning_exemptions').selectAll().where('subscription_id', '=', subscriptionId).where('until_date', '>=', today).orderBy('from_date').execute(),
    db.selectFrom('dunning_notices').selectAll().where('subscription_id', '=', subscriptionId).orderBy('notice_date', 'desc').orderBy('id', 'desc').execute(),
  ]);
  const stage = (state?.stage ?? 'none') as Stage;
  const suspendedByHand = status === 'Suspended' && stage !== 'suspended';
  return {
    subscriptionId,
    stage,
    since: state?.since_date ?? null,
    suspendedByHand,
    overdueCents: state?.overdue_cents ?? 0,
    invoiceNumbers: state ? (JSON.parse(state.invoice_numbers) as string[]) : [],
    exemptions: exemptions.map(toExemption),
    notices: notices.map(toNotice),
    // Dunning leaves hand suspensions and closed subscriptions alone: nothing ahead for them.
    next: suspendedByHand || status === 'Cancelled' || status === 'Completed' ? null : await nextFor(db, subscriptionId, stage, today),
  };
}

/** How far ahead the next step is looked for: past any grace period and exemption staff would set. */
const NEXT_HORIZON_DAYS = 400;

async function nextFor(db: Db, subscriptionId: number, stage: Stage, today: IsoDate) {
  const settings = await getDunningSettings(db);
  // The job has run for today already: its next chance is tomorrow.
  const from = settings.lastRunDate && compareDates(settings.lastRunDate as IsoDate, today) >= 0 ? addDays(today, 1) : today;
  // Invoices due before the horizon: one not yet due today still drives the next step.
  const [loaded] = await loadSubscriptions(db, [subscriptionId], addDays(today, NEXT_HORIZON_DAYS));
  return loaded ? nextStep(stage, from, loaded.facts, policyOf(settings), NEXT_HORIZON_DAYS) : null;
}

/** A notice as a letter, on the same page layout as invoices and statements. */
export async function noticeHtml(db: Db, id: number): Promise<string> {
  const row = await db.selectFrom('dunning_notices').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Notice ${id} does not exist.`, { id: `No notice ${id}` });
  const notice = toNotice(row);
  const [settings, to] = await Promise.all([getBillingSettings(db), addresseeOf(db, notice.subscriptionId)]);
  return page(`Payment reminder ${to.uniqueId}`, [noticeBody(notice, settings, to)]);
}

type BillingSettings = Awaited<ReturnType<typeof getBillingSettings>>;

/** The notices of a date range, oldest first, with who they are addressed to. */
export async function listNotices(db: Db, input: { from: IsoDate; to: IsoDate; page: number; pageSize: number }): Promise<{ rows: z.output<typeof dunningNoticeRow>[]; total: number }> {
  const base = db.selectFrom('dunning_notices').where('notice_date', '>=', input.from).where('notice_date', '<=', input.to);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('subscriptions as s', 's.id', 'dunning_notices.subscription_id')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .selectAll('dunning_notices')
    .select(['s.unique_id', 's.name', 'c.first_name', 'c.last_name'])
    .orderBy('notice_date')
    .orderBy('dunning_notices.id')
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .execute();
  return {
    total: Number(total),
    rows: rows.map((r) => ({ ...toNotice(r), uniqueId: r.unique_id, name: r.name, contactName: [r.first_name, r.last_name].filter(Boolean).join(' ') })),
  };
}

/** Letters one print run takes; a longer range is printed a part at a time. */
export const NOTICE_BATCH_MAX = 2000;

/** The notices of a date range as one document, each letter on its own page. */
export async function noticesHtml(db: Db, from: IsoDate, to: IsoDate): Promise<{ html: string; count: number }> {
  const base = db.selectFrom('dunning_notices').where('notice_date', '>=', from).where('notice_date', '<=', to);
  const rows = await base.selectAll().orderBy('notice_date').orderBy('id').limit(NOTICE_BATCH_MAX + 1).execute();
  if (rows.length > NOTICE_BATCH_MAX) {
    throw new ApiError('validation', `More than ${NOTICE_BATCH_MAX.toLocaleString('en')} notices in this range: print a shorter range at a time.`, { to: 'Range too long to print at once' });
  }
  const notices = rows.map(toNotice);
  const [settings, names] = await Promise.all([getBillingSettings(db), addressees(db, [...new Set(notices.map((n) => n.subscriptionId))])]);
  const bodies = notices.map((n) => noticeBody(n, settings, names.get(n.subscriptionId)!));
  return { html: page(`Payment reminders ${from} – ${to}`, bodies), count: notices.length };
}

function noticeBody(notice: Notice, settings: BillingSettings, to: Addressee): string {
  const money = { currency: settings.currencyCode, minorDigits: settings.minorDigits };
  const amount = escapeHtml(formatMoney(notice.overdueCents as Cents, money));
  const body = `<section class="document"><header>${ispBlock(settings)}<div class="title"><h1>Payment reminder</h1>${meta([
    ['Date', longDate(notice.date)],
    ['Account', to.uniqueId],
  ])}</div></header>${toBlock(to)}
<p>Dear ${escapeHtml(to.contactName)},</p>
<p>Our records show ${amount} overdue on invoice${notice.invoiceNumbers.length === 1 ? '' : 's'} ${notice.invoiceNumbers.map(escapeHtml).join(', ')}.
Please pay it within ${settings.graceDays} days of the due date to keep your service running without interruption.</p>
<p>If you have paid in the last few days, thank you, and please disregard this letter.</p>
<p>${escapeHtml(settings.ispName)}${settings.ispPhone ? `<br>${escapeHtml(settings.ispPhone)}` : ''}</p></section>`;
  return body;
}
