import type { Migration } from '../electron/server/db/migration';

/**
 * The subscription list sorts by name through `name_sort_key` (migration 1700), which has its own
 * three indexes; the three on the raw name have been read by nothing since, yet every insert and
 * every rename still kept them up to date (a tenth of the cost of importing a subscription).
 */
export const migration: Migration = {
  id: '2450-drop-superseded-subscription-name-indexes',
  steps: (db) => [
    db.schema.dropIndex('subscriptions_name'),
    db.schema.dropIndex('subscriptions_status_name'),
    db.schema.dropIndex('subscriptions_engineer_name'),
  ],
};
