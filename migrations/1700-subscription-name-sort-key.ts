import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * The key the subscription list sorts "Name" by. A subscription named after its contact
 * ("June Harlow") sorts by family name, the way the Contacts list and the Contact column already
 * sort people, so "Harlow – site 3" and "June Harlow" land together; any other name sorts as
 * written. Kept by triggers, so every writer (forms, import, demo) keeps it right without knowing
 * it exists. Lower-cased with SQLite's lower(), which folds ASCII only; names that differ only by
 * the case of an accented letter may sort apart, which a reader does not notice.
 */
const KEY = (s: string, c: string) =>
  `lower(case when trim(${s}.name) = ${c}.first_name || ' ' || ${c}.last_name then ${c}.last_name || ' ' || ${c}.first_name else trim(${s}.name) end)`;

export const migration: Migration = {
  id: '1700-subscription-name-sort-key',
  steps: (db) => [
    db.schema.alterTable('subscriptions').addColumn('name_sort_key', 'text', (c) => c.notNull().defaultTo('')),
    sql.raw(`update subscriptions set name_sort_key = (select ${KEY('subscriptions', 'c')} from contacts c where c.id = subscriptions.contact_id)`),
    sql.raw(`create trigger subscriptions_name_sort_key_insert after insert on subscriptions begin
      update subscriptions set name_sort_key = (select ${KEY('new', 'c')} from contacts c where c.id = new.contact_id) where id = new.id;
    end`),
    sql.raw(`create trigger subscriptions_name_sort_key_update after update of name, contact_id on subscriptions begin
      update subscriptions set name_sort_key = (select ${KEY('new', 'c')} from contacts c where c.id = new.contact_id) where id = new.id;
    end`),
    sql.raw(`create trigger contacts_name_sort_key_update after update of first_name, last_name on contacts begin
      update subscriptions set name_sort_key = ${KEY('subscriptions', 'new')} where contact_id = new.id;
    end`),
    db.schema.createIndex('subscriptions_name_sort').on('subscriptions').columns(['name_sort_key', 'unique_id']),
    db.schema.createIndex('subscriptions_status_name_sort').on('subscriptions').columns(['status', 'name_sort_key', 'unique_id']),
    db.schema.createIndex('subscriptions_engineer_name_sort').on('subscriptions').columns(['engineer_id', 'name_sort_key', 'unique_id']),
  ],
};
