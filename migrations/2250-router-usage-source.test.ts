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

describe('migration 2250', () => {
  it('keeps RADIUS accounting where a router has a RADIUS secret, polls an API-only RouterOS router, and counts nothing from the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m2250-'));
    dirs.push(dir);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    await migrateTo(db, migrations, '1960-radius-login-changes-follow-dunning');
    const at = '2026-11-01T10:00:00.000Z';
    const router = { address: '10.0.0.1', created_at: at, updated_at: at, api_password_sealed: null };
    await db
      .insertInto('routers')
      .values([
        { ...router, name: 'Both', vendor: 'MikroTik RouterOS', api_user: 'admin', radius_secret_sealed: 'sealed' },
        { ...router, name: 'API only', vendor: 'MikroTik RouterOS', api_user: 'admin', radius_secret_sealed: null },
        { ...router, name: 'RouterOS, no API user', vendor: 'MikroTik RouterOS', api_user: null, radius_secret_sealed: null },
        { ...router, name: 'Generic', vendor: 'Generic RADIUS NAS', api_user: null, radius_secret_sealed: null },
      ])
      .execute();
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('2250-router-usage-source');
    const rows = await db.selectFrom('routers').select(['name', 'usage_source']).orderBy('id').execute();
    expect(rows.map((r) => r.usage_source)).toEqual(['radius', 'routeros', 'none', 'none']);
    expect((await db.selectFrom('usage_settings').select('routeros_poll_minutes').executeTakeFirstOrThrow()).routeros_poll_minutes).toBe(5);
    await expect(sql`update routers set usage_source = 'snmp' where name = 'Generic'`.execute(db)).rejects.toThrow(/CHECK/);
    await db.destroy();
  });
});
