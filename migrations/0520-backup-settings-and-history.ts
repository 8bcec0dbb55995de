import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Backups: where they go, how many are kept, whether one is taken every day (one settings row),
 * and the outcome of each backup taken, so the app can show when the last one ran and what it wrote.
 */
export const migration: Migration = {
  id: '0520-backup-settings-and-history',
  steps: (db) => [
    db.schema
      .createTable('backup_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      // Null: the `backups` folder inside the data directory.
      .addColumn('folder', 'text')
      .addColumn('retention', 'integer', (c) => c.notNull().defaultTo(14).check(sql`retention between 1 and 1000`))
      .addColumn('daily', 'integer', (c) => c.notNull().defaultTo(1).check(sql`daily in (0, 1)`))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    sql`insert into backup_settings (id, updated_at) values (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    db.schema
      .createTable('backup_runs')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('manual', 'daily')`))
      .addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('ok', 'failed')`))
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text', (c) => c.notNull())
      .addColumn('file', 'text')
      .addColumn('bytes', 'integer')
      .addColumn('message', 'text')
      .modifyEnd(sql`strict`),
    db.schema.createIndex('backup_runs_finished').on('backup_runs').columns(['finished_at']),
  ],
};
