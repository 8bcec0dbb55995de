import type { z } from 'zod';
import { type InputOf, type ProcedureName, contract } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';

/**
 * Puts errors where the user looks: messages tied to a field of the form go to that field;
 * anything else (a business rule, a lost connection) becomes one message for an Alert above it.
 */
export interface SplitErrors {
  fields: Record<string, string>;
  message: string | null;
}

/** `phones.1` belongs to the `phones` input when the form has no input of its own for it. */
function placeField(path: string, known: readonly string[]): string | null {
  if (known.includes(path)) return path;
  const top = path.split('.')[0] ?? path;
  return known.includes(top) ? top : null;
}

function describeItem(path: string, message: string): string {
  const index = /\.(\d+)$/.exec(path);
  return index ? `Entry ${Number(index[1]) + 1}: ${message}` : message;
}

export function splitFieldErrors(fields: Record<string, string>, known: readonly string[]): { placed: Record<string, string>; rest: Record<string, string> } {
  const placed: Record<string, string> = {};
  const rest: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    const at = placeField(path, known);
    if (at) placed[at] ??= at === path ? message : describeItem(path, message);
    else rest[path] = message;
  }
  return { placed, rest };
}

export function splitApiError(error: unknown, known: readonly string[]): SplitErrors {
  if (!(error instanceof ApiError)) {
    return { fields: {}, message: error instanceof Error && error.message ? `Something went wrong: ${error.message}` : 'Something went wrong; nothing was saved.' };
  }
  if (!error.fields) return { fields: {}, message: error.message };
  const { placed, rest } = splitFieldErrors(error.fields, known);
  const leftovers = Object.entries(rest);
  if (Object.keys(placed).length === 0) return { fields: {}, message: error.message };
  return { fields: placed, message: leftovers.length ? leftovers.map(([k, v]) => `${k}: ${v}`).join('; ') : null };
}

/** Runs the contract's own input schema in the renderer, so the same rules answer before a round trip. */
export function validateWith(schema: z.ZodType, input: unknown, known: readonly string[]): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) return {};
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(input)';
    fields[key] ??= issue.message;
  }
  return splitFieldErrors(fields, known).placed;
}

/** Whether `input` is what `procedure` accepts: the contract's own schema says so, no cast needed. */
export function isInputOf<P extends ProcedureName>(procedure: P, input: unknown): input is InputOf<P> {
  return (contract[procedure].input as z.ZodType).safeParse(input).success;
}

/** The words the back end uses for input that fails the contract on fields the form does not show. */
export function describeUnplaced(schema: z.ZodType, input: unknown): string {
  const result = schema.safeParse(input);
  if (result.success) return '';
  const fields = new Map<string, string>();
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(input)';
    if (!fields.has(key)) fields.set(key, issue.message);
  }
  const entries = [...fields].slice(0, 3).map(([k, v]) => `${k}: ${v}`);
  return `Please check ${fields.size === 1 ? 'this field' : 'these fields'}: ${entries.join('; ')}${fields.size > 3 ? '; …' : ''}`;
}
