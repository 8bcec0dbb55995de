import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Why a hotspot user is used up at `at` (SQL text), or null: `exhaustion` of the shared status rule
 * (shared/domain/hotspot.ts) written for the trigger below; the migration's test checks they agree.
 * 1,048,576 bytes per MB, as the rule's BYTES_PER_MB.
 */
function usedUpReasonSql(u: string, p: string, at: string): string {
  const seconds = `(select coalesce(sum(r.session_seconds), 0) from radius_sessions r where r.hotspot_user_id = ${u}.id)`;
  const bytes = `(select coalesce(sum(r.input_bytes + r.output_bytes), 0) from radius_sessions r where r.hotspot_user_id = ${u}.id)`;
  return `(case
    when ${u}.first_used_at is not null and ${at} >= strftime('%Y-%m-%dT%H:%M:%fZ', ${u}.first_used_at, '+' || ${p}.validity_days || ' days') then 'Validity ended'
    when ${p}.time_limit_minutes is not null and ${seconds} >= ${p}.time_limit_minutes * 60 then 'Time used up'
    when ${p}.data_limit_mb is not null and ${bytes} >= ${p}.data_limit_mb * 1048576 then 'Data used up'
  end)`;
}

/**
 * Hotspot vouchers the network enforces: a status history per hotspot user, voiding (the record
 * stays, it never logs in again), the settings printed on voucher cards, and a trigger that stores
 * Expired in the same transaction as the accounting report that used a voucher up.
 */
export const migration: Migration = {
  id: '1100-hotspot-voucher-status',
  steps: (db) => [
    sql`alter table hotspot_users add column voided_at text`,
    db.schema
      .createTable('hotspot_user_events')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('hotspot_user_id', 'integer', (c) => c.notNull().references('hotspot_users.id').onDelete('cascade'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text', (c) => c.notNull())
      .addColumn('to_status', 'text', (c) => c.notNull().check(sql`to_status in ('Active', 'Disabled', 'Expired', 'Voided')`))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('hotspot_user_events_user').on('hotspot_user_events').columns(['hotspot_user_id', 'id']),
    // Finding Active users that may have run out without reading every voucher never used.
    db.schema.createIndex('hotspot_users_in_use').on('hotspot_users').column('id').where(sql.ref('first_used_at'), 'is not', null),

    db.schema
      .createTable('hotspot_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      // The Wi-Fi network name and the login page address printed on voucher cards.
      .addColumn('ssid', 'text')
      .addColumn('login_address', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    sql`insert into hotspot_settings (id, updated_at) values (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,

    // An accounting report that uses a voucher up stores Expired, with its history, in the report's
    // own transaction: the RADIUS writer needs no extra round trip and a crash loses nothing.
    ...(['insert', 'update of session_seconds, input_bytes, output_bytes, hotspot_user_id'] as const).map((event, i) =>
      sql.raw(`create trigger hotspot_users_used_up_${i === 0 ? 'insert' : 'update'} after ${event} on radius_sessions
        when new.hotspot_user_id is not null
        begin
          insert into hotspot_user_events (hotspot_user_id, at, from_status, to_status, reason, actor)
            select u.id, new.updated_at, u.status, 'Expired', ${usedUpReasonSql('u', 'p', 'new.updated_at')}, 'RADIUS accounting'
            from hotspot_users u join hotspot_plans p on p.id = u.hotspot_plan_id
            where u.id = new.hotspot_user_id and u.status = 'Active' and u.voided_at is null
              and ${usedUpReasonSql('u', 'p', 'new.updated_at')} is not null;
          update hotspot_users set status = 'Expired', updated_at = new.updated_at
            where id = new.hotspot_user_id and status = 'Active' and voided_at is null
              and (select ${usedUpReasonSql('u', 'p', 'new.updated_at')} from hotspot_users u join hotspot_plans p on p.id = u.hotspot_plan_id where u.id = new.hotspot_user_id) is not null;
        end`),
    ),
  ],
};
