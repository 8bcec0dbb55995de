/**
 * What a batch of subscriptions owes as of a date, from the rows read for it (due-reads.ts): each
 * billable service with what it is already billed through, rated by the pure rules
 * (rules/charges.ts). No database here: the read-ahead worker runs it on rows it read itself.
 */
import { cents, type MoneyFormat } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import type { ServiceRow } from './due-reads';
import { type BillableService, type BillingState, type NewCharge, type RatingMethod, chargesDue } from './rules/charges';
import type { DateRange } from './rules/dates';
import { pausedRanges, STILL_SUSPENDED, type StatusChange } from './rules/suspension';

export interface BatchSubscription {
  id: number;
  billDay: number;
}

/**
 * A batch's rows as SQLite returns them raw: services by column name, then [service_id, through],
 * [service_id] and the history of suspensions that pause billing [subscription_id, to_status, changed_at, paused].
 */
export interface BatchRows {
  services: { columns: string[]; rows: unknown[][] };
  billed: unknown[][];
  oneTime: unknown[][];
  suspensions: unknown[][];
}

/** Each subscription's paused suspended days, a running suspension to `until` (rules/suspension.ts). */
export function pausedRangesOf(rows: readonly unknown[][], until: IsoDate = STILL_SUSPENDED): Map<number, DateRange[]> {
  const histories = new Map<number, StatusChange[]>();
  for (const [subscriptionId, toStatus, changedAt, paused] of rows) {
    const id = subscriptionId as number;
    const history = histories.get(id) ?? [];
    history.push({ toStatus: toStatus as string, day: (changedAt as string).slice(0, 10) as IsoDate, paused: paused !== null });
    histories.set(id, history);
  }
  const ranges = new Map<number, DateRange[]>();
  for (const [id, history] of histories) ranges.set(id, pausedRanges(history, until));
  return ranges;
}

type Column = <K extends keyof ServiceRow>(name: K) => ServiceRow[K];

export function toBillable(r: ServiceRow): BillableService {
  return billable((name) => r[name]);
}

/** A service for rating from its row's columns, read by name (an object, or an array of columns). */
function billable(col: Column): BillableService {
  const discount = col('discount_percent');
  return {
    id: col('id'),
    subscriptionId: col('subscription_id'),
    accountPackageId: col('account_package_id'),
    planId: col('plan_id'),
    description: col('description'),
    quantity: col('quantity'),
    unitPrice: cents(col('price_cents') ?? col('plan_price_cents')),
    payPeriodMonths: col('pay_period_months'),
    ratingMethod: col('rating_method') as RatingMethod,
    startDate: col('start_date') as IsoDate,
    endDate: col('end_date') as IsoDate | null,
    discount: discount ? { percent: discount, start: col('discount_start') as IsoDate | null, end: col('discount_end') as IsoDate | null } : null,
    taxRatePercent: col('rate_percent') ?? null,
  };
}

export function chargesOfBatch(rows: BatchRows, subs: BatchSubscription[], asOf: IsoDate, money: MoneyFormat, notBefore: IsoDate | null): NewCharge[] {
  const billDays = new Map(subs.map((s) => [s.id, s.billDay]));
  const through = new Map<number, IsoDate | null>();
  for (const [serviceId, end] of rows.billed) through.set(serviceId as number, end as IsoDate | null);
  const charged = new Set(rows.oneTime.map(([serviceId]) => serviceId as number));
  const paused = rows.suspensions.length ? pausedRangesOf(rows.suspensions) : null;
  const at = Object.fromEntries(rows.services.columns.map((c, i) => [c, i])) as Record<keyof ServiceRow, number>;
  const due: NewCharge[] = [];
  for (const v of rows.services.rows) {
    const service = billable((name) => v[at[name]] as never);
    const billDay = billDays.get(service.subscriptionId);
    if (billDay === undefined) continue; // a closed subscription inside the id range
    const state: BillingState = { billedThrough: through.get(service.id) ?? null, oneTimeCharged: charged.has(service.id) };
    const ranges = paused?.get(service.subscriptionId);
    if (ranges?.length) state.paused = ranges;
    for (const c of chargesDue(service, billDay, state, asOf, money, notBefore)) due.push(c);
  }
  return due;
}
