import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations';
import { migrate } from './migrate';
import type { Migration } from './migration';
import { openDatastore } from './open';
import type { Database } from './schema';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'towerline-migrate-'));
  dirs.push(dir);
  return join(dir, 'db.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function kysely(file: string) {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(file) }) });
}

describe('migrations', () => {
  it('apply once, in order, and are recorded', async () => {
    const file = tempFile();
    const first = await openDatastore(file);
    expect(first.migration.applied).toEqual(migrations.map((m) => m.id));
    await first.close();
    const again = await openDatastore(file);
    expect(again.migration.applied).toEqual([]);
    await again.close();
  });

  it('refuse to start when a landed migration was edited', async () => {
    const file = tempFile();
    const db = kysely(file);
    const original: Migration = { id: '0001-t', steps: (k) => [k.schema.createTable('t').addColumn('a', 'integer')] };
    await migrate(db, [original]);
    const edited: Migration = { id: '0001-t', steps: (k) => [k.schema.createTable('t').addColumn('b', 'integer')] };
    await expect(migrate(db, [edited])).rejects.toThrow(/changed after it was applied/);
    await db.destroy();
  });

  it('refuse a database written by a newer Towerline', async () => {
    const file = tempFile();
    const db = kysely(file);
    await migrate(db, [{ id: '0001-t', steps: (k) => [k.schema.createTable('t').addColumn('a', 'integer')] }]);
    await expect(migrate(db, [])).rejects.toThrow(/newer Towerline/);
    await db.destroy();
  });

  it('roll back a failing migration completely', async () => {
    const file = tempFile();
    const db = kysely(file);
    const broken: Migration = { id: '0001-broken', steps: (k) => [k.schema.createTable('half').addColumn('a', 'integer'), sql`this is not sql`] };
    await expect(migrate(db, [broken])).rejects.toThrow();
    const tables = await sql<{ name: string }>`select name from sqlite_master where name = 'half'`.execute(db);
    expect(tables.rows).toEqual([]);
    await db.destroy();
  });
});
