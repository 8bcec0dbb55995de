import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate } from '../electron/server/db/migrate';
import { useMigrationDatabases } from '../test/fixtures/migration-db';

const databases = useMigrationDatabases();

describe('migration 2400', () => {
  it('keeps the amount of earlier runs as exact text, and takes amounts past 2^63 but no other text', async () => {
    const { db } = await databases.at('1960-radius-login-changes-follow-dunning');
    const run = { run_date: '2026-11-01', status: 'completed', started_by_name: 'Carol Haines', started_at: '2026-11-01T10:00:00.000Z' };
    await sql`insert into billing_runs (run_date, status, started_by_name, started_at, amount_cents)
              values (${run.run_date}, ${run.status}, ${run.started_by_name}, ${run.started_at}, 9007199254740991), (${run.run_date}, 'failed', ${run.started_by_name}, ${run.started_at}, 0)`.execute(db);
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('2400-billing-run-amount-as-exact-text');
    const rows = await db.selectFrom('billing_runs').select('amount_total').orderBy('id').execute();
    expect(rows.map((r) => r.amount_total)).toEqual(['9007199254740991', '0']);
    const columns = await sql<{ name: string }>`select name from pragma_table_info('billing_runs')`.execute(db);
    expect(columns.rows.map((c) => c.name)).not.toContain('amount_cents');
    // A new run starts at zero; a total past 2^63 fits; what is not whole-number text does not.
    const { id } = await db.insertInto('billing_runs').values(run).returning('id').executeTakeFirstOrThrow();
    expect((await db.selectFrom('billing_runs').select('amount_total').where('id', '=', id).executeTakeFirstOrThrow()).amount_total).toBe('0');
    await db.updateTable('billing_runs').set({ amount_total: '98765432109876543210' }).where('id', '=', id).execute();
    for (const bad of ['', '-', '12.5', '1e9', '--1', '1-2', ' 1']) {
      await expect(db.updateTable('billing_runs').set({ amount_total: bad }).where('id', '=', id).execute(), bad).rejects.toThrow(/CHECK/);
    }
    await db.destroy();
  });
});
