import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** Staff, organizations, contacts, subscriptions and their status history; named counters. */
export const migration: Migration = {
  id: '0100-people-and-subscriptions',
  steps: (db) => [
    db.schema
      .createTable('sequences')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('next_value', 'integer', (c) => c.notNull().check(sql`next_value >= 1`))
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('staff')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('phone', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('organizations')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('street', 'text')
      .addColumn('city', 'text')
      .addColumn('region', 'text')
      .addColumn('postal_code', 'text')
      .addColumn('country', 'text')
      .addColumn('notes', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('organizations_name').on('organizations').column('name'),

    db.schema
      .createTable('contacts')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('restrict'))
      .addColumn('phones', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('emails', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('street', 'text')
      .addColumn('city', 'text')
      .addColumn('region', 'text')
      .addColumn('postal_code', 'text')
      .addColumn('country', 'text')
      .addColumn('latitude', 'real', (c) => c.check(sql`latitude between -90 and 90`))
      .addColumn('longitude', 'real', (c) => c.check(sql`longitude between -180 and 180`))
      .addColumn('notes', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('contacts_name').on('contacts').columns(['last_name', 'first_name']),
    db.schema.createIndex('contacts_organization').on('contacts').column('organization_id'),

    db.schema
      .createTable('subscriptions')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('unique_id', 'text', (c) => c.notNull().unique())
      .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('restrict'))
      .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('restrict'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('Active', 'Inactive', 'Suspended', 'Cancelled', 'Completed')`),
      )
      .addColumn('engineer_id', 'integer', (c) => c.notNull().references('staff.id').onDelete('restrict'))
      // Sort keys copied from the contact and the engineer, so a 100,000-row list sorts by index.
      .addColumn('contact_sort_name', 'text', (c) => c.notNull())
      .addColumn('engineer_sort_name', 'text', (c) => c.notNull())
      .addColumn('notification_level', 'text', (c) => c.notNull().defaultTo('Now'))
      .addColumn('description', 'text')
      .addColumn('bill_day', 'integer', (c) => c.notNull().defaultTo(1).check(sql`bill_day between 1 and 28`))
      .addColumn('service_password', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('subscriptions_status').on('subscriptions').columns(['status', 'unique_id']),
    db.schema.createIndex('subscriptions_engineer').on('subscriptions').columns(['engineer_id', 'unique_id']),
    db.schema.createIndex('subscriptions_contact').on('subscriptions').column('contact_id'),
    db.schema.createIndex('subscriptions_organization').on('subscriptions').column('organization_id'),
    db.schema.createIndex('subscriptions_name').on('subscriptions').columns(['name', 'unique_id']),
    db.schema.createIndex('subscriptions_contact_sort').on('subscriptions').columns(['contact_sort_name', 'unique_id']),
    db.schema.createIndex('subscriptions_engineer_sort').on('subscriptions').columns(['engineer_sort_name', 'unique_id']),
    db.schema.createIndex('subscriptions_created').on('subscriptions').columns(['created_at', 'unique_id']),
    // The list filters by status or engineer and sorts by any column; an index per pair walks a page
    // in order instead of sorting thousands of rows (status + engineer together use the engineer's).
    ...(['name', 'contact_sort_name', 'engineer_sort_name', 'created_at'] as const).map((column) =>
      db.schema.createIndex(`subscriptions_status_${column}`).on('subscriptions').columns(['status', column, 'unique_id']),
    ),
    ...(['name', 'contact_sort_name', 'status', 'created_at'] as const).map((column) =>
      db.schema.createIndex(`subscriptions_engineer_${column}`).on('subscriptions').columns(['engineer_id', column, 'unique_id']),
    ),

    db.schema
      .createTable('subscription_status_changes')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('changed_at', 'text', (c) => c.notNull())
      .addColumn('changed_by_staff_id', 'integer', (c) => c.references('staff.id').onDelete('set null'))
      .addColumn('changed_by_name', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .modifyEnd(sql`strict`),
    db.schema.createIndex('status_changes_subscription').on('subscription_status_changes').columns(['subscription_id', 'id']),

    // Quick search: prefix matching over names, unique IDs, phone digits and emails.
    // Documents are written by db/search.ts; remove_diacritics lets "Mueller" staff find "Müller" by typing "mu".
    sql`create virtual table subscription_search using fts5(unique_id, name, contact, phones, emails, tokenize = 'unicode61 remove_diacritics 2')`,
  ],
};
