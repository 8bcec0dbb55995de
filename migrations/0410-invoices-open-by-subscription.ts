import type { Migration } from '../electron/server/db/migration';

/**
 * The open invoices of a range of subscriptions (each billing run batch) in one index range:
 * (status, subscription_id) visits only the open ones, where (subscription_id, status) walks every
 * invoice the subscriptions ever had, and a planner without fresh statistics (right after the first
 * run created them) would otherwise walk invoices_open_due over every open invoice, once per batch.
 */
export const migration: Migration = {
  id: '0410-invoices-open-by-subscription',
  steps: (db) => [db.schema.createIndex('invoices_status_subscription').on('invoices').columns(['status', 'subscription_id'])],
};
