import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { columnMapping, savedMapping } from '../../../shared/api/io';
import type { Db } from '../db/open';
import type { ImportKind } from './fields';

type Saved = z.output<typeof savedMapping>;

const toSaved = (r: { id: number; name: string; kind: string; mapping: string; key_column: string | null; updated_at: string }): Saved => ({
  id: r.id,
  name: r.name,
  kind: r.kind as ImportKind,
  mapping: JSON.parse(r.mapping) as z.output<typeof columnMapping>,
  keyColumn: r.key_column,
  updatedAt: r.updated_at,
});

export async function listMappings(db: Db, kind: ImportKind | undefined): Promise<Saved[]> {
  let q = db.selectFrom('import_mappings').selectAll();
  if (kind) q = q.where('kind', '=', kind);
  return (await q.orderBy('name').execute()).map(toSaved);
}

/** Saving under a name already used for this kind replaces that mapping. */
export async function saveMapping(db: Db, input: { name: string; kind: ImportKind; mapping: Record<string, string | null>; keyColumn?: string | null | undefined }, now: Date): Promise<Saved> {
  const values = { name: input.name, kind: input.kind, mapping: JSON.stringify(input.mapping), key_column: input.keyColumn ?? null, updated_at: now.toISOString() };
  const row = await db
    .insertInto('import_mappings')
    .values(values)
    .onConflict((oc) => oc.columns(['kind', 'name']).doUpdateSet({ mapping: values.mapping, key_column: values.key_column, updated_at: values.updated_at }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSaved(row);
}

export async function deleteMapping(db: Db, id: number): Promise<void> {
  const r = await db.deleteFrom('import_mappings').where('id', '=', id).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw new ApiError('not_found', `Saved mapping ${id} does not exist.`);
}
