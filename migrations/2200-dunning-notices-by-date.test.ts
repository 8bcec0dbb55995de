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

describe('migration 2200', () => {
  it('lists notices of a date range through the date index, keeping the notices already written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m2200-'));
    dirs.push(dir);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    await migrateTo(db, migrations, '1960-radius-login-changes-follow-dunning');
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('2200-dunning-notices-by-date');
    const plan = await sql<{ detail: string }>`explain query plan select id from dunning_notices where notice_date between '2026-01-01' and '2026-01-31' order by notice_date, id`.execute(db);
    expect(plan.rows.map((r) => r.detail).join(' ')).toContain('dunning_notices_date');
    await db.destroy();
  });
});
