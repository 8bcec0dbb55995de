import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { insertJsonArrays, jsonIds } from './json-rows';
import type { Database } from './schema';

/**
 * Subscriber quick search on SQLite FTS5. Everything FTS-specific lives here, so another
 * dialect only has to provide these three functions.
 */

/** Splits free text the way the unicode61 tokenizer does: letters and digits, lower-cased. */
function wordsOf(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Digits of a phone number, plus its trailing parts, so "555 0100" finds "+1 (208) 555-0100". */
function phoneTokens(phone: string): string[] {
  const digits = phone.replace(/\D/g, '');
  const tokens = new Set([digits]);
  for (const n of [10, 7, 4]) if (digits.length > n) tokens.add(digits.slice(-n));
  return [...tokens];
}

/** "S-000123" is also findable as "000123" and "123". */
function uniqueIdTokens(uniqueId: string): string[] {
  const digits = uniqueId.replace(/\D/g, '');
  return [uniqueId, uniqueId.replace(/[^A-Za-z0-9]/g, ''), digits, String(Number(digits) || '')].filter(Boolean);
}

export interface SearchDocument {
  id: number;
  uniqueId: string;
  name: string;
  contact: string;
  phones: string[];
  emails: string[];
}

/**
 * Turns what staff type into an FTS5 query: every word must match the start of a token.
 * Only letters and digits reach FTS, so no input can form query syntax.
 */
export function toFtsQuery(input: string): string | null {
  const parts: string[] = [];
  for (const word of input.trim().split(/\s+/).filter(Boolean)) {
    const looksLikePhone = /^[+\d().-]+$/.test(word) && word.replace(/\D/g, '').length >= 3;
    const tokens = looksLikePhone ? [word.replace(/\D/g, '')] : wordsOf(word);
    if (tokens.length > 0) parts.push(`"${tokens.join(' ')}"*`);
  }
  return parts.length > 0 ? parts.join(' AND ') : null;
}

async function loadDocuments(db: Kysely<Database>, ids: number[] | null): Promise<SearchDocument[]> {
  let q = db
    .selectFrom('subscriptions as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .select(['s.id', 's.unique_id', 's.name', 'c.first_name', 'c.last_name', 'c.phones', 'c.emails']);
  if (ids) q = q.where('s.id', 'in', jsonIds(ids));
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    uniqueId: r.unique_id,
    name: r.name,
    contact: `${r.first_name} ${r.last_name}`,
    phones: JSON.parse(r.phones) as string[],
    emails: JSON.parse(r.emails) as string[],
  }));
}

async function writeDocuments(db: Kysely<Database>, docs: SearchDocument[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 1000) {
    const rows = docs
      .slice(i, i + 1000)
      .map((d) => [d.id, uniqueIdTokens(d.uniqueId).join(' '), d.name, d.contact, d.phones.flatMap(phoneTokens).join(' '), d.emails.join(' ')]);
    await insertJsonArrays(db, 'subscription_search', ['rowid', 'unique_id', 'name', 'contact', 'phones', 'emails'], rows);
  }
}

/** Rewrites the search documents of these subscriptions (call inside the command's transaction). */
export async function reindexSubscriptions(db: Kysely<Database>, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await replaceDocuments(db, chunk, await loadDocuments(db, chunk));
  }
}

/** As `reindexSubscriptions`, for a writer that holds the documents already (an import). */
export async function reindexSubscriptionDocuments(db: Kysely<Database>, docs: SearchDocument[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 1000) {
    const chunk = docs.slice(i, i + 1000);
    await replaceDocuments(db, chunk.map((d) => d.id), chunk);
  }
}

/** Drops the documents of these subscriptions (a deleted one's included) and writes the given ones. */
async function replaceDocuments(db: Kysely<Database>, ids: number[], docs: SearchDocument[]): Promise<void> {
  if (ids.length === 0) return writeDocuments(db, docs);
  // Ids in one unbroken run (new rows of an import) are one range for the index to look at, not a lookup each.
  const first = ids[0]!;
  const run = ids.every((id, i) => id === first + i);
  if (run) await sql`delete from subscription_search where rowid between ${first} and ${first + ids.length - 1}`.execute(db);
  else await sql`delete from subscription_search where rowid in ${jsonIds(ids)}`.execute(db);
  await writeDocuments(db, docs);
}

/** Rebuilds the whole index, for bulk loads such as demo data. */
export async function rebuildSubscriptionSearch(db: Kysely<Database>): Promise<void> {
  await sql`delete from subscription_search`.execute(db);
  await writeDocuments(db, await loadDocuments(db, null));
}

export async function removeFromSearch(db: Kysely<Database>, id: number): Promise<void> {
  await sql`delete from subscription_search where rowid = ${id}`.execute(db);
}

/** Subscription ids matching the query, best first, at most `limit`. */
export async function searchSubscriptionIds(db: Kysely<Database>, query: string, limit: number): Promise<number[]> {
  const fts = toFtsQuery(query);
  if (!fts) return [];
  // Ranking scores every match; for one or two typed characters that is most of the table and
  // tells nothing useful, so those take the first matches as they come.
  const ranked = query.replace(/[^\p{L}\p{N}]/gu, '').length >= 3;
  const { rows } = ranked
    ? await sql<{ id: number }>`select rowid as id from subscription_search where subscription_search match ${fts} order by rank limit ${limit}`.execute(db)
    : await sql<{ id: number }>`select rowid as id from subscription_search where subscription_search match ${fts} limit ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

/** A filter for list queries: `subscriptions.id` among the matches of the query. */
export function subscriptionMatches(query: string, idColumn: string): Expression<SqlBool> | null {
  const fts = toFtsQuery(query);
  if (!fts) return null;
  return sql<SqlBool>`${sql.ref(idColumn)} in (select rowid from subscription_search where subscription_search match ${fts})`;
}
