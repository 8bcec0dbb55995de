import type { Migration } from '../electron/server/db/migration';

/**
 * Every Interim-Update rewrites its live session's counters and time (usage/ingest.ts). With
 * `updated_at` in the service index, each report also moved that index entry; the presence query
 * (online now / last seen) only looks sessions up by service, a handful of rows each, so the index
 * holds the service alone and the counters' update touches no index at all.
 */
export const migration: Migration = {
  id: '2360-usage-live-sessions-by-service',
  steps: (db) => [
    db.schema.dropIndex('usage_live_sessions_service'),
    db.schema.createIndex('usage_live_sessions_service').on('usage_live_sessions').column('service_id'),
  ],
};
