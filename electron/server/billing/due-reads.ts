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
import { type BatchRows, type BatchSubscription, chargesOfBatch } from './due';
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
  };
}

/**
 * What a batch owes, read on the run's own connection. `root` is the datastore the transaction
 * `db` belongs to: the statements are kept prepared (selectColumnsCached).
 */
export async function batchCharges(root: Db, db: Db, subs: BatchSubscription[], asOf: IsoDate, money: MoneyFormat, notBefore: IsoDate | null): Promise<NewCharge[]> {
  const reads = batchReads(db, subs, asOf);
  const [services, billed, oneTime] = await Promise.all([
    selectColumnsCached(root, db, reads.services),
    selectColumnsCached(root, db, reads.billed),
    selectColumnsCached(root, db, reads.oneTime),
  ]);
  return chargesOfBatch({ services, billed: billed.rows, oneTime: oneTime.rows }, subs, asOf, money, notBefore);
}
