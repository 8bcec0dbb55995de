import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../domain/subscription-status';
import { isoDate } from './common';
import { procedure } from './procedure';

const count = z.number().int().nonnegative();
/** Totals in cents; exact integers (SQLite sums them as 64-bit; a number is exact to 2^53 cents). */
const centsTotal = z.number().int();

export const dashboardSummary = z.object({
  asOf: isoDate,
  subscriptionsByStatus: z.array(z.object({ status: z.enum(SUBSCRIPTION_STATUSES), count })),
  /** Recurring services of Active subscriptions, per month (a quarterly price counts a third), after discounts. */
  monthlyRecurringCents: centsTotal,
  /** The same, per plan, largest first (at most 8; the rest as "Other plans"). */
  monthlyRecurringByPlan: z.array(z.object({ plan: z.string(), cents: centsTotal })),
  overdue: z.object({ invoices: count, subscriptions: count, cents: centsTotal }),
  /** Open invoices: charges waiting for the next close to issue them. */
  toIssue: z.object({ invoices: count, cents: centsTotal }),
  scheduledChanges: z.object({ due: count, nextSevenDays: count }),
  network: z.object({ routers: count, routersOutOfSync: count, pendingChanges: count, failedChanges: count }),
});

export const dashboardApi = {
  'dashboard.summary': procedure(
    'The home page figures: subscriptions by status, monthly recurring revenue, overdue and to-issue invoices, scheduled changes due, network sync.',
    z.object({ asOf: isoDate.optional() }).default({}),
    dashboardSummary,
  ),
};
