import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import { contract } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { importInput, importReport } from '../../../shared/api/io';
import type { CallContext } from '../api/context';
import { fieldsOf as zodFieldsOf } from '../api/dispatch';
import { type Db, type WriteMark, writeMark } from '../db/open';
import { moneyFormat } from '../billing/settings';
import { type Cell, amountOf, choiceOf, dateOf, integerOf, normalizeName, textOf } from './cells';
import { type ColumnMapping, type FieldSpec, type ImportKind, KEY_FIELDS, autoMap, fieldsOf, headerNames } from './fields';
import { BulkSubscriptions, NeedsWrites } from './bulk';
import { type Check, compileCheck } from './checks';
import { type Refs, processRow } from './rows';
import { SheetError, sheetKindOf } from './sheet';
import { readSheetOffThread } from './io-thread';
import { finishJob, reportJob } from './progress';

export type ImportInput = z.output<typeof importInput>;
export type ImportReport = z.output<typeof importReport>;

/** The report lists this many errors; the count covers them all. */
export const MAX_LISTED_ERRORS = 1000;

/** A problem with one row, at one field (or the row as a whole). */
export interface RowProblem {
  field: string | null;
  message: string;
}

export class RowErrors extends Error {
  constructor(readonly problems: RowProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** Values of one row by field key; a field whose column is unmapped or blank is absent. */
export type RowValues = Map<string, string | number | null>;

function convert(spec: FieldSpec, cell: Cell, minorDigits: number) {
  switch (spec.type) {
    case 'text':
      return textOf(cell);
    case 'date':
      return dateOf(cell);
    case 'endDate':
      return dateOf(cell, { noEnd: true });
    case 'money':
      return amountOf(cell, minorDigits);
    case 'integer':
      return integerOf(cell);
    case 'choice':
      return choiceOf(cell, spec.choices ?? [], (spec.aliases ?? {}) as Record<string, string>);
  }
}

class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super('rolled back');
  }
}

/**
 * A clean dry run's checked rows, waiting for the apply of the same file: the wizard always runs
 * one before the other, and reading and checking the file again would give the very same rows, as
 * long as nothing was written in between (the datastore's write mark: this connection's changes and
 * other connections' commits) and it is still the same day.
 */
interface HeldDryRun {
  key: string;
  mark: WriteMark;
  day: string;
  bulk: BulkSubscriptions;
  report: ImportReport;
  timer: NodeJS.Timeout;
}
const heldDryRuns = new WeakMap<Db, HeldDryRun>();
/** How long a dry run's rows wait for their apply before their memory is given back. */
const HOLD_MS = 15 * 60_000;

/** How many applies were written from their dry run's rows (what tests and benchmarks look at). */
export const dryRunReuse = { applies: 0 };

/** What an apply must share with the dry run whose rows it writes: kind, file, mapping and key column. */
function importKey(input: ImportInput): string {
  const file = createHash('sha256').update(input.file.base64).digest('hex');
  return JSON.stringify([input.kind, input.file.name, file, input.mapping ?? null, input.keyColumn ?? null]);
}

const dayOf = (ctx: Omit<CallContext, 'db'>) => ctx.now().toISOString().slice(0, 10);
const sameMark = (a: WriteMark, b: WriteMark) => a.dataVersion === b.dataVersion && a.totalChanges === b.totalChanges;

/** Takes what an earlier dry run held (any import that follows ends the wait). */
function takeHeld(db: Db): HeldDryRun | null {
  const held = heldDryRuns.get(db) ?? null;
  if (held) {
    clearTimeout(held.timer);
    heldDryRuns.delete(db);
  }
  return held;
}

/** The datastore's write mark, read inside a transaction: the data that transaction sees. Null where there is none. */
function markOf(db: Db): WriteMark | null {
  try {
    return writeMark(db);
  } catch {
    return null;
  }
}

function hold(db: Db, held: Omit<HeldDryRun, 'timer'>): void {
  takeHeld(db);
  const timer = setTimeout(() => heldDryRuns.delete(db), HOLD_MS);
  timer.unref();
  heldDryRuns.set(db, { ...held, timer });
}

