import { z } from 'zod';

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

export const isoDate = z
  .string({ error: 'Required' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'Not a real calendar date');

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
