import { describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate } from '../electron/server/db/migrate';
import { useMigrationDatabases } from '../test/fixtures/migration-db';

const databases = useMigrationDatabases();

describe('migration 1710', () => {
  it('keeps the duration of earlier runs where their stamps tell it, and none where they do not', async () => {
    const { db } = await databases.at('1700-subscription-name-sort-key');
    const run = { run_date: '2026-11-01', status: 'completed', started_by_name: 'Carol Haines' };
    await db
      .insertInto('billing_runs')
      .values([
        { ...run, started_at: '2026-11-01T10:00:00.000Z', finished_at: '2026-11-01T10:00:02.500Z' },
        { ...run, started_at: '2026-11-01T10:00:00.000Z', finished_at: '2026-11-01T10:00:00.000Z' },
        { ...run, status: 'running', started_at: '2026-11-01T10:00:00.000Z', finished_at: null },
      ])
      .execute();
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('1710-billing-run-duration');
    const rows = await db.selectFrom('billing_runs').select('duration_ms').orderBy('id').execute();
    expect(rows.map((r) => r.duration_ms)).toEqual([2500, null, null]);
    await db.destroy();
  });
});
