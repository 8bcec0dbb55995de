import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** Customer equipment, and hotspot plans and users (logins and vouchers) under a subscription. */
export const migration: Migration = {
  id: '0340-devices-and-hotspot',
  steps: (db) => [
    db.schema
      .createTable('devices')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('service_id', 'integer', (c) => c.references('services.id').onDelete('set null'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('vendor', 'text')
      .addColumn('model', 'text')
      .addColumn('serial', 'text')
      // Normalized: AA:BB:CC:DD:EE:FF.
      .addColumn('mac_address', 'text')
      .addColumn('management_ip', 'text')
      .addColumn('firmware', 'text')
      .addColumn('install_date', 'text')
      .addColumn('location', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('Active', 'Spare', 'Faulty', 'Returned')`))
      .addColumn('notes', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('devices_subscription').on('devices').columns(['subscription_id', 'id']),
    db.schema.createIndex('devices_service').on('devices').column('service_id'),
    db.schema.createIndex('devices_mac').on('devices').column('mac_address'),

    db.schema
      .createTable('hotspot_plans')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      // Null limits mean unlimited.
      .addColumn('time_limit_minutes', 'integer', (c) => c.check(sql`time_limit_minutes > 0`))
      .addColumn('data_limit_mb', 'integer', (c) => c.check(sql`data_limit_mb > 0`))
      .addColumn('download_kbps', 'integer', (c) => c.check(sql`download_kbps > 0`))
      .addColumn('upload_kbps', 'integer', (c) => c.check(sql`upload_kbps > 0`))
      .addColumn('validity_days', 'integer', (c) => c.notNull().check(sql`validity_days > 0`))
      .addColumn('price_cents', 'integer', (c) => c.notNull().check(sql`price_cents >= 0`))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('hotspot_users')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('hotspot_plan_id', 'integer', (c) => c.notNull().references('hotspot_plans.id').onDelete('restrict'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('login', 'voucher')`))
      // The login name, or the voucher code: unique on the hotspot server.
      .addColumn('login', 'text', (c) => c.notNull().unique())
      .addColumn('password', 'text')
      .addColumn('batch_id', 'text')
      // Normalized MAC the user is bound to, if any.
      .addColumn('mac_binding', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('Active', 'Disabled', 'Expired')`))
      .addColumn('first_used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('hotspot_users_subscription').on('hotspot_users').columns(['subscription_id', 'id']),
    db.schema.createIndex('hotspot_users_batch').on('hotspot_users').columns(['batch_id', 'id']),
    db.schema.createIndex('hotspot_users_plan').on('hotspot_users').column('hotspot_plan_id'),
  ],
};
