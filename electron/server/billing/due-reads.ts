/**
 * The reads behind a billing batch, built by kysely: a range of subscriptions' billable services
 * and what each is already billed through. The run executes them on its own connection inside the
 * batch's transaction, or hands the compiled statements to the read-ahead worker (read-ahead.ts).
 */
import type { CompiledQuery } from 'kysely';
import type { MoneyFormat } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import { selectColumnsCached } from '../db/json-rows';
import type { Db } from '../db/open';
import { type BatchRows, type BatchSubscription, chargesOfBatch, pausedRangesOf } from './due';
import type { DateRange, IsoDate as Day } from './rules/dates';
import type { NewCharge } from './rules/charges';

export const BILLED_SERVICE_STATUSES = ['Active', 'Disabled'] as const;

/** The services of subscribers with what rating needs: price, period, discount, tax rate. */
export function serviceQuery(db: Db) {
  return db
    .selectFrom('services as sv')
    .innerJoin('plans as p', 'p.id', 'sv.plan_id')
    .leftJoin('tax_classes as t', 't.id', 'p.tax_class_id')
    .select([
      'sv.id',
      'sv.subscription_id',
      'sv.account_package_id',
      'sv.plan_id',
      'sv.description',
      'sv.quantity',
      'sv.price_cents',
      'p.price_cents as plan_price_cents',
      'sv.pay_period_months',
      'sv.rating_method',
      'sv.start_date',
      'sv.end_date',
      'sv.discount_percent',
      'sv.discount_start',
      'sv.discount_end',
      't.rate_percent',
    ]);
}

export type ServiceRow = Awaited<ReturnType<ReturnType<typeof serviceQuery>['executeTakeFirstOrThrow']>>;

export interface BatchReads {
  services: CompiledQuery;
  billed: CompiledQuery;
  oneTime: CompiledQuery;
  suspensions: CompiledQuery;
}

/** The reads of one batch: services due by the date, the end of each one's last billed period, one-time charges made. */
export function batchReads(db: Db, subs: BatchSubscription[], asOf: IsoDate): BatchReads {
  const first = subs[0]!.id;
  const last = subs[subs.length - 1]!.id;
  return {
    services: serviceQuery(db)
      .where('sv.subscription_id', '>=', first)
      .where('sv.subscription_id', '<=', last)
      .where('sv.status', 'in', BILLED_SERVICE_STATUSES)
      .where('sv.start_date', '<=', asOf)
      .orderBy('sv.subscription_id')
      .orderBy('sv.id')
      .compile(),
    billed: db
      .selectFrom('charges')
      .select(['service_id', (eb) => eb.fn.max('period_end').as('through')])
      .where('subscription_id', '>=', first)
      .where('subscription_id', '<=', last)
      .where('kind', '=', 'recurring')
      // Grouped in the order of the charges_billing_state index, so SQLite walks just this range of it.
      .groupBy(['subscription_id', 'service_id'])
      .compile(),
    oneTime: db
      .selectFrom('charges')
      .select('service_id')
      .where('subscription_id', '>=', first)
      .where('subscription_id', '<=', last)
      .where('kind', '=', 'one-time')
      .compile(),
    suspensions: suspensionHistoryQuery(db, first, last).compile(),
  };
}

/**
 * The status history of the subscriptions in an id range that had a suspension pausing billing
 * (rules/suspension.ts), in order: [subscription_id, to_status, changed_at, paused id or null].
 * Under 'keep' there are none, and this reads nothing but an empty index range.
 */
export function suspensionHistoryQuery(db: Db, first: number, last: number) {
  return db
    .selectFrom('subscription_status_changes as h')
    .leftJoin('paused_suspensions as p', 'p.status_change_id', 'h.id')
    .select(['h.subscription_id', 'h.to_status', 'h.changed_at', 'p.status_change_id as paused'])
    .where('h.subscription_id', 'in', db.selectFrom('paused_suspensions').select('subscription_id').where('subscription_id', '>=', first).where('subscription_id', '<=', last))
    .orderBy('h.subscription_id')
    .orderBy('h.id');
}

/**
 * What a batch owes, read on the run's own connection. `root` is the datastore the transaction
 * `db` belongs to: the statements are kept prepared (selectColumnsCached).
 */
export async function batchCharges(root: Db, db: Db, subs: BatchSubscription[], asOf: IsoDate, money: MoneyFormat, notBefore: IsoDate | null): Promise<NewCharge[]> {
  const reads = batchReads(db, subs, asOf);
  const [services, billed, oneTime, suspensions] = await Promise.all([
    selectColumnsCached(root, db, reads.services),
    selectColumnsCached(root, db, reads.billed),
    selectColumnsCached(root, db, reads.oneTime),
    selectColumnsCached(root, db, reads.suspensions),
  ]);
  return chargesOfBatch({ services, billed: billed.rows, oneTime: oneTime.rows, suspensions: suspensions.rows }, subs, asOf, money, notBefore);
}

/**
 * A subscription's suspended days that pause billing; a suspension still running counts up to
 * `until` (exclusive): STILL_SUSPENDED for billing ahead, today for what is owed back today.
 */
export async function pausedRangesOfSubscription(db: Db, subscriptionId: number, until: Day): Promise<DateRange[]> {
  const rows = await suspensionHistoryQuery(db, subscriptionId, subscriptionId).execute();
  if (rows.length === 0) return [];
  const history = rows.map((r) => [r.subscription_id, r.to_status, r.changed_at, r.paused]);
  return pausedRangesOf(history, until).get(subscriptionId) ?? [];
}
