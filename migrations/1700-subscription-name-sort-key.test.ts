import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate, migrateTo } from '../electron/server/db/migrate';
import type { Database } from '../electron/server/db/schema';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 1700', () => {
  it('gives existing subscriptions their name sort key, family name first for people', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m1700-'));
    dirs.push(dir);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    await migrateTo(db, migrations, '0900-import-mappings');
    const stamp = '2026-01-01T00:00:00.000Z';
    const staff = await db.insertInto('staff').values({ name: 'Dana', role: 'Engineer', active: 1, created_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const contact = await db.insertInto('contacts').values({ first_name: 'Ada', last_name: 'Olsen', created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const base = { contact_id: contact.id, status: 'Active', engineer_id: staff.id, contact_sort_name: 'olsen ada', engineer_sort_name: 'dana', created_at: stamp, updated_at: stamp };
    await db.insertInto('subscriptions').values([{ ...base, unique_id: 'S-000001', name: 'Ada Olsen' }, { ...base, unique_id: 'S-000002', name: 'Boathouse' }]).execute();
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('1700-subscription-name-sort-key');
    const keys = await db.selectFrom('subscriptions').select(['unique_id', 'name_sort_key']).orderBy('unique_id').execute();
    expect(keys).toEqual([
      { unique_id: 'S-000001', name_sort_key: 'olsen ada' },
      { unique_id: 'S-000002', name_sort_key: 'boathouse' },
    ]);
    await db.destroy();
  });
});
