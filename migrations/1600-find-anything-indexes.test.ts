import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate, migrateTo } from '../electron/server/db/migrate';
import type { Database } from '../electron/server/db/schema';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 1600', () => {
  it('indexes the organizations already there and keeps the index current on rename and delete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m1600-'));
    dirs.push(dir);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    await migrateTo(db, migrations, '0900-import-mappings');
    const stamp = '2026-11-01T00:00:00.000Z';
    await db.insertInto('organizations').values({ name: 'Big Sky Marina', kind: 'Company', created_at: stamp, updated_at: stamp }).execute();
    expect((await migrate(db, migrations)).applied).toContain('1600-find-anything-indexes');

    const matches = async (q: string) => (await sql<{ id: number }>`select rowid as id from organization_search where organization_search match ${q}`.execute(db)).rows.length;
    expect(await matches('"big"* AND "sky"*')).toBe(1);
    const { id } = await db.insertInto('organizations').values({ name: 'Pine Hollow RV Park', kind: 'Company', created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
    expect(await matches('"pine"*')).toBe(1);
    await db.updateTable('organizations').set({ name: 'Cedar Bend RV Resort' }).where('id', '=', id).execute();
    expect(await matches('"pine"*')).toBe(0);
    expect(await matches('"cedar"*')).toBe(1);
    await db.deleteFrom('organizations').where('id', '=', id).execute();
    expect(await matches('"cedar"*')).toBe(0);

    const plan = await sql<{ detail: string }>`explain query plan select subscription_id from services where substr(mac_addresses, 1, 17) = 'AA:BB:CC:DD:EE:FF'`.execute(db);
    expect(plan.rows.map((r) => r.detail).join(' ')).toContain('services_first_mac');
    await db.destroy();
  });
});
