import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../domain/subscription-status';
import { centsTotalText, isoDate } from './common';
import { procedure } from './procedure';

const count = z.number().int().nonnegative();
/** Totals over many subscriptions: exact integer-cents text (`CentsTotal`), past 2^53 and 2^63 alike. */
const centsTotal = centsTotalText;

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
