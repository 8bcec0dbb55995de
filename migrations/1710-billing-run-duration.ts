import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * How long a billing run took, measured by the process that ran it. The start and finish stamps
 * come from the run's clock, which a back-dated run (the demo's catch-up runs) holds still, so
 * their difference is not a duration. Runs recorded before keep the difference of their stamps
 * where it is one; where it is zero the duration is unknown (null) and not shown.
 */
export const migration: Migration = {
  id: '1710-billing-run-duration',
  steps: (db) => [
    db.schema.alterTable('billing_runs').addColumn('duration_ms', 'integer'),
    sql`update billing_runs set duration_ms = cast(round((julianday(finished_at) - julianday(started_at)) * 86400000) as integer)
        where finished_at is not null and julianday(finished_at) > julianday(started_at)`,
  ],
};
