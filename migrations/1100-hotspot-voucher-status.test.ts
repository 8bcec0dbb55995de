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

describe('migration 1100', () => {
  it('applies over 0900 with one card settings row and the used-up triggers, which leave service sessions alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m1100-'));
    dirs.push(dir);
    const sqlite = new BetterSqlite3(join(dir, 'db.sqlite'));
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      await migrateTo(db, migrations, '0900-import-mappings');
      const t = '2026-06-01T10:00:00.000Z';
      const report = await migrate(db, migrations);
      expect(report.applied).toContain('1100-hotspot-voucher-status');
      expect(await db.selectFrom('hotspot_settings').select(['id', 'ssid', 'login_address']).execute()).toEqual([{ id: 1, ssid: null, login_address: null }]);
      await expect(db.insertInto('hotspot_settings').values({ id: 2, updated_at: t }).execute()).rejects.toThrow(/CHECK/);
      const triggers = sqlite.prepare(`select name from sqlite_master where type = 'trigger' and name like 'hotspot_users_used_up_%' order by name`).all();
      expect(triggers).toEqual([{ name: 'hotspot_users_used_up_insert' }, { name: 'hotspot_users_used_up_update' }]);
      // A service's session (no hotspot user) goes through untouched.
      await db.insertInto('radius_sessions').values({ nas_address: '10.0.0.1', acct_session_id: 's', login: 'alice', started_at: t, updated_at: t, session_seconds: 99_999 }).execute();
      expect(await db.selectFrom('hotspot_user_events').selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
