import { describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate } from '../electron/server/db/migrate';
import { seedSubscriptions, useMigrationDatabases } from '../test/fixtures/migration-db';

const databases = useMigrationDatabases();

describe('migration 1700', () => {
  it('gives existing subscriptions their name sort key, family name first for people', async () => {
    const { db } = await databases.at('0900-import-mappings');
    await seedSubscriptions(db, [{ name: 'Ada Olsen' }, { name: 'Boathouse' }]);
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('1700-subscription-name-sort-key');
    const keys = await db.selectFrom('subscriptions').select(['unique_id', 'name_sort_key']).orderBy('unique_id').execute();
    expect(keys).toEqual([
      { unique_id: 'S-000001', name_sort_key: 'olsen ada' },
      { unique_id: 'S-000002', name_sort_key: 'boathouse' },
    ]);
    await db.destroy();
  });
});
