import { z } from 'zod';
import { deleted, id, isoDate, isoDateTime, pageInput, pageOf, requiredText } from './common';
import { procedure } from './procedure';
import { subscriptionStatus } from './subscribers';

/**
 * Dunning: suspension for non-payment in stages (notice → throttle → suspended) on cut-off days
 * only, exemptions, and the daily run. Money in integer minor units (`…Cents`).
 */

export const DUNNING_STAGES = ['none', 'notice', 'throttle', 'suspended'] as const;
export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const stage = z.enum(DUNNING_STAGES);
const days = z.number().int('Whole days').min(0, '0 to 365 days').max(365, '0 to 365 days');
/** A MikroTik rate limit, rx/tx: "512k/512k", "1M/1M". */
const rate = z.string().trim().regex(/^\d{1,6}[kM]?\/\d{1,6}[kM]?$/, 'Write a rate like 1M/1M or 512k/512k');

export const dunningSettingsFields = z.object({
  /** The daily job runs only when on; preview and run by hand work either way. */
  enabled: z.boolean(),
  /** Days after the due date before suspension; the billing settings' grace days (one value, kept there). */
  graceDays: days,
  minimumOverdueCents: z.number().int('Amounts are whole minor units (cents)').min(0, 'Not negative').refine(Number.isSafeInteger, 'Amount too large'),
  noCutoffWeekdays: z.array(z.enum(WEEKDAY_NAMES)).max(6, 'At least one weekday must allow a cut-off').refine((a) => new Set(a).size === a.length, 'A weekday is listed twice'),
  holidays: z.array(isoDate).max(400, 'At most 400 holidays').refine((a) => new Set(a).size === a.length, 'A holiday is listed twice'),
  /** Days after the due date for a notice; null: no notice stage. */
  noticeDays: days.nullable(),
  /** Days after the due date for throttling; null: no throttle stage. */
  throttleDays: days.nullable(),
  throttleRate: rate.nullable(),
});

export const dunningSettings = dunningSettingsFields.extend({
  /** The last day the daily job has run for. */
  lastRunDate: isoDate.nullable(),
  updatedAt: isoDateTime,
});

/** One subscription moving (or that would move) from one stage to another. */
export const dunningMove = z.object({
  subscriptionId: id,
  uniqueId: z.string(),
  name: z.string(),
  status: subscriptionStatus,
  from: stage,
  to: stage,
  overdueCents: z.number().int(),
  invoiceNumbers: z.array(z.string()),
});

export const dunningOutcome = z.object({ date: isoDate, moves: z.array(dunningMove) });

export const dunningExemption = z.object({
  id,
  subscriptionId: id,
  from: isoDate,
  until: isoDate,
  reason: z.string(),
  createdBy: z.string(),
  createdAt: isoDateTime,
});

export const dunningNotice = z.object({
  id,
  subscriptionId: id,
  date: isoDate,
  overdueCents: z.number().int(),
  invoiceNumbers: z.array(z.string()),
});

export const dunningStatus = z.object({
  subscriptionId: id,
  stage,
  since: isoDate.nullable(),
  /** Suspended by hand: dunning neither suspends nor reactivates it. */
  suspendedByHand: z.boolean(),
  overdueCents: z.number().int(),
  invoiceNumbers: z.array(z.string()),
  exemptions: z.array(dunningExemption),
  notices: z.array(dunningNotice),
  /** The next harsher stage and the day the daily job would move it there if nothing is paid; null: none ahead. */
  next: z.object({ stage, date: isoDate }).nullable(),
});

/** A notice in the list across subscriptions (to print or export a day's letters). */
export const dunningNoticeRow = dunningNotice.extend({ uniqueId: z.string(), name: z.string(), contactName: z.string() });

export const noticeRange = z
  .object({ from: isoDate, to: isoDate })
  .refine((r) => r.from <= r.to, { message: 'The range ends before it starts', path: ['to'] });

const onDate = z.object({ date: isoDate.nullish().transform((v) => v ?? null) }).default({ date: null });

export const dunningApi = {
  'dunning.settings': procedure('Dunning settings: grace, minimum overdue amount, no-cut-off days, stages before suspension.', z.object({}).default({}), dunningSettings),
  'dunning.updateSettings': procedure('Change dunning settings (grace days are the billing settings\u2019 grace days).', dunningSettingsFields.partial(), dunningSettings),
  'dunning.preview': procedure('Who would move to which dunning stage on a date (today when left out); writes nothing.', onDate, dunningOutcome),
  'dunning.run': procedure('Run the dunning stages for a date (today when left out), catching up missed days; answers what changed.', onDate, dunningOutcome),
  'dunning.status': procedure('Where a subscription stands in dunning, with its exemptions and notices.', z.object({ subscriptionId: id }), dunningStatus),
  'dunning.exempt': procedure(
    'Hold a subscription out of dunning from today until a date, for a reason.',
    z.object({ subscriptionId: id, until: isoDate, reason: requiredText(500) }),
    dunningExemption,
  ),
  'dunning.removeExemption': procedure('End an exemption today (or remove it if it started today).', z.object({ id }), deleted),
  'dunning.noticeHtml': procedure('A dunning notice as a printable letter.', z.object({ id }), z.object({ html: z.string() })),
  'dunning.notices': procedure(
    'Dunning notices dated from one day to another (both included), oldest first, paged.',
    z.object({ from: isoDate, to: isoDate, ...pageInput }).refine((r) => r.from <= r.to, { message: 'The range ends before it starts', path: ['to'] }),
    pageOf(dunningNoticeRow),
  ),
  'dunning.noticesHtml': procedure(
    'Every dunning notice dated from one day to another as one printable document, a letter a page.',
    noticeRange,
    z.object({ html: z.string(), count: z.number().int() }),
  ),
};
