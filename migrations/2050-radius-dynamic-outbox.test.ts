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

describe('migration 2050', () => {
  it('applies over 1960: a CoA port per router, the outbox and its triggers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m2050-'));
    dirs.push(dir);
    const sqlite = new BetterSqlite3(join(dir, 'db.sqlite'));
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      await migrateTo(db, migrations, '1960-radius-login-changes-follow-dunning');
      // A router made at the previous version keeps the settings' CoA port (null).
      sqlite.exec(`insert into routers (id, name, address, vendor, created_at, updated_at) values (1, 'Tower', '10.0.0.1', 'MikroTik RouterOS', 't', 't')`);
      const report = await migrateTo(db, migrations, '2050-radius-dynamic-outbox');
      expect(report.applied).toEqual(['2050-radius-dynamic-outbox']);
      expect(await db.selectFrom('routers').select('coa_port').execute()).toEqual([{ coa_port: null }]);
      await expect(db.updateTable('routers').set({ coa_port: 70_000 }).execute()).rejects.toThrow(/CHECK/);

      const triggers = sqlite.prepare(`select name from sqlite_master where type = 'trigger' and name like 'radius_dynamic_%' order by name`).pluck().all();
      expect(triggers).toEqual([
        'radius_dynamic_cap_delete',
        'radius_dynamic_cap_insert',
        'radius_dynamic_cap_lift',
        'radius_dynamic_dunning_delete',
        'radius_dynamic_dunning_insert',
        'radius_dynamic_dunning_update',
        'radius_dynamic_plan_speeds',
        'radius_dynamic_service_update',
        'radius_dynamic_subscription_status',
        'radius_dynamic_throttle_rate',
      ]);
      // Only the two kinds, and only for a service that exists.
      await expect(db.insertInto('radius_dynamic_outbox').values({ service_id: 999, kind: 'coa', reason: 'x' }).execute()).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await db.destroy();
    }
  });
});
