import { fieldError } from '../../../shared/api/errors';
import type { Db } from './open';
import type { Database } from './schema';

type TableWithId = { [T in keyof Database]: Database[T] extends { id: unknown } ? T : never }[keyof Database];

/**
 * Checks that a referenced row exists, so a bad id is answered as a field error
 * ("engineerId: No staff member 42") rather than a bare foreign-key failure.
 */
export async function requireReference(db: Db, table: TableWithId, id: number, field: string, label: string): Promise<void> {
  const row = await db
    .selectFrom(table as 'staff')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw fieldError(field, `No ${label} ${id}`);
}
