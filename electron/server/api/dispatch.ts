import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { contract, isProcedureName, type ProcedureName } from '../../../shared/api/contract';
import { ApiError, type Envelope } from '../../../shared/api/errors';
import { AmountTooLargeError } from '../../../shared/domain/money';
import { constraintViolation, isBusy } from '../db/errors';
import { type Db, durableTransaction } from '../db/open';
import type { SecretBox } from '../platform/secrets';
import type { Actor, CallContext } from './context';
import type { AllHandlers, Handler } from './handlers';

/** Zod issues → `{ "phones.1": "Not a valid …" }`, so the form can show each at its field. */
export function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(input)';
    fields[key] ??= issue.message;
  }
  return fields;
}

function describeFields(fields: Record<string, string>): string {
  const entries = Object.entries(fields);
  const shown = entries.slice(0, 3).map(([k, v]) => `${k}: ${v}`).join('; ');
  return `Please check ${entries.length === 1 ? 'this field' : 'these fields'}: ${shown}${entries.length > 3 ? '; …' : ''}`;
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) {
    const fields = fieldsOf(error);
    return new ApiError('validation', describeFields(fields), fields);
  }
  if (error instanceof AmountTooLargeError) {
    return new ApiError('refused', 'A total here is larger than Towerline can add up exactly (2^53 minor units, about 90 trillion in a two-decimal currency); look for amounts entered in error.');
  }
  const violation = constraintViolation(error);
  if (violation?.kind === 'unique') {
    return new ApiError('conflict', `Another record already uses this ${violation.columns.join(', ')}.`, Object.fromEntries(violation.columns.map((c) => [c, 'Already in use'])));
  }
  if (violation?.kind === 'raised') return new ApiError(violation.code, violation.message, { [violation.field]: violation.message });
  if (violation?.kind === 'foreign_key') return new ApiError('refused', 'This record is still referenced elsewhere, or refers to something that does not exist.');
  if (violation) return new ApiError('refused', `The database refused the change (${'detail' in violation ? violation.detail : violation.kind}).`);
  if (isBusy(error)) return new ApiError('conflict', 'The datastore is busy with another change; please try again.');
  // The id goes to the log and into the answer, so what a user reports can be found in the log.
  const errorId = randomBytes(4).toString('hex');
  console.error(`[towerline] internal error ${errorId}`, error);
  return new ApiError('internal', `Something went wrong inside Towerline; the change was not saved (error id ${errorId}).`);
}

export interface DispatcherOptions {
  db: Db;
  handlers: AllHandlers;
  secrets: SecretBox;
  now?: () => Date;
  /** Procedures that manage their own transactions (long batched work such as billing runs). */
  selfTransacting?: ReadonlySet<ProcedureName>;
  /** Check every output against the contract too (on in tests, off in production for speed). */
  checkOutputs?: boolean;
  /**
   * Procedures that never touch the datastore (progress of long work): run without a transaction
   * or the actor's look-up, so they answer while a long command holds the connection.
   */
  detached?: ReadonlySet<ProcedureName>;
}

export interface CallOptions {
  /** The staff member at the keyboard, if the transport knows. */
  staffId?: number | null;
  progress?: CallContext['progress'];
}

export type Dispatch = (procedure: string, input: unknown, options?: CallOptions) => Promise<Envelope<unknown>>;

/**
 * The single entry point of the back end, shared by every transport: validates the input against
 * the contract, runs the handler inside one transaction (all or nothing), and answers in an envelope.
 */
export function createDispatcher(options: DispatcherOptions): Dispatch {
  const { db, handlers, secrets, now = () => new Date(), selfTransacting = new Set(), checkOutputs = false, detached = new Set() } = options;

  async function actorFor(staffId: number | null | undefined): Promise<Actor> {
    if (!staffId) return { staffId: null, name: 'Office' };
    const staff = await db.selectFrom('staff').select(['id', 'name']).where('id', '=', staffId).executeTakeFirst();
    return staff ? { staffId: staff.id, name: staff.name } : { staffId: null, name: 'Office' };
  }

  return async (procedure, rawInput, callOptions = {}) => {
    try {
      if (!isProcedureName(procedure)) throw new ApiError('unknown_procedure', `There is no procedure called "${procedure}".`);
      const spec = contract[procedure];
      const parsed = spec.input.safeParse(rawInput);
      if (!parsed.success) throw parsed.error;
      const handler = handlers[procedure] as Handler<ProcedureName>;
      const actor = detached.has(procedure) ? { staffId: null, name: 'Office' } : await actorFor(callOptions.staffId);
      const base = { actor, now, secrets, progress: callOptions.progress ?? (() => {}) };
      const value = selfTransacting.has(procedure) || detached.has(procedure)
        ? await handler(parsed.data as never, { ...base, db })
        : await durableTransaction(db, (trx) => handler(parsed.data as never, { ...base, db: trx }));
      if (checkOutputs) {
        const out = spec.output.safeParse(value);
        if (!out.success) {
          console.error(`[towerline] ${procedure} answered outside its contract`, out.error.issues);
          throw new ApiError('internal', `${procedure} answered outside its contract.`);
        }
      }
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toApiError(error).toBody() };
    }
  };
}

/** The contract as JSON Schema, for `GET /api`. */
export function describeContract() {
  return Object.entries(contract).map(([name, p]) => ({
    name,
    summary: p.summary,
    input: z.toJSONSchema(p.input, { io: 'input', unrepresentable: 'any' }),
  }));
}
