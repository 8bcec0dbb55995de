import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * Takes the next value of a named counter inside the caller's transaction.
 * Counters only move forward, so a deleted subscription's unique ID is never handed out again,
 * and a rolled-back transaction gives its number back, keeping document numbers unbroken.
 */
export async function nextSequenceValue(trx: Kysely<Database>, name: string): Promise<number> {
  const row = await trx
    .updateTable('sequences')
    .set((eb) => ({ next_value: eb('next_value', '+', 1) }))
    .where('name', '=', name)
    .returning('next_value')
    .executeTakeFirst();
  if (row) return row.next_value - 1;
  await trx.insertInto('sequences').values({ name, next_value: 2 }).execute();
  return 1;
}
