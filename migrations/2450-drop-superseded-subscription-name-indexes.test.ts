import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate } from '../electron/server/db/migrate';
import { useMigrationDatabases } from '../test/fixtures/migration-db';

const databases = useMigrationDatabases();

describe('migration 2450', () => {
  it('drops the raw-name indexes, and the list still sorts by name through an index under every filter', async () => {
    const { db } = await databases.at('2400-billing-run-amount-as-exact-text');
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('2450-drop-superseded-subscription-name-indexes');
    const indexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'subscriptions'`.execute(db)).rows.map((r) => r.name);
    expect(indexes).not.toContain('subscriptions_name');
    expect(indexes).not.toContain('subscriptions_status_name');
    expect(indexes).not.toContain('subscriptions_engineer_name');
    const planOf = async (where: ReturnType<typeof sql>) =>
      (await sql<{ detail: string }>`explain query plan select s.id from subscriptions s ${where} order by s.name_sort_key, s.unique_id limit 50`.execute(db)).rows.map((r) => r.detail).join('\n');
    expect(await planOf(sql``)).toContain('INDEX subscriptions_name_sort');
    expect(await planOf(sql`where s.status = ${'Active'}`)).toContain('INDEX subscriptions_status_name_sort');
    expect(await planOf(sql`where s.engineer_id = ${1}`)).toContain('INDEX subscriptions_engineer_name_sort');
    for (const where of [sql``, sql`where s.status = ${'Active'}`, sql`where s.engineer_id = ${1}`]) expect(await planOf(where)).not.toContain('TEMP B-TREE');
    await db.destroy();
  });
});
