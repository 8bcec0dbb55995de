import { z } from 'zod';
import { id, isoDate, isoDateTime } from './common';
import { procedure } from './procedure';

/**
 * Usage accounting: bytes per service per day and hour (UTC), counted from RADIUS accounting and
 * RouterOS counters; who is online; how long usage is kept. Download is what the subscriber
 * received, upload what it sent.
 */

const bytes = z.number().int().min(0);
/** The longest range one graph asks for: two years and a day. */
export const USAGE_MAX_DAYS = 732;

export const usageDay = z.object({ day: isoDate, downloadBytes: bytes, uploadBytes: bytes });
export const usageHour = z.object({ hour: isoDateTime, downloadBytes: bytes, uploadBytes: bytes });

const dayRange = z
  .object({ serviceId: id, from: isoDate, to: isoDate })
  .refine((r) => r.from <= r.to, { message: 'The range ends before it starts', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) < USAGE_MAX_DAYS * 86_400_000, { message: `At most ${USAGE_MAX_DAYS} days`, path: ['to'] });

export const usageDaily = z.object({
  serviceId: id,
  from: isoDate,
  to: isoDate,
  /** Every day of the range, oldest first; days without traffic hold zeros. */
  days: z.array(usageDay),
  downloadBytes: bytes,
  uploadBytes: bytes,
});

export const usageServiceMonth = z.object({
  serviceId: id,
  login: z.string().nullable(),
  planName: z.string().nullable(),
  downloadBytes: bytes,
  uploadBytes: bytes,
  /** The plan's monthly data cap in bytes (download + upload count), or null: none. */
  capBytes: bytes.nullable(),
});

export const usageMonth = z.object({
  subscriptionId: id,
  /** The calendar month (UTC) counted: its first and last day. */
  from: isoDate,
  to: isoDate,
  downloadBytes: bytes,
  uploadBytes: bytes,
  services: z.array(usageServiceMonth),
});

export const usagePresence = z.object({
  serviceId: id,
  online: z.boolean(),
  /** When the session online now started. */
  onlineSince: isoDateTime.nullable(),
  /** When the NAS or router last reported this service (online now, or its last session). */
  lastSeenAt: isoDateTime.nullable(),
});

export const usageSettingsFields = z.object({
  /** Days hourly figures are kept (the hourly view of a day). */
  hourlyDays: z.number().int('Whole days').min(1, '1 to 366 days').max(366, '1 to 366 days'),
  /** Days daily figures are kept (graphs, month totals). */
  dailyDays: z.number().int('Whole days').min(31, '31 to 3660 days').max(3660, '31 to 3660 days'),
  /** Days ended sessions are kept in the session history. */
  sessionDays: z.number().int('Whole days').min(1, '1 to 3660 days').max(3660, '1 to 3660 days'),
  /** Hours after which an online session nobody reports on is taken as ended (its Stop was lost). */
  staleSessionHours: z.number().int('Whole hours').min(1, '1 to 720 hours').max(720, '1 to 720 hours'),
  /** Minutes between polls of the routers whose usage comes from their RouterOS API. */
  routerosPollMinutes: z.number().int('Whole minutes').min(1, '1 to 1440 minutes').max(1440, '1 to 1440 minutes'),
});

export const usageSettings = usageSettingsFields.extend({ lastCleanupAt: isoDateTime.nullable(), updatedAt: isoDateTime });

const kbps = z.number().int('Whole kbit/s').min(1, 'At least 1 kbit/s').max(100_000_000, 'At most 100 Gbit/s');

/** A plan's monthly data cap (download + upload) and what reaching it does until the next month. */
export const planCapFields = z
  .object({
    capGb: z.number().int('Whole GB').min(1, '1 to 1,000,000 GB').max(1_000_000, '1 to 1,000,000 GB'),
    action: z.enum(['disable', 'throttle']),
    /** The throttle action's speeds; ignored for disable. */
    throttleDownloadKbps: kbps.nullable().default(null),
    throttleUploadKbps: kbps.nullable().default(null),
  })
  .refine((c) => c.action !== 'throttle' || c.throttleDownloadKbps !== null, { message: 'A throttle needs its download speed', path: ['throttleDownloadKbps'] })
  .refine((c) => c.action !== 'throttle' || c.throttleUploadKbps !== null, { message: 'A throttle needs its upload speed', path: ['throttleUploadKbps'] });

export const planCap = z.object({
  planId: id,
  capGb: z.number().int(),
  action: z.enum(['disable', 'throttle']),
  throttleDownloadKbps: z.number().int().nullable(),
  throttleUploadKbps: z.number().int().nullable(),
  updatedAt: isoDateTime,
});

/** One time a service reached its cap: the action, and when it was lifted. */
export const capActionRow = z.object({
  id,
  serviceId: id,
  /** `YYYY-MM`, the calendar month (UTC) whose usage reached the cap. */
  period: z.string(),
  action: z.enum(['disable', 'throttle']),
  /** `upload/download` as RouterOS writes it; null for disable. */
  throttleRate: z.string().nullable(),
  usedBytes: bytes,
  capBytes: bytes,
  appliedAt: isoDateTime,
  liftedAt: isoDateTime.nullable(),
  liftReason: z.string().nullable(),
});

export const capRunResult = z.object({
  day: isoDate,
  applied: z.array(z.object({ serviceId: id, action: z.enum(['disable', 'throttle']) })),
  lifted: z.array(z.object({ serviceId: id, action: z.enum(['disable', 'throttle']), reason: z.string() })),
  failed: z.array(z.object({ serviceId: id, message: z.string() })),
});

export const usageApi = {
  'usage.daily': procedure('A service\'s download and upload bytes per day (UTC) from one date to another, every day listed.', dayRange, usageDaily),
  'usage.hourly': procedure(
    'A service\'s download and upload bytes per hour (UTC) of one day, 24 hours listed (kept for the last days only: see usage.settings).',
    z.object({ serviceId: id, day: isoDate }),
    z.object({ serviceId: id, day: isoDate, hours: z.array(usageHour) }),
  ),
  'usage.month': procedure(
    'A subscription\'s usage in a calendar month (the current one unless a day in another is given): per service, with its plan\'s data cap.',
    z.object({ subscriptionId: id, day: isoDate.optional() }),
    usageMonth,
  ),
  'usage.presence': procedure(
    'Online now and last seen, per service.',
    z.object({ serviceIds: z.array(id).max(500, 'At most 500 services at once') }),
    z.array(usagePresence),
  ),
  'usage.settings': procedure('How long usage figures and sessions are kept.', z.object({}).default({}), usageSettings),
  'usage.updateSettings': procedure('Change how long usage figures and sessions are kept; the daily cleanup applies it.', usageSettingsFields.partial(), usageSettings),
  'usage.planCap': procedure('A plan\'s monthly data cap, or null: none.', z.object({ planId: id }), planCap.nullable()),
  'usage.setPlanCap': procedure(
    'Set a plan\'s monthly data cap and its action (Disabled, or throttled to a speed until the next month), or remove it (null).',
    z.object({ planId: id, cap: planCapFields.nullable() }),
    planCap.nullable(),
  ),
  'usage.capActions': procedure('A service\'s data cap history, newest first.', z.object({ serviceId: id }), z.array(capActionRow)),
  'usage.applyCaps': procedure('Apply and lift data cap actions now (the cap job does this every 15 minutes); answers what changed.', z.object({}).default({}), capRunResult),
};
