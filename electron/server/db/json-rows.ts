import { type CompiledQuery, type Kysely, sql } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Inserts many rows with one short statement: the rows travel as a single JSON text parameter and
 * SQLite's json_each unpacks them. A multi-row VALUES insert with thousands of bound parameters
 * costs more to compile and prepare than to run; this keeps bulk writes (billing runs) near the
 * speed of SQLite itself. Values must be text, integers or null (what STRICT tables hold).
 */
export async function insertJsonRows<R extends Record<string, string | number | null>>(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  rows: readonly R[],
  returning: readonly string[] = [],
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  return insertJsonArrays(db, table, columns, rows.map((r) => columns.map((c) => r[c] ?? null)), returning);
}

/**
 * As `insertJsonRows`, with each row given as its values in the order of `columns`: a bulk writer
 * that builds the values anyway is spared an object per row.
 */
export async function insertJsonArrays(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  columns: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
  returning: readonly string[] = [],
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const packed = JSON.stringify(rows);
  const values = columns.map((_, i) => sql`value ->> ${sql.lit(i)}`);
  const returned = returning.length ? sql` returning ${sql.join(returning.map((c) => sql.ref(c)))}` : sql``;
  // jsonb_each parses the text once into SQLite's binary JSON, so each `value ->> i` reads its row
  // without parsing it again: on a table of 30 columns, nearly half the cost of the insert.
  const result = await sql<Record<string, unknown>>`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) select ${sql.join(values)} from jsonb_each(${packed}) order by key${returned}`.execute(db);
  return result.rows;
}

/**
 * As `insertJsonArrays` into a rowid table, answering the new rows' ids in the order of `rows`
 * without RETURNING (which costs a sixth of a wide insert). SQLite numbers each new row above every
 * rowid before it (one above the largest, or above an AUTOINCREMENT table's high-water mark), so rows
 * inserted in order take ascending ids, all above the old largest: exactly n rows above it, with no
 * gap between the first and the last, proves which ids they took (else this refuses).
 */
export async function insertJsonArraysForIds(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  columns: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const { rows: [top] } = await sql<{ id: number | null }>`select max(rowid) as id from ${sql.table(table)}`.execute(db);
  const before = Number(top?.id ?? 0);
  await insertJsonArrays(db, table, columns, rows);
  const { rows: [added] } = await sql<{ n: number; first: number | null; last: number | null }>`select count(*) as n, min(rowid) as first, max(rowid) as last from ${sql.table(table)} where rowid > ${before}`.execute(db);
  const first = Number(added?.first ?? 0);
  const last = Number(added?.last ?? 0);
  if (added?.n !== rows.length || last - first + 1 !== rows.length) {
    throw new Error(`${table}: ${rows.length} rows inserted, yet ${added?.n ?? 0} rowids above ${before} run from ${first} to ${last}`);
  }
  const ids: number[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) ids[i] = first + i;
  return ids;
}

/**
 * Adds amounts to many rows in one statement (UPDATE … FROM json_each): `rows` holds the key and,
 * for each column, what to add to it.
 */
export async function addToJsonRows<R extends Record<string, number>>(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  key: string,
  rows: readonly R[],
  root?: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).filter((c) => c !== key);
  const packed = JSON.stringify(rows.map((r) => [r[key], ...columns.map((c) => r[c] ?? 0)]));
  const sets = columns.map((c, i) => sql`${sql.ref(c)} = ${sql.ref(c)} + (j.value ->> ${sql.lit(i + 1)})`);
  const update = sql`update ${sql.table(table)} set ${sql.join(sets)} from json_each(${packed}) as j where ${sql.table(table)}.${sql.ref(key)} = (j.value ->> 0)`;
  if (root) await executeCached(root, db, update.compile(db));
  else await update.execute(db);
}

/** The better-sqlite3 handle behind each Kysely instance opened by openDatastore. */
const handles = new WeakMap<object, BetterSqlite3.Database>();
const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

export function registerSqliteHandle(db: Kysely<any>, sqlite: BetterSqlite3.Database): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  handles.set(db, sqlite);
}

/** The better-sqlite3 connection behind a Kysely instance opened in db/, if any. */
export function sqliteHandle(db: Kysely<any>): BetterSqlite3.Database | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  return handles.get(db);
}

/**
 * Inserts many rows through ONE prepared single-row INSERT (built by kysely), run once per row: the
 * way SQLite inserts fastest, with no JSON to unpack and nothing to re-compile per batch. `root` is
 * the datastore's Kysely instance and `trx` the transaction the rows belong in: better-sqlite3 has
 * one connection and runs synchronously, so the statements land inside that open transaction. Without
 * a registered handle it falls back to `insertJsonRows`. Returns the new rows' ids, in order.
 */
