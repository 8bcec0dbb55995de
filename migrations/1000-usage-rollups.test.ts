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

describe('migration 1000', () => {
  it('keeps counting the sessions open before it from where the session table stands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m1000-'));
    dirs.push(dir);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    await migrateTo(db, migrations, '0900-import-mappings');
    const s = (id: string, stoppedAt: string | null) => ({ nas_address: '10.0.0.1', acct_session_id: id, login: 'ann', started_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T01:00:00.000Z', stopped_at: stoppedAt, session_seconds: 3600, input_bytes: 10, output_bytes: 20 });
    await db.insertInto('radius_sessions').values([s('open', null), s('done', '2026-01-01T01:00:00.000Z')]).execute();
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('1000-usage-rollups');
    const live = await db.selectFrom('usage_live_sessions').selectAll().execute();
    expect(live).toEqual([{ session_key: '10.0.0.1\u0000open\u0000ann', source: 'radius', service_id: null, hotspot_user_id: null, router_id: null, login: 'ann', started_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T01:00:00.000Z', session_seconds: 3600, input_counter: 10, output_counter: 20 }]);
    expect(await db.selectFrom('usage_settings').select(['hourly_days', 'daily_days', 'session_days', 'stale_session_hours']).executeTakeFirstOrThrow()).toEqual({ hourly_days: 14, daily_days: 1100, session_days: 180, stale_session_hours: 48 });
    await db.destroy();
  });
});
