import { z } from 'zod';
import { CENTS_TOTAL_PATTERN, type CentsTotal } from '../domain/money';

/** Building blocks shared by every area's contract. */

/** Missing and mistyped values get different messages: "Required" reads better on an empty field. */
export const requiredMessage = (what: string) => (issue: { input: unknown }) => (issue.input === undefined || issue.input === null ? 'Required' : what);

export const id = z.number({ error: requiredMessage('Must be a number') }).int('Must be a whole number').positive('Must be a positive id');

/** Required text: trimmed, not empty. */
export const requiredText = (max = 200) =>
  z.string({ error: requiredMessage('Must be text') }).trim().min(1, 'Required').max(max, `At most ${max} characters`);

/** Optional text: trimmed; blank becomes null so storage never holds empty strings. */
export const optionalText = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .nullish()
    .transform((s) => (s ? s : null));

/**
 * The dates Towerline accepts, from forms, the API and imports alike: 1900-01-01 to 2199-12-31.
 * "No end" is null, never a far-off sentinel date (see {@link openEndDate} for imports).
 */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '2199-12-31';
const DATE_RANGE_MESSAGE = `Use a date from ${MIN_DATE} to ${MAX_DATE}`;

export const isoDate = z
  .string({ error: 'Required' })
  // abort: the checks after it assume the shape (zod 4 runs every check unless one aborts).
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Use a date as YYYY-MM-DD', abort: true })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    },
    { message: 'Not a real calendar date', abort: true },
  )
  .refine((s) => s >= MIN_DATE && s <= MAX_DATE, DATE_RANGE_MESSAGE);

/**
 * An end date as spreadsheets and other systems write it, for imports: blank, `9999-12-31`,
 * `2999-12-31`, `0000-00-00` and any other date past {@link MAX_DATE} mean "no end" (null).
 * Anything else is returned as given, for {@link isoDate} to judge.
 */
export function openEndDate(text: string | null | undefined): string | null {
  const t = (text ?? '').trim();
  if (t === '' || /^0{4}-0{2}-0{2}$/.test(t)) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t) && t > MAX_DATE) return null;
  return t;
}

// --- Amounts ---------------------------------------------------------------------------------

/**
 * The largest amount any money field accepts, in minor units: 1,000,000,000.00 with two decimals.
 * With quantities of at most MAX_QUANTITY and tax of at most 100%, one invoice line and its tax come
 * to at most 2 × 10^13 minor units, and a subscription billed the maximum of every field each month
 * for ten years still totals below 2^53, the largest whole number a JavaScript number holds exactly.
 * Sums are formed with decimal arithmetic; one that would pass 2^53 is refused, never rounded
 * (README, "Limits and bounds"; proven in billing/rules/bounds.test.ts).
 */
export const MAX_AMOUNT_CENTS = 100_000_000_000;
/** The largest quantity of a service or charge line. */
export const MAX_QUANTITY = 100;

type AmountSign = 'positive' | 'zeroOrMore';

const amountRange = (max: number) => `${(max / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;

/**
 * An amount in minor units with its field's sign rule: `positive` (payments, refunds, credited
 * amounts) or `zeroOrMore` (prices, fees, manual charges). No money field takes a negative amount:
 * what reduces a balance is a document of its own (credit memo, payment).
 */
export function amountCents(sign: AmountSign, max = MAX_AMOUNT_CENTS) {
  const tooLarge = `At most ${amountRange(max)} (in minor units: ${max})`;
  // Range before wholeness: zod's int() also refuses unsafe integers, and "At most …" is the message that helps.
  const number = z.number({ error: requiredMessage('Must be an amount in cents') }).max(max, tooLarge);
  const signed = sign === 'zeroOrMore' ? number.min(0, 'Cannot be negative') : number.min(1, 'Must be more than zero');
  return signed.int('Must be whole cents');
}

/** A number as exact decimal text checked by a pattern first: nothing builds a Decimal from text that failed it. */
const DECIMAL_TEXT_ONLY = /^\d+(\.\d+)?$/;

/** A percentage as exact decimal text ("7.25"), 0 to 100, normalized ("8.250" → "8.25"). */
export const percentText = z
  .string({ error: requiredMessage('Must be a percentage as text, like "7.25"') })
  .trim()
  .regex(/^\d{1,3}(\.\d{1,6})?$/, { message: 'Write a percentage like 20 or 7.25', abort: true })
  .refine((t) => DECIMAL_TEXT_ONLY.test(t) && Number(t) <= 100, 'At most 100%')
  .transform((t) => normalizeDecimalText(t));

/** "8.250" → "8.25", "007" → "7", "1.0" → "1": the canonical text of a decimal the pattern accepted. */
export function normalizeDecimalText(t: string): string {
  const [whole, fraction = ''] = t.split('.');
  const w = whole!.replace(/^0+(?=\d)/, '');
  const f = fraction.replace(/0+$/, '');
  return f ? `${w}.${f}` : w;
}

/** A quantity as exact decimal text ("1", "2.5"): more than zero, at most {@link MAX_QUANTITY}, 4 decimals. */
export const quantityText = z
  .union([z.string(), z.number()], { error: requiredMessage('Quantity is a number above 0, like 1 or 2.5') })
  .transform((v) => String(v).trim())
  .refine((t) => /^\d{1,9}(\.\d{1,4})?$/.test(t) && /[1-9]/.test(t), { message: 'Quantity is a number above 0, like 1 or 2.5', abort: true })
  .refine((t) => Number(t) <= MAX_QUANTITY, `At most ${MAX_QUANTITY.toLocaleString('en-US')}`)
  .transform((t) => normalizeDecimalText(t));

export const isoDateTime = z.string();

export const pageInput = {
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
};

export const sortDirection = z.enum(['asc', 'desc']).default('asc');

export function pageOf<T extends z.ZodType>(row: T) {
  return z.object({ rows: z.array(row), total: z.number().int() });
}

export const deleted = z.object({ deleted: z.literal(true) });

/**
 * The fields of an edit: every field optional, and defaults dropped. zod 4 applies a field's
 * default even inside `.partial()`, which would silently reset (say) a status on every edit.
 */
export function patchOf<T extends z.ZodRawShape>(fields: z.ZodObject<T>) {
  const shape = Object.fromEntries(Object.entries(fields.shape).map(([k, v]) => [k, ((v instanceof z.ZodDefault ? v.unwrap() : v) as z.ZodType).optional()]));
  return shape as unknown as { [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer I> ? I : T[K]> };
}

/**
 * A total across subscriptions in minor units as integer decimal text (`CentsTotal`): such a sum is
 * not bounded below 2^53, so it travels as exact text and is formatted with `formatMoney`.
 */
export const centsTotalText = z
  .string()
  .regex(CENTS_TOTAL_PATTERN, 'A total in cents is whole-number text')
  .transform((v) => v as CentsTotal);