export async function insertRows<R extends Record<string, string | number | null>>(
  root: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  trx: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  rows: readonly R[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  return insertValues(root, trx, table, columns, rows.map((row) => columns.map((c) => row[c] ?? null)));
}

/**
 * As `insertRows`, with each row given as its values in the order of `columns`: a bulk writer that
 * builds the values anyway is spared an object per row.
 */
export async function insertValues(
  root: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  trx: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  columns: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const sqlite = handles.get(root);
  if (!sqlite || !trx.isTransaction) {
    const objects = rows.map((values) => Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null])));
    return (await insertJsonRows(trx, table, objects, ['id'])).map((r) => r.id as number);
  }
  const compiled = trx.insertInto(table).values(Object.fromEntries(columns.map((c) => [c, null]))).compile();
  const statement = prepared(sqlite, compiled.sql);
  const ids: number[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) ids[i] = Number(statement.run(rows[i]).lastInsertRowid);
  return ids;
}

function prepared(sqlite: BetterSqlite3.Database, text: string): BetterSqlite3.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = sqlite.prepare(text)));
  return statement;
}

/**
 * Runs a query built by kysely inside the open transaction `trx` through a prepared statement kept
 * per SQL text: kysely's SQLite driver prepares every statement anew, so each batch of a billing run
 * would parse and plan the same few statements again. Same connection
 * and transaction as in `insertRows`; without a registered handle or outside a transaction it runs
 * through kysely. Returns the rows a query selects (none for a write).
 */
export async function executeCached<R>(
  root: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  trx: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  compiled: CompiledQuery<R>,
): Promise<R[]> {
  const sqlite = handles.get(root);
  if (!sqlite || !trx.isTransaction) return (await trx.executeQuery(compiled)).rows;
  const statement = prepared(sqlite, compiled.sql);
  const parameters = compiled.parameters as unknown[];
  if (statement.reader) return statement.all(parameters) as R[];
  statement.run(parameters);
  return [];
}

/**
 * As `executeCached` for a select whose rows are many: each row comes back as an array in the order
 * of `columns` (SQLite's raw rows), which spares building an object per row only to read it once.
 */
export async function selectColumnsCached<R extends object>(
  root: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  trx: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  compiled: CompiledQuery<R>,
): Promise<{ columns: (keyof R & string)[]; rows: unknown[][] }> {
  const sqlite = handles.get(root);
  if (!sqlite || !trx.isTransaction) {
    const { rows } = await trx.executeQuery(compiled);
    return { columns: rows.length ? (Object.keys(rows[0]!) as (keyof R & string)[]) : [], rows: rows.map((r) => Object.values(r)) };
  }
  const statement = prepared(sqlite, compiled.sql);
  statement.raw(true);
  try {
    const rows = statement.all(compiled.parameters as unknown[]) as unknown[][];
    return { columns: statement.columns().map((c) => c.name as keyof R & string), rows };
  } finally {
    statement.raw(false);
  }
}

/**
 * Sets the same values on many rows picked by id, in one statement (`where id in json_each(?)`):
 * a row's triggers and index updates run inside one statement instead of one statement per row,
 * which on a table with many indexes and an outbox trigger is over twice as fast.
 */
export async function setOnJsonIds(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  values: Record<string, string | number | null>,
  ids: readonly number[],
  key = 'id',
): Promise<void> {
  if (ids.length === 0) return;
  const sets = Object.entries(values).map(([c, v]) => sql`${sql.ref(c)} = ${v}`);
  await sql`update ${sql.table(table)} set ${sql.join(sets)} where ${sql.ref(key)} in (select value from json_each(${JSON.stringify(ids)}))`.execute(db);
}

/** Deletes many rows picked by a key column, in one statement. */
export async function deleteOnJsonIds(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  ids: readonly number[],
  key = 'id',
): Promise<void> {
  if (ids.length === 0) return;
  await sql`delete from ${sql.table(table)} where ${sql.ref(key)} in (select value from json_each(${JSON.stringify(ids)}))`.execute(db);
}

/**
 * Inserts many rows in one statement, replacing on a conflict of `key` (every other column is
 * overwritten): as insertJsonRows, for a table keyed by one column.
 */
export async function upsertJsonRows<R extends Record<string, string | number | null>>(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  key: string,
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const packed = JSON.stringify(rows.map((r) => columns.map((c) => r[c] ?? null)));
  const values = columns.map((_, i) => sql`value ->> ${sql.lit(i)}`);
  const updates = columns.filter((c) => c !== key).map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`);
  // `where true` lets SQLite tell the upsert's ON CONFLICT from a join condition of the SELECT.
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) select ${sql.join(values)} from json_each(${packed}) where true on conflict (${sql.ref(key)}) do update set ${sql.join(updates)}`.execute(db);
}

/**
 * `column in (ids)` for any number of ids in one short statement: the ids travel as a single JSON
 * text parameter (`where(col, 'in', jsonIds(ids))`), where a literal list of thousands of bound
 * parameters would have to be compiled, prepared and split into chunks.
 */
export function jsonIds(ids: readonly number[]) {
  return sql<number>`(select value from json_each(${JSON.stringify(ids)}))`;
}

/**
 * The ids as a table of (key, value) rows, key being each id's position: select from it and join
 * on `value` to read rows for many ids in one statement, ordered as the ids were (`order by key`).
 */
export function jsonIdTable(ids: readonly number[]) {
  return sql<{ key: number; value: number }>`json_each(${JSON.stringify(ids)})`;
}
