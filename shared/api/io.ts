import { z } from 'zod';
import { deleted, id, isoDate, requiredText } from './common';
import { procedure } from './procedure';

/**
 * Import from spreadsheets and export of lists. Files travel as `{ name, base64 }`.
 * An import is previewed (a dry run that writes nothing) and then applied all or nothing.
 */

export const IMPORT_KINDS = ['subscriptions', 'services', 'devices', 'payments'] as const;
export const EXPORT_LISTS = ['subscriptions', 'services', 'devices', 'invoices', 'payments', 'aging', 'ipAllocations', 'dunningNotices'] as const;
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;

/** About 75 MB of spreadsheet: far past a 100,000-row workbook. */
export const MAX_FILE_BASE64 = 100_000_000;

/** Procedures whose input carries a spreadsheet: a transport takes bodies up to MAX_FILE_BASE64 for them. */
export const FILE_PROCEDURES: readonly string[] = ['imports.preview', 'imports.apply'];

export const fileBody = z.object({
  name: requiredText(255),
  base64: z.string().max(MAX_FILE_BASE64, 'The file is too large (75 MB at most)').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64 data'),
});

/** Column header → field key (null: the column is not imported). */
export const columnMapping = z.record(z.string().max(300), z.string().max(60).nullable());

export const importInput = z.object({
  kind: z.enum(IMPORT_KINDS),
  file: fileBody,
  mapping: columnMapping.optional(),
  /** The column whose value finds the record to update; default: the Unique ID column (login for services…). */
  keyColumn: z.string().max(300).nullish(),
  /** Chosen by the caller, to ask `imports.progress` how far the work is. */
  jobId: z.string().max(64).optional(),
});

export const importError = z.object({
  /** The row number as the spreadsheet program shows it (1 is the header row; 0: the file as a whole). */
  row: z.number().int(),
  /** The column's header, or '' when the problem is not one column's. */
  column: z.string(),
  message: z.string(),
});

export const importReport = z.object({
  rows: z.number().int(),
  creates: z.number().int(),
  updates: z.number().int(),
  /** Rows that match what is already stored (payments recorded before). */
  unchanged: z.number().int(),
  /** The first errors (at most 1,000), in row order; `errorCount` counts them all. */
  errors: z.array(importError),
  errorCount: z.number().int(),
  mapping: columnMapping,
  keyColumn: z.string().nullable(),
  /** The file's columns in order. */
  columns: z.array(z.string()),
  /** The fields this kind of import fills, for the mapping step. */
  fields: z.array(z.object({ key: z.string(), label: z.string(), required: z.boolean() })),
  keyFields: z.array(z.string()),
  notes: z.array(z.string()),
  /** True only when imports.apply wrote the rows. */
  applied: z.boolean(),
});

export const fileOut = z.object({ name: z.string(), base64: z.string() });

export const exportFilter = z
  .object({
    query: z.string().trim().max(100).optional(),
    status: z.string().max(40).optional(),
    engineerId: id.optional(),
    sortBy: z.string().max(40).optional(),
    sortDirection: z.enum(['asc', 'desc']).optional(),
    subscriptionId: id.optional(),
    networkId: id.optional(),
    asOf: isoDate.optional(),
    /** A date range (both days included): dunning notices dated in it. */
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

export const savedMapping = z.object({ id, name: z.string(), kind: z.enum(IMPORT_KINDS), mapping: columnMapping, keyColumn: z.string().nullable(), updatedAt: z.string() });

export const ioApi = {
  'imports.preview': procedure('Dry run of an import: what would be created and updated, and every error by row and column. Writes nothing.', importInput, importReport),
  'imports.apply': procedure('Import every row in one transaction, or nothing when any row has an error.', importInput, importReport),
  'imports.progress': procedure(
    'How far a running preview or apply is (by the jobId it was given).',
    z.object({ jobId: z.string().max(64) }),
    z.object({ done: z.number().int(), total: z.number().int(), phase: z.string() }).nullable(),
  ),
  'imports.template': procedure('An XLSX template for an import kind: headers, a sample row, lists of statuses and plans.', z.object({ kind: z.enum(IMPORT_KINDS) }), fileOut),
  'imports.reportFile': procedure(
    'A dry-run report as an XLSX file: the counts and every error at its row and column.',
    z.object({ kind: z.enum(IMPORT_KINDS), fileName: z.string().max(255), report: importReport }),
    fileOut,
  ),
  'imports.mappings.list': procedure('Saved column mappings, by name.', z.object({ kind: z.enum(IMPORT_KINDS).optional() }).default({}), z.array(savedMapping)),
  'imports.mappings.save': procedure(
    'Save a column mapping under a name (replacing one of the same name and kind).',
    z.object({ name: requiredText(100), kind: z.enum(IMPORT_KINDS), mapping: columnMapping, keyColumn: z.string().max(300).nullish() }),
    savedMapping,
  ),
  'imports.mappings.delete': procedure('Delete a saved column mapping.', z.object({ id }), deleted),
  'exports.file': procedure(
    'A list as CSV or XLSX: typed cells, headers as on screen, frozen header and filter in XLSX, formulas neutralised.',
    z.object({ list: z.enum(EXPORT_LISTS), format: z.enum(EXPORT_FORMATS), filter: exportFilter.optional() }),
    fileOut,
  ),
};
