import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate, migrateTo } from '../electron/server/db/migrate';
import type { Database } from '../electron/server/db/schema';
import { getDunningSettings } from '../electron/server/dunning/settings';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0700', () => {
  it('adds dunning switched off, reading the grace days staff already set in the billing settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m0700-'));
    dirs.push(dir);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    await migrateTo(db, migrations, '0410-invoices-open-by-subscription');
    await db.updateTable('billing_settings').set({ grace_days: 12 }).where('id', '=', 1).execute();
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('0700-dunning');
    expect(await getDunningSettings(db)).toMatchObject({ enabled: false, graceDays: 12, minimumOverdueCents: 0, noCutoffWeekdays: ['Sat', 'Sun'], holidays: [], noticeDays: null, throttleDays: null, lastRunDate: null });
    await db.destroy();
  });
});
