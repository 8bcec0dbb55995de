import { createHash } from 'node:crypto';
import type { CompiledQuery, Kysely } from 'kysely';
import type { Migration, MigrationStep } from './migration';
import type { Database } from './schema';

export interface MigrationReport {
  applied: string[];
  current: string | null;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

function compile(db: Kysely<unknown>, step: MigrationStep): CompiledQuery {
  const raw = step as { isRawBuilder?: boolean; compile: (db?: Kysely<unknown>) => CompiledQuery };
  return raw.isRawBuilder ? raw.compile(db) : raw.compile();
}

export function compileMigration(db: Kysely<unknown>, migration: Migration): { queries: CompiledQuery[]; checksum: string } {
  const queries = migration.steps(db).map((step) => compile(db, step));
  const hash = createHash('sha256');
  for (const q of queries) hash.update(q.sql).update('\u0000').update(JSON.stringify(q.parameters)).update('\u0001');
  return { queries, checksum: hash.digest('hex') };
}

/**
 * Applies pending migrations, each in its own transaction, and records them with a checksum.
 * Refuses to run when a recorded migration was edited or when the database was written by a
 * newer Towerline (it knows migrations this build does not).
 */
export async function migrate(db: Kysely<Database>, list: readonly Migration[]): Promise<MigrationReport> {
  await db.schema
    .createTable('towerline_migrations')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();

  const recorded = await db.selectFrom('towerline_migrations').selectAll().orderBy('id').execute();
  const known = new Map(list.map((m) => [m.id, m]));
  const unknown = recorded.filter((r) => !known.has(r.id));
  if (unknown.length > 0) {
    throw new MigrationError(
      `This database was written by a newer Towerline (it has migration ${unknown[0]!.id}). Install that version or newer to open it.`,
    );
  }
  const done = new Map(recorded.map((r) => [r.id, r.checksum]));
  const applied: string[] = [];
  for (const migration of list) {
    const { queries, checksum } = compileMigration(db as Kysely<unknown>, migration);
    const previous = done.get(migration.id);
    if (previous !== undefined) {
      if (previous !== checksum) {
        throw new MigrationError(`Migration ${migration.id} was changed after it was applied; landed migrations must never be edited.`);
      }
      continue;
    }
    await db.transaction().execute(async (trx) => {
      for (const q of queries) await trx.executeQuery(q);
      await trx
        .insertInto('towerline_migrations')
        .values({ id: migration.id, checksum, applied_at: new Date().toISOString() })
        .execute();
    });
    applied.push(migration.id);
  }
  return { applied, current: list.at(-1)?.id ?? null };
}

/** Exposed for migration tests that seed a database at an earlier version. */
export async function migrateTo(db: Kysely<Database>, list: readonly Migration[], lastId: string): Promise<MigrationReport> {
  const index = list.findIndex((m) => m.id === lastId);
  if (index < 0) throw new MigrationError(`No migration ${lastId}`);
  return migrate(db, list.slice(0, index + 1));
}
