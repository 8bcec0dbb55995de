import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate } from '../electron/server/db/migrate';
import { subscriptionNameSortKey } from '../electron/server/subscribers/sort-keys';
import { SEED_STAMP, seedSubscriptions, useMigrationDatabases } from '../test/fixtures/migration-db';

const databases = useMigrationDatabases();

/** Names as staff type them and files carry them: spaces around and inside, capitals, accents. */
const word = fc.constantFrom('ada', 'Ada', 'OLSEN', 'Olsen', 'Émile', 'ÉMILE', 'zola', 'van', 'Dyke', 'Ünal', 'Øre', 'site 3', '');
const spaces = fc.constantFrom('', ' ', '  ', '\t');
const name = fc.tuple(spaces, word, fc.constantFrom(' ', '  ', ''), word, spaces).map((parts) => parts.join(''));

describe('migration 2500', () => {
  it('keeps working the key out when an insert leaves it out, and keeps the key an insert gives', async () => {
    const { db } = await databases.at('2450-drop-superseded-subscription-name-indexes');
    const { staffId, contactId } = await seedSubscriptions(db, [{ name: 'Ada Olsen' }]);
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('2500-subscription-name-sort-key-given-on-insert');

    const insert = (uniqueId: string, values: { name: string; contactId: number; key?: string }) =>
      db
        .insertInto('subscriptions')
        .values({
          unique_id: uniqueId,
          contact_id: values.contactId,
          name: values.name,
          status: 'Active',
          engineer_id: staffId,
          contact_sort_name: 'x',
          engineer_sort_name: 'dana',
          ...(values.key === undefined ? {} : { name_sort_key: values.key }),
          created_at: SEED_STAMP,
          updated_at: SEED_STAMP,
        })
        .returning('name_sort_key')
        .executeTakeFirstOrThrow();
    // RETURNING reports the row before its after-insert trigger: read the key back instead.
    const keyOf = async (uniqueId: string) => (await db.selectFrom('subscriptions').select('name_sort_key').where('unique_id', '=', uniqueId).executeTakeFirstOrThrow()).name_sort_key;

    await insert('S-000100', { name: 'Ada Olsen', contactId });
    expect(await keyOf('S-000100')).toBe('olsen ada');
    await insert('S-000101', { name: 'Ada Olsen', contactId, key: 'given' });
    expect(await keyOf('S-000101')).toBe('given');

    // The import's key is the trigger's, for any name and contact.
    let n = 200;
    await fc.assert(
      fc.asyncProperty(name, word, word, async (subscriptionName, first, last) => {
        const { id } = await db.insertInto('contacts').values({ first_name: first, last_name: last, created_at: SEED_STAMP, updated_at: SEED_STAMP }).returning('id').executeTakeFirstOrThrow();
        const uniqueId = `S-${String(++n).padStart(6, '0')}`;
        await insert(uniqueId, { name: subscriptionName, contactId: id });
        expect(subscriptionNameSortKey(subscriptionName, first, last)).toBe(await keyOf(uniqueId));
      }),
      { numRuns: 300 },
    );
    await db.destroy();
  });
});