class Stale extends Error {
  constructor() {
    super('the datastore changed since the dry run');
  }
}

/** Writes a dry run's rows as the apply of the same file; null when the datastore moved on (or writing failed), for the full import. */
async function applyHeld(db: Db, held: HeldDryRun, ctx: Omit<CallContext, 'db'>): Promise<ImportReport | null> {
  if (held.day !== dayOf(ctx)) return null;
  try {
    const report = await db.transaction().execute(async (trx) => {
      // Inside the transaction: no write can come between this look and the rows written.
      const mark = markOf(db);
      if (!mark || !sameMark(held.mark, mark)) throw new Stale();
      held.bulk.adopt(ctx);
      await held.bulk.flush(trx);
      return { ...held.report, applied: true };
    });
    dryRunReuse.applies++;
    return report;
  } catch {
    // Nothing written: the import reads and checks the file afresh, and reports whatever is wrong.
    return null;
  }
}

/**
 * Runs an import inside one transaction, row by row: each row in a savepoint through the same
 * procedures the forms use (so the rules, unique indexes and address checks are exactly theirs),
 * its own failure rolled back to the savepoint and reported at its row and column. A preview then
 * rolls the whole transaction back; an apply commits only when no row failed.
 *
 * A preview of new subscriptions checks them without writing (see bulk.ts); when a row needs the
 * rows above it in the datastore, the preview starts over, writing as the apply would. A clean
 * preview keeps its checked rows for the apply of the same file (see HeldDryRun).
 */
export async function runImport(db: Db, input: ImportInput, ctx: Omit<CallContext, 'db'>, mode: 'preview' | 'apply'): Promise<ImportReport> {
  const key = importKey(input);
  const held = takeHeld(db);
  if (mode === 'apply' && held?.key === key) {
    const report = await applyHeld(db, held, ctx);
    if (report) {
      if (input.jobId) finishJob(input.jobId);
      return report;
    }
  }
  for (const check of checks.values()) check.reset();
  const attempt = async (writes: boolean) => {
    // Set inside the transaction, held once it has rolled back.
    const kept: { dryRun: Omit<HeldDryRun, 'timer'> | null } = { dryRun: null };
    try {
      return await db.transaction().execute(async (trx) => {
        const { report, reusable } = await importRows(trx, input, ctx, writes);
        if (mode === 'preview' || report.errorCount > 0) {
          // Marked inside the transaction: the data this dry run checked its rows against (it wrote none).
          const mark = mode === 'preview' && report.errorCount === 0 && reusable ? markOf(db) : null;
          if (mark && reusable) kept.dryRun = { key, mark, day: dayOf(ctx), bulk: reusable, report };
          throw new Rollback(report);
        }
        report.applied = true;
        return report;
      });
    } catch (error) {
      if (error instanceof Rollback) {
        if (kept.dryRun) hold(db, kept.dryRun);
        return error.report;
      }
      throw error;
    }
  };
  try {
    try {
      return await attempt(mode === 'apply');
    } catch (error) {
      if (error instanceof NeedsWrites) return await attempt(true);
      throw error;
    }
  } finally {
    if (input.jobId) finishJob(input.jobId);
  }
}

