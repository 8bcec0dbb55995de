import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Billing while suspended: which suspensions began while the setting was 'pause'. The setting in
 * force on the day a subscription is suspended decides whether that suspension's days are billed,
 * so switching the setting later neither gives back days of suspensions billed under 'keep' nor
 * starts billing ones that began paused. A trigger marks them, whatever path suspends (staff,
 * dunning, import); under 'keep' nothing is written, so 'keep' stores what it always did.
 */
export const migration: Migration = {
  id: '2150-paused-suspensions',
  steps: (db) => [
    db.schema
      .createTable('paused_suspensions')
      .addColumn('status_change_id', 'integer', (c) => c.primaryKey().references('subscription_status_changes.id').onDelete('cascade'))
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
      .modifyEnd(sql`strict`),
    db.schema.createIndex('paused_suspensions_subscription').on('paused_suspensions').columns(['subscription_id']),
    sql.raw(`create trigger paused_suspensions_mark after insert on subscription_status_changes
      when new.to_status = 'Suspended' and (select while_suspended from billing_settings where id = 1) = 'pause' begin
      insert into paused_suspensions (status_change_id, subscription_id) values (new.id, new.subscription_id);
    end`),
  ],
};
