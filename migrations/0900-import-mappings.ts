import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** Column mappings staff save by name, to import the next file from the same old system in one step. */
export const migration: Migration = {
  id: '0900-import-mappings',
  steps: (db) => [
    db.schema
      .createTable('import_mappings')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('subscriptions', 'services', 'devices', 'payments')`))
      // JSON object: column header → field key or null.
      .addColumn('mapping', 'text', (c) => c.notNull())
      .addColumn('key_column', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('import_mappings_kind_name').on('import_mappings').columns(['kind', 'name']).unique(),
  ],
};
