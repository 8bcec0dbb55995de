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

function database() {
  const dir = mkdtempSync(join(tmpdir(), 'towerline-m0660-'));
  dirs.push(dir);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
}

describe('migrations 0660 and 0661', () => {
  it('add one settings row each, off by default, over a database at 0410', async () => {
    const db = database();
    await migrateTo(db, migrations, '0410-invoices-open-by-subscription');
    const report = await migrate(db, migrations);
    expect(report.applied).toEqual(expect.arrayContaining(['0660-freeradius-settings', '0661-background-settings']));
    expect(await db.selectFrom('freeradius_settings').select(['id', 'enabled', 'port', 'database', 'suspended_action', 'interval_minutes']).execute()).toEqual([
      { id: 1, enabled: 0, port: 5432, database: 'radius', suspended_action: 'reject', interval_minutes: 5 },
    ]);
    expect(await db.selectFrom('background_settings').select(['run_on_this_computer', 'radius_host', 'radius_auth_port', 'radius_acct_port']).execute()).toEqual([
      { run_on_this_computer: 0, radius_host: '127.0.0.1', radius_auth_port: 1812, radius_acct_port: 1813 },
    ]);
    // One row only, and only the two suspended actions.
    await expect(db.insertInto('freeradius_settings').values({ id: 2, updated_at: 'x' }).execute()).rejects.toThrow(/CHECK/);
    await expect(db.updateTable('freeradius_settings').set({ suspended_action: 'drop' }).execute()).rejects.toThrow(/CHECK/);
    await db.destroy();
  });
});
