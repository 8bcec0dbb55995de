import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Billing: settings, invoices and their charges, credit memos, payments with their allocations,
 * refunds, and billing runs. Money columns are integer cents; rates are exact decimal text.
 *
 * The database itself guards what staff must be able to trust:
 * - a service is charged once per period (and a one-time product once), so billing runs are idempotent;
 * - a closed invoice and its charges can no longer change (triggers), whatever code runs;
 * - numbers of closed documents are unique.
 */
export const migration: Migration = {
  id: '0400-billing-documents',
  steps: (db) => [
    db.schema
      .createTable('billing_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('currency_code', 'text', (c) => c.notNull().defaultTo('USD').check(sql`length(currency_code) = 3`))
      .addColumn('minor_digits', 'integer', (c) => c.notNull().defaultTo(2).check(sql`minor_digits between 0 and 4`))
      .addColumn('payment_terms_days', 'integer', (c) => c.notNull().defaultTo(15).check(sql`payment_terms_days between 0 and 365`))
      .addColumn('grace_days', 'integer', (c) => c.notNull().defaultTo(7).check(sql`grace_days between 0 and 365`))
      .addColumn('isp_name', 'text', (c) => c.notNull().defaultTo('Your ISP'))
      .addColumn('isp_street', 'text')
      .addColumn('isp_city', 'text')
      .addColumn('isp_region', 'text')
      .addColumn('isp_postal_code', 'text')
      .addColumn('isp_country', 'text')
      .addColumn('isp_phone', 'text')
      .addColumn('isp_email', 'text')
      .addColumn('isp_logo', 'text')
      // Nothing before this day is billed: periods before it were billed by whatever came before Towerline.
      .addColumn('billing_start_date', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    sql`insert into billing_settings (id, updated_at) values (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,

    db.schema
      .createTable('billing_runs')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('run_date', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'completed', 'failed', 'interrupted')`))
      .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('subscriptions_billed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('charges_created', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('invoices_created', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('amount_cents', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('error', 'text')
      .addColumn('started_by_name', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('invoices')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'closed')`))
      .addColumn('number', 'text', (c) => c.unique())
      .addColumn('issue_date', 'text')
      .addColumn('due_date', 'text')
      // Created by a billing run rather than by staff: deleted again when it is left without lines.
      .addColumn('auto_created', 'integer', (c) => c.notNull().defaultTo(0).check(sql`auto_created in (0, 1)`))
      .addColumn('billing_run_id', 'integer', (c) => c.references('billing_runs.id').onDelete('set null'))
      .addColumn('subtotal_cents', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tax_cents', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total_cents', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addCheckConstraint('closed_invoice_is_numbered', sql`status = 'open' or (number is not null and issue_date is not null and due_date is not null)`)
      .modifyEnd(sql`strict`),
    db.schema.createIndex('invoices_subscription').on('invoices').columns(['subscription_id', 'status']),
    db.schema.createIndex('invoices_open_due').on('invoices').columns(['status', 'due_date']),

    db.schema
      .createTable('charges')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('invoice_id', 'integer', (c) => c.notNull().references('invoices.id').onDelete('restrict'))
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('service_id', 'integer', (c) => c.references('services.id').onDelete('restrict'))
      .addColumn('account_package_id', 'integer', (c) => c.references('account_packages.id').onDelete('restrict'))
      .addColumn('plan_id', 'integer')
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('recurring', 'one-time', 'manual')`))
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('explanation', 'text', (c) => c.notNull())
      .addColumn('period_start', 'text')
      .addColumn('period_end', 'text')
      .addColumn('quantity', 'text', (c) => c.notNull().defaultTo('1'))
      .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
      .addColumn('amount_cents', 'integer', (c) => c.notNull())
      .addColumn('tax_rate_percent', 'text')
      .addColumn('tax_cents', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint('recurring_charge_has_period', sql`kind <> 'recurring' or (period_start is not null and period_end is not null and period_start < period_end)`)
      .modifyEnd(sql`strict`),
    db.schema.createIndex('charges_invoice').on('charges').column('invoice_id'),
    // Covers what a billing run reads per batch of subscriptions: what each service is billed through.
    db.schema.createIndex('charges_billing_state').on('charges').columns(['subscription_id', 'service_id', 'kind', 'period_end']),
    db.schema.createIndex('charges_account_package').on('charges').column('account_package_id'),
    // Idempotence lives in the database: one charge per service and period, one one-time charge per service.
    sql`create unique index charges_one_per_period on charges (service_id, period_start) where kind = 'recurring'`,
    sql`create unique index charges_one_time_once on charges (service_id) where kind = 'one-time'`,

    db.schema
      .createTable('credit_memos')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      // Positive: what the memo takes off the subscriber's balance.
      .addColumn('subtotal_cents', 'integer', (c) => c.notNull().check(sql`subtotal_cents >= 0`))
      .addColumn('tax_cents', 'integer', (c) => c.notNull().check(sql`tax_cents >= 0`))
      .addColumn('total_cents', 'integer', (c) => c.notNull().check(sql`total_cents > 0`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('credit_memos_subscription').on('credit_memos').columns(['subscription_id', 'issue_date']),

    db.schema
      .createTable('credit_memo_lines')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('credit_memo_id', 'integer', (c) => c.notNull().references('credit_memos.id').onDelete('restrict'))
      .addColumn('charge_id', 'integer', (c) => c.notNull().references('charges.id').onDelete('restrict'))
      .addColumn('description', 'text', (c) => c.notNull())
      // Negative: the opposite sign of the charge it reverses.
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents <= 0`))
      .addColumn('tax_rate_percent', 'text')
      .addColumn('tax_cents', 'integer', (c) => c.notNull().check(sql`tax_cents <= 0`))
      .modifyEnd(sql`strict`),
    db.schema.createIndex('credit_memo_lines_memo').on('credit_memo_lines').column('credit_memo_id'),
    db.schema.createIndex('credit_memo_lines_charge').on('credit_memo_lines').column('charge_id'),

    db.schema
      .createTable('payments')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('cash', 'cheque', 'bank_transfer', 'card')`))
      .addColumn('received_date', 'text', (c) => c.notNull())
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
      .addColumn('reference', 'text')
      .addColumn('notes', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('payments_subscription').on('payments').columns(['subscription_id', 'received_date']),

    db.schema
      .createTable('payment_allocations')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('payment_id', 'integer', (c) => c.notNull().references('payments.id').onDelete('cascade'))
      .addColumn('invoice_id', 'integer', (c) => c.notNull().references('invoices.id').onDelete('restrict'))
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
      .addColumn('allocated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('payment_allocations_payment').on('payment_allocations').column('payment_id'),
    db.schema.createIndex('payment_allocations_invoice').on('payment_allocations').column('invoice_id'),

    db.schema
      .createTable('refunds')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('payment_id', 'integer', (c) => c.notNull().references('payments.id').onDelete('restrict'))
      .addColumn('refund_date', 'text', (c) => c.notNull())
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
      .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('cash', 'cheque', 'bank_transfer', 'card')`))
      .addColumn('reference', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('refunds_subscription').on('refunds').columns(['subscription_id', 'refund_date']),

    // A closed invoice is final: these refuse any later change, whichever code path tries.
    sql`create trigger invoices_closed_immutable before update on invoices when old.status = 'closed'
        begin select raise(abort, 'A closed invoice cannot be changed; issue a credit memo instead.'); end`,
    sql`create trigger invoices_closed_undeletable before delete on invoices when old.status = 'closed'
        begin select raise(abort, 'A closed invoice cannot be deleted; issue a credit memo instead.'); end`,
    sql`create trigger charges_closed_no_insert before insert on charges
        when (select status from invoices where id = new.invoice_id) = 'closed'
        begin select raise(abort, 'A closed invoice cannot take new charges.'); end`,
    sql`create trigger charges_closed_no_update before update on charges
        when (select status from invoices where id = old.invoice_id) = 'closed'
        begin select raise(abort, 'A charge on a closed invoice cannot be changed; issue a credit memo instead.'); end`,
    sql`create trigger charges_closed_no_delete before delete on charges
        when (select status from invoices where id = old.invoice_id) = 'closed'
        begin select raise(abort, 'A charge on a closed invoice cannot be removed; issue a credit memo instead.'); end`,
  ],
};
