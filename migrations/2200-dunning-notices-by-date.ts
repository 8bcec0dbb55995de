import type { Migration } from '../electron/server/db/migration';

/**
 * The Dunning tab lists notices of a date range across all subscriptions (to print or export the
 * letters of a day): an index by date keeps that a range scan at any number of notices.
 */
export const migration: Migration = {
  id: '2200-dunning-notices-by-date',
  steps: (db) => [db.schema.createIndex('dunning_notices_date').on('dunning_notices').columns(['notice_date', 'id'])],
};