/** An import's report, and (from a dry run whose every row is held unwritten) the rows an apply could write as they are. */
async function importRows(db: Db, input: ImportInput, ctx: Omit<CallContext, 'db'>, writes: boolean): Promise<{ report: ImportReport; reusable: BulkSubscriptions | null }> {
  const kind: ImportKind = input.kind;
  const specs = fieldsOf(kind);
  const report: ImportReport = {
    rows: 0,
    creates: 0,
    updates: 0,
    unchanged: 0,
    errors: [],
    errorCount: 0,
    mapping: {},
    keyColumn: null,
    columns: [],
    fields: specs.map((s) => ({ key: s.key, label: s.label, required: !!s.required })),
    keyFields: [...KEY_FIELDS[kind]],
    notes: [],
    applied: false,
  };
  const fail = (row: number, column: string, message: string) => {
    report.errorCount++;
    if (report.errors.length < MAX_LISTED_ERRORS) report.errors.push({ row, column, message });
  };

  const bytes = Buffer.from(input.file.base64, 'base64');
  try {
    sheetKindOf(input.file.name, bytes);
  } catch (error) {
    if (error instanceof SheetError) return (fail(error.row, '', error.message), { report, reusable: null });
    throw error;
  }
  const { minorDigits } = await moneyFormat(db);
  const refs: Refs = await loadRefs(db);
  // New subscriptions are checked in memory and written in batches; see bulk.ts.
  const bulk = kind === 'subscriptions' ? await BulkSubscriptions.load(db, refs, ctx, { writes }) : null;
  // Started last: once the reader runs, only the loop below (which stops it when it ends) may follow.
  const reading = readSheetOffThread(input.file.name, bytes);
  let bulkBroken = false;
  /** Writes the held rows; a failure there (which the checks should have foreseen) is reported at those rows. */
  const flushBulk = async () => {
    if (!bulk || bulkBroken) return;
    if (!bulk.canWrite()) throw new NeedsWrites();
    const held = bulk.heldRows();
    try {
      await bulk.flush(db);
    } catch (error) {
      bulkBroken = true;
      fail(held?.first ?? 0, '', `Rows ${held?.first ?? '?'}–${held?.last ?? '?'} could not be written: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const total = 1000;
  const job = input.jobId;

  let columns: string[] | null = null;
  let mapping: ColumnMapping = {};
  let byColumnIndex: (FieldSpec | null)[] = [];
  const columnOfField = new Map<string, string>();
  let keyField: string | null = null;
  const seen = { logins: new Map<string, number>(), addresses: new Map<string, number>(), keys: new Map<string, number>() };
  let throughProcedures = 0;

  try {
    for await (const sheetRow of reading.rows) {
      if (columns === null) {
        columns = headerNames(sheetRow.cells);
        report.columns = columns;
        mapping = checkMapping(kind, columns, input.mapping ?? autoMap(kind, columns));
        report.mapping = mapping;
        byColumnIndex = columns.map((c) => specs.find((s) => s.key === mapping[c]) ?? null);
        for (const [column, field] of Object.entries(mapping)) if (field) columnOfField.set(field, column);
        const key = input.keyColumn ?? columnOfField.get(KEY_FIELDS[kind][0]!) ?? null;
        if (key !== null) {
          const field = mapping[key];
          if (!field || !KEY_FIELDS[kind].includes(field)) {
            throw new ApiError('validation', `The key column "${key}" must be mapped to one of: ${KEY_FIELDS[kind].map((k) => specs.find((s) => s.key === k)!.label).join(', ')}.`, { keyColumn: 'Not a key field' });
          }
          keyField = field;
          report.keyColumn = key;
        }
        // Fields every row needs (an update included); the others are checked per row, where a create needs them.
        for (const s of specs) if (s.required && (s.key === 'uniqueId' || kind === 'payments') && !columnOfField.has(s.key)) fail(1, '', `No column is mapped to ${s.label}, which is required.`);
        continue;
      }
      report.rows++;
      if (job && report.rows % 100 === 0) reportJob(job, Math.round(reading.progress() * total), total, `Checking row ${sheetRow.row}`);
      const columnName = (field: string | null) => (field ? (columnOfField.get(field) ?? '') : '');

      const values: RowValues = new Map();
      const problems: RowProblem[] = [];
      sheetRow.cells.forEach((cell, i) => {
        const spec = byColumnIndex[i];
        if (!spec || cell === null) return;
        const v = convert(spec, cell, minorDigits);
        if (!v.ok) problems.push({ field: spec.key, message: v.message });
        else if (v.value !== null) values.set(spec.key, v.value);
      });
      // Inside the file: the same login, address or key twice is an error on the later row.
      for (const [field, map] of [['login', seen.logins], ['ipv4Address', seen.addresses]] as const) {
        const v = values.get(field);
        if (typeof v !== 'string' || kind === 'devices') continue;
        const k = v.toLowerCase();
        const first = map.get(k);
        if (first !== undefined) problems.push({ field, message: `"${v}" is also on row ${first} of this file` });
        else map.set(k, sheetRow.row);
      }
      if (keyField && kind !== 'subscriptions' && kind !== 'payments') {
        const v = values.get(keyField);
        if (typeof v === 'string') {
          const first = seen.keys.get(v.toLowerCase());
          if (first !== undefined && keyField !== 'login') problems.push({ field: keyField, message: `"${v}" is also on row ${first} of this file` });
          else seen.keys.set(v.toLowerCase(), sheetRow.row);
        }
      }
      if (problems.length > 0) {
        for (const p of problems) fail(sheetRow.row, columnName(p.field), p.message);
        continue;
      }
      if (bulk && !bulkBroken && bulk.takes(values, keyField)) {
        try {
          await bulk.create(db, values, sheetRow.row);
          report.creates++;
        } catch (error) {
          for (const p of problemsOf(error)) fail(sheetRow.row, columnName(p.field), p.message);
        }
        continue;
      }
      // A row through the procedures must see every row above it written.
      throughProcedures++;
      await flushBulk();
      await sql.raw('savepoint import_row').execute(db);
      try {
        const outcome = await processRow(kind, db, values, { keyField, refs, ctx, row: sheetRow.row });
        await sql.raw('release import_row').execute(db);
        refs.commit();
        bulk?.noteWritten(values);
        report[outcome === 'create' ? 'creates' : outcome === 'update' ? 'updates' : 'unchanged']++;
      } catch (error) {
        await sql.raw('rollback to import_row').execute(db);
        await sql.raw('release import_row').execute(db);
        refs.discard();
        for (const p of problemsOf(error)) fail(sheetRow.row, columnName(p.field), p.message);
      }
    }
  } catch (error) {
    if (error instanceof SheetError) fail(error.row, '', error.message);
    else throw error;
  }
  // A run with errors, or a dry run, is rolled back: what is still held need not be written.
  if (report.errorCount === 0 && writes) await flushBulk();
  report.notes.push(...reading.notes);
  if (columns === null && report.errorCount === 0) fail(0, '', 'The file has no rows: the first row must name the columns.');
  else if (report.rows === 0 && report.errorCount === 0) fail(0, '', 'The file has a header row but no rows to import.');
  report.errors.sort((a, b) => a.row - b.row);
  if (job) reportJob(job, total, total, 'Done');
  const reusable = bulk && !bulkBroken && throughProcedures === 0 && report.rows > 0 && bulk.holdsEveryRow() ? bulk : null;
  return { report, reusable };
}

/** A mapping must name known fields, each at most once, and columns the file has. */
function checkMapping(kind: ImportKind, columns: string[], given: ColumnMapping): ColumnMapping {
  const specs = fieldsOf(kind);
  const used = new Map<string, string>();
  const mapping: ColumnMapping = {};
  for (const c of columns) mapping[c] = null;
  for (const [column, field] of Object.entries(given)) {
    if (!field) continue;
    if (!columns.includes(column)) continue; // a saved mapping may name columns this file lacks
    if (!specs.some((s) => s.key === field)) throw new ApiError('validation', `"${field}" is not a field of a ${kind} import.`, { [`mapping.${column}`]: 'Unknown field' });
    const other = used.get(field);
    if (other !== undefined) {
      const label = specs.find((s) => s.key === field)!.label;
      throw new ApiError('validation', `Columns "${other}" and "${column}" are both mapped to ${label}; map it once.`, { [`mapping.${column}`]: `${label} is already mapped` });
    }
    used.set(field, column);
    mapping[column] = field;
  }
  return mapping;
}

/** API field names (what the procedures' errors name) → the import field staff mapped a column to. */
const API_FIELD_TO_IMPORT: Record<string, string> = {
  planId: 'plan',
  routerId: 'router',
  engineerId: 'engineer',
  subscriptionId: 'uniqueId',
  contactId: 'fullName',
  organizationId: 'organization',
  priceCents: 'price',
  amountCents: 'amount',
  serviceId: 'serviceLogin',
  firstName: 'firstName',
  lastName: 'lastName',
  emails: 'email',
  phones: 'phone',
};

function importFieldOf(apiField: string): string {
  const head = apiField.split('.')[0]!;
  return API_FIELD_TO_IMPORT[head] ?? head;
}

function problemsOf(error: unknown): RowProblem[] {
  if (error instanceof RowErrors) return error.problems;
  if (error instanceof ApiError) {
    const fields = Object.entries(error.fields ?? {});
    return fields.length ? fields.map(([k, m]) => ({ field: importFieldOf(k), message: m })) : [{ field: null, message: error.message }];
  }
  if (error && typeof error === 'object' && 'issues' in error) {
    return Object.entries(zodFieldsOf(error as z.ZodError)).map(([k, m]) => ({ field: importFieldOf(k), message: m }));
  }
  throw error;
}

type Procedure = keyof typeof contract;
type InputOf<P extends Procedure> = z.output<(typeof contract)[P]['input']>;
/** Each procedure's input schema, checked column by column (see checks.ts): same rules, a fraction of the cost per row. */
const checks = new Map<Procedure, Check<unknown>>();

/** Validates a procedure's input with its contract schema, as the API would, naming each field. */
export function parseAs<P extends Procedure>(procedure: P, input: unknown): InputOf<P> {
  let check = checks.get(procedure);
  if (!check) checks.set(procedure, (check = compileCheck<unknown>(contract[procedure].input)));
  const parsed = check.check(input);
  if (!parsed.ok) throw new RowErrors(Object.entries(parsed.fields).map(([k, m]) => ({ field: importFieldOf(k), message: m })));
  return parsed.data as InputOf<P>;
}

/**
 * Look-ups by name that every row needs, loaded once. Rows stage what they add (a new
 * organization, a contact) and the stage is kept only when the row's savepoint is released.
 */
async function loadRefs(db: Db): Promise<Refs> {
  const [staff, plans, routers, contacts] = await Promise.all([
    db.selectFrom('staff').select(['id', 'name', 'active']).execute(),
    db.selectFrom('plans').select(['id', 'name', 'active', 'kind', 'pay_period_months']).execute(),
    db.selectFrom('routers').select(['id', 'name']).execute(),
    db.selectFrom('contacts').select(['id', 'first_name', 'last_name', 'emails', 'phones']).execute(),
  ]);
  const byName = <T extends { name: string }>(rows: T[]) => new Map(rows.map((r) => [normalizeName(r.name), r]));
  const maps = {
    organizations: new Map<string, number>(),
    contactsByEmail: new Map<string, number>(),
    contactsByNamePhone: new Map<string, number>(),
  };
  for (const c of contacts) {
    for (const e of JSON.parse(c.emails) as string[]) maps.contactsByEmail.set(e.toLowerCase(), c.id);
    for (const p of JSON.parse(c.phones) as string[]) maps.contactsByNamePhone.set(namePhoneKey(`${c.first_name} ${c.last_name}`, p), c.id);
  }
  for (const o of await db.selectFrom('organizations').select(['id', 'name']).execute()) maps.organizations.set(normalizeName(o.name), o.id);
  let staged: (() => void)[] = [];
  return {
    staff: byName(staff),
    plans: byName(plans),
    routers: byName(routers),
    organizations: maps.organizations,
    contactsByEmail: maps.contactsByEmail,
    contactsByNamePhone: maps.contactsByNamePhone,
    stage(map, key, value) {
      staged.push(() => map.set(key, value));
    },
    commit() {
      for (const s of staged) s();
      staged = [];
    },
    discard() {
      staged = [];
    },
  };
}

export function namePhoneKey(name: string, phone: string): string {
  return `${normalizeName(name)}|${phone.replace(/\D/g, '')}`;
}

export { reportJob };
