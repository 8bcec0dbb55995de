import { sql } from 'kysely';
import type { z } from 'zod';
import type { dashboardSummary } from '../../../shared/api/dashboard';
import { type CentsTotal, compareCentsTotal, Dec, sumCentsTotal, totalFromDecimal } from '../../../shared/domain/money';
import { SUBSCRIPTION_STATUSES } from '../../../shared/domain/subscription-status';
import type { IsoDate } from '../../../shared/domain/types';
import { exactTotals } from '../db/exact-sum';
import type { Db } from '../db/open';

type Summary = z.output<typeof dashboardSummary>;

/** One group of recurring services that bill alike: few rows, however many services. */
export interface RecurringGroup {
  plan: string;
  priceCents: number;
  quantity: string;
  payPeriodMonths: number;
  discountPercent: string | null;
  services: number;
}

const TOP_PLANS = 8;

/**
 * Monthly recurring revenue from grouped services, exact: decimal.js throughout, rounded once per
 * plan to the cent by the one rounding rule (money.ts). A quarterly price counts a third per month.
 * A plan's revenue over many services is not bounded below 2^53: exact integer-cents text.
 */
export function monthlyRecurring(groups: readonly RecurringGroup[]): { totalCents: CentsTotal; byPlan: { plan: string; cents: CentsTotal }[] } {
  const perPlan = new Map<string, InstanceType<typeof Dec>>();
  for (const g of groups) {
    const monthly = new Dec(g.priceCents).times(g.quantity).times(g.services).dividedBy(g.payPeriodMonths);
    const afterDiscount = g.discountPercent ? monthly.times(new Dec(100).minus(g.discountPercent)).dividedBy(100) : monthly;
    perPlan.set(g.plan, (perPlan.get(g.plan) ?? new Dec(0)).plus(afterDiscount));
  }
  const byPlan = [...perPlan.entries()].map(([plan, d]) => ({ plan, cents: totalFromDecimal(d) })).sort((a, b) => compareCentsTotal(b.cents, a.cents) || a.plan.localeCompare(b.plan));
  const totalCents = sumCentsTotal(byPlan.map((p) => p.cents));
  if (byPlan.length <= TOP_PLANS) return { totalCents, byPlan };
  const top = byPlan.slice(0, TOP_PLANS - 1);
  const rest = sumCentsTotal(byPlan.slice(TOP_PLANS - 1).map((p) => p.cents));
  return { totalCents, byPlan: [...top, { plan: 'Other plans', cents: rest }] };
}

function addDays(day: IsoDate, n: number): IsoDate {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10) as IsoDate;
}

/**
 * The home page's figures, each one set-based query (grouped or summed in SQL), so the cost grows
 * with the index walks, not with a row-by-row loop in JavaScript. Sums are exact at any size.
 */
export async function dashboardSummaryOf(db: Db, today: IsoDate): Promise<Summary> {
  const statusRows = await db.selectFrom('subscriptions').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const byStatus = new Map(statusRows.map((r) => [r.status, Number(r.n)]));

  const { rows: groups } = await sql<RecurringGroup>`
    select p.name as plan, coalesce(sv.price_cents, p.price_cents) as priceCents, sv.quantity as quantity,
           sv.pay_period_months as payPeriodMonths,
           case when sv.discount_percent is not null
                 and (sv.discount_start is null or sv.discount_start <= ${today})
                 and (sv.discount_end is null or sv.discount_end >= ${today})
                then sv.discount_percent end as discountPercent,
           count(*) as services
      from services sv
      join subscriptions s on s.id = sv.subscription_id
      join plans p on p.id = sv.plan_id
     where sv.status = 'Active' and s.status = 'Active' and sv.rating_method = 'recurring'
       and sv.start_date <= ${today} and (sv.end_date is null or sv.end_date >= ${today})
     group by 1, 2, 3, 4, 5`.execute(db);
  const mrr = monthlyRecurring(groups);

  // Open balance of an issued invoice: its total less payments allocated, less credit memos. Summed
  // over every overdue invoice, past 2^53 and 2^63 alike: exact (db/exact-sum.ts).
  const overdue = await exactTotals(
    db,
    sql<{ k: number; v: number }>`
    select subscription_id as k, open_cents as v from (
      select i.subscription_id, i.total_cents
        - coalesce((select sum(a.amount_cents) from payment_allocations a where a.invoice_id = i.id), 0)
        + coalesce((select sum(l.amount_cents + l.tax_cents) from credit_memo_lines l join charges c on c.id = l.charge_id where c.invoice_id = i.id), 0) as open_cents
      from invoices i where i.status = 'closed' and i.due_date < ${today}
    ) where open_cents > 0`,
  );

  const toIssue = await exactTotals(db, sql<{ k: number; v: number }>`select id as k, total_cents as v from invoices where status = 'open'`);

  const weekAhead = addDays(today, 7);
  const scheduled = await db
    .selectFrom('scheduled_changes')
    .select([
      sql<number>`coalesce(sum(case when effective_date <= ${today} then 1 else 0 end), 0)`.as('due'),
      sql<number>`coalesce(sum(case when effective_date > ${today} and effective_date <= ${weekAhead} then 1 else 0 end), 0)`.as('soon'),
    ])
    .where('state', '=', 'pending')
    .where('effective_date', '<=', weekAhead)
    .executeTakeFirstOrThrow();

  // A router is out of sync while it has changes queued or failed, or was unreachable last time.
  const network = await sql<{ routers: number; out_of_sync: number; pending: number; failed: number }>`
    select (select count(*) from routers) as routers,
           (select count(*) from (
              select router_id from network_outbox
              union select router_id from network_failures
              union select router_id from network_router_state where reachable = 0)) as out_of_sync,
           (select count(*) from network_outbox) as pending,
           (select count(*) from network_failures) as failed`.execute(db);
  const n = network.rows[0]!;

  return {
    asOf: today,
    subscriptionsByStatus: SUBSCRIPTION_STATUSES.map((status) => ({ status, count: byStatus.get(status) ?? 0 })),
    monthlyRecurringCents: mrr.totalCents,
    monthlyRecurringByPlan: mrr.byPlan,
    overdue: { invoices: overdue.rows, subscriptions: overdue.keys, cents: overdue.sum },
    toIssue: { invoices: toIssue.rows, cents: toIssue.sum },
    scheduledChanges: { due: Number(scheduled.due), nextSevenDays: Number(scheduled.soon) },
    network: { routers: Number(n.routers), routersOutOfSync: Number(n.out_of_sync), pendingChanges: Number(n.pending), failedChanges: Number(n.failed) },
  };
}
