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

describe('migration 0520', () => {
  it('adds backup settings (daily, keep 14, default folder) and an empty history to an existing datastore, and guards them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m0520-'));
    dirs.push(dir);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    try {
      await migrateTo(db, migrations, '0410-invoices-open-by-subscription');
      const report = await migrate(db, migrations);
      expect(report.applied).toContain('0520-backup-settings-and-history');
      expect(await db.selectFrom('backup_settings').select(['id', 'folder', 'retention', 'daily']).execute()).toEqual([{ id: 1, folder: null, retention: 14, daily: 1 }]);
      expect(await db.selectFrom('backup_runs').selectAll().execute()).toEqual([]);
      await expect(db.updateTable('backup_settings').set({ retention: 0 }).execute()).rejects.toThrow(/CHECK/);
      await expect(db.insertInto('backup_settings').values({ id: 2, updated_at: 'x', retention: 1, daily: 1 }).execute()).rejects.toThrow(/CHECK/);
      const run = { trigger: 'manual' as const, started_at: 'a', finished_at: 'b', file: null, bytes: null, message: null };
      await expect(db.insertInto('backup_runs').values({ ...run, result: 'maybe' as 'ok' }).execute()).rejects.toThrow(/CHECK/);
      await db.insertInto('backup_runs').values({ ...run, result: 'ok' }).execute();
    } finally {
      await db.destroy();
    }
  });
});
