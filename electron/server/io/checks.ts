import { z } from 'zod';

/**
 * A contract input schema checked one column at a time, for imports that check the same schema on
 * thousands of rows. The rules are the schema's own: each field's zod schema judges its value and
 * words its messages. What changes is the cost per row:
 *  - a field the row leaves out answers what it answered the first time (its default, or its
 *    "Required"), without running again;
 *  - a field whose value repeats (a status, a plan's id, a common date) answers from a small memo of
 *    the values that passed.
 * The object layer follows zod's (key order, absent versus undefined, defaults, unknown keys dropped);
 * checks.test.ts holds it to `safeParse` of the same schema on generated rows, good and bad.
 * A schema this cannot take apart (not a plain object, object-level checks, a catchall) is parsed whole.
 */

type Primitive = string | number | boolean | null;

/** Values memoized per column: plenty for statuses, plans, dates; bounded for columns that never repeat. */
const MEMO_PER_COLUMN = 2048;

/** What `zod`'s own error fields would say: the first message at each dotted path. */
export type FieldMessages = Record<string, string>;

export type CheckResult<T> = { ok: true; data: T } | { ok: false; fields: FieldMessages };

function isPrimitive(v: unknown): v is Primitive {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function messagesOf(issues: readonly z.core.$ZodIssue[], into: FieldMessages, prefix: string | null): void {
  for (const issue of issues) {
    const path = prefix === null ? issue.path.map(String) : [prefix, ...issue.path.map(String)];
    const key = path.length ? path.join('.') : '(input)';
    into[key] ??= issue.message;
  }
}

/** What a field contributes when the row leaves its key out, worked out once. */
type Absent =
  | { kind: 'nothing' }
  | { kind: 'issues'; issues: readonly z.core.$ZodIssue[] }
  | { kind: 'value'; value: unknown }
  /** A default that is an object or array: made afresh for each row, as zod does. */
  | { kind: 'fresh' };

interface Column {
  key: string;
  schema: z.ZodType;
  absent: Absent;
  memo: Map<Primitive, unknown>;
}

export interface Check<T> {
  check(input: unknown): CheckResult<T>;
  /** Forgets memoized values (an import starts afresh). */
  reset(): void;
}

function whole<T>(schema: z.ZodType<T>): Check<T> {
  return {
    check(input) {
      const r = schema.safeParse(input);
      if (r.success) return { ok: true, data: r.data };
      const fields: FieldMessages = {};
      messagesOf(r.error.issues, fields, null);
      return { ok: false, fields };
    },
    reset() {},
  };
}

function absentOf(key: string, schema: z.ZodType, issuesOfEmpty: readonly z.core.$ZodIssue[]): Absent {
  const { optin, optout } = schema._zod;
  // As zod's handlePropertyResult for a key not in the input.
  if (optin === 'optional' && optout === 'optional') return { kind: 'nothing' };
  const r = schema.safeParse(undefined);
  if (!r.success) {
    if (optin !== undefined && optout === 'optional') return { kind: 'nothing' };
    return { kind: 'issues', issues: issuesOfEmpty.filter((i) => i.path[0] === key) };
  }
  if (optin === undefined) return { kind: 'issues', issues: issuesOfEmpty.filter((i) => i.path[0] === key) };
  if (r.data === undefined) return optin === 'defaulted' && optout !== 'optional' ? { kind: 'value', value: undefined } : { kind: 'nothing' };
  return isPrimitive(r.data) ? { kind: 'value', value: r.data } : { kind: 'fresh' };
}

export function compileCheck<T>(schema: z.ZodType<T>): Check<T> {
  const fallback = whole(schema);
  const object: unknown = schema;
  if (!(object instanceof z.ZodObject)) return fallback;
  const def = object.def;
  if (def.catchall !== undefined || (def.checks?.length ?? 0) > 0) return fallback;
  const shape = object.shape as Record<string, z.ZodType>;
  // The messages zod words for keys left out (its "Required"s), taken from zod itself.
  const empty = object.safeParse({});
  const issuesOfEmpty = empty.success ? [] : empty.error.issues;
  const columns: Column[] = Object.keys(shape)
    .filter((key) => key !== '__proto__')
    .map((key) => ({ key, schema: shape[key]!, absent: absentOf(key, shape[key]!, issuesOfEmpty), memo: new Map() }));

  return {
    check(input) {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return fallback.check(input);
      const row = input as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      let fields: FieldMessages | null = null;
      for (const c of columns) {
        if (!(c.key in row)) {
          const a = c.absent;
          if (a.kind === 'value') out[c.key] = a.value;
          else if (a.kind === 'issues') messagesOf(a.issues, (fields ??= {}), null);
          else if (a.kind === 'fresh') {
            const r = c.schema.safeParse(undefined);
            if (r.success) out[c.key] = r.data;
            else messagesOf(r.error.issues, (fields ??= {}), c.key);
          }
          continue;
        }
        const value = row[c.key];
        if (isPrimitive(value) && c.memo.has(value)) {
          out[c.key] = c.memo.get(value);
          continue;
        }
        const r = c.schema.safeParse(value);
        if (!r.success) {
          messagesOf(r.error.issues, (fields ??= {}), c.key);
          continue;
        }
        out[c.key] = r.data;
        if (isPrimitive(value) && (r.data === undefined || isPrimitive(r.data)) && c.memo.size < MEMO_PER_COLUMN) c.memo.set(value, r.data);
      }
      return fields ? { ok: false, fields } : { ok: true, data: out as T };
    },
    reset() {
      for (const c of columns) c.memo.clear();
    },
  };
}
