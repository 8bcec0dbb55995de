import { z } from 'zod';
import { amountCents, centsTotalText, deleted, id, isoDate, isoDateTime, optionalText, pageInput, pageOf, percentText, quantityText, requiredText } from './common';
import { procedure } from './procedure';

/**
 * Billing: settings, account packages, runs, invoices, credit memos, payments, ledger, statements.
 * Money travels as integer minor units in fields named `…Cents`; format it with `formatMoney`
 * (shared/domain/money.ts) and the currency from `billingSettings.get`.
 */

const cents = z.number().int('Amounts are whole minor units (cents)').refine(Number.isSafeInteger, 'Amount too large');
/** Payments, refunds and credited amounts: more than zero, at most MAX_AMOUNT_CENTS. */
const positiveCents = amountCents('positive');
/**
 * A manual charge's unit price: zero or more. Money owed back to a subscriber is a credit memo; a
 * negative charge could turn an invoice's total negative, which no ledger or statement can carry.
 */
const chargeCents = amountCents('zeroOrMore');
const byId = z.object({ id });

// --- Settings ------------------------------------------------------------------------------

const LOGO_DATA_URL = /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/;

export const billingSettingsFields = z.object({
  currencyCode: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as USD'),
  minorDigits: z.number().int().min(0, '0 to 4 decimals').max(4, '0 to 4 decimals'),
  paymentTermsDays: z.number().int('Whole days').min(0, '0 to 365 days').max(365, '0 to 365 days'),
  graceDays: z.number().int('Whole days').min(0, '0 to 365 days').max(365, '0 to 365 days'),
  /** 'keep': suspended days are billed (the default); 'pause': a suspension's days are given back, prorated by days. */
  whileSuspended: z.enum(['keep', 'pause'], { message: 'Keep billing or pause' }),
  ispName: requiredText(200),
  ispStreet: optionalText(200),
  ispCity: optionalText(100),
  ispRegion: optionalText(100),
  ispPostalCode: optionalText(20),
  ispCountry: optionalText(100),
  ispPhone: optionalText(50),
  ispEmail: optionalText(200),
  /** Nothing before this day is billed (periods billed before Towerline); blank: bill from each service's start. */
  billingStartDate: isoDate.nullish().transform((v) => v ?? null),
  ispLogo: z.string().max(1_500_000, 'The logo is too large (about 1 MB at most)').regex(LOGO_DATA_URL, 'A PNG, JPEG, GIF, WebP or SVG image as a data URL').nullish().transform((v) => v ?? null),
});
export const billingSettings = billingSettingsFields.extend({
  ispName: z.string(),
  roundingRule: z.string(),
  updatedAt: isoDateTime,
});

// --- Account packages ----------------------------------------------------------------------

export const RATING_METHODS = ['recurring', 'one-time', 'prepaid-usage'] as const;

export const accountPackageService = z.object({
  id,
  planId: id.nullable(),
  packageProductId: id.nullable(),
  description: z.string(),
  ratingMethod: z.enum(RATING_METHODS),
  quantity: z.string(),
  unitPriceCents: cents,
  startDate: isoDate,
  endDate: isoDate.nullable(),
  status: z.string(),
});

export const accountPackage = z.object({
  id,
  subscriptionId: id,
  packageId: id,
  packageName: z.string(),
  contractId: id.nullable(),
  contractName: z.string().nullable(),
  startDate: isoDate,
  endDate: isoDate.nullable(),
  services: z.array(accountPackageService),
  /** Charges of this package already on closed invoices: while any, it cannot be deleted. */
  closedChargeCount: z.number().int(),
  openChargeCount: z.number().int(),
});

// --- Runs ----------------------------------------------------------------------------------

export const BILLING_RUN_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;

export const billingRun = z.object({
  id,
  runDate: isoDate,
  status: z.enum(BILLING_RUN_STATUSES),
  total: z.number().int(),
  done: z.number().int(),
  subscriptionsBilled: z.number().int(),
  chargesCreated: z.number().int(),
  invoicesCreated: z.number().int(),
  /** Charges and tax the run added, over every subscription: exact integer-cents text (`CentsTotal`). */
  amountCents: centsTotalText,
  startedAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  startedBy: z.string(),
  error: z.string().nullable(),
  /** How long the run took, measured while it ran; null while running or when not known. */
  durationMs: z.number().int().nonnegative().nullable(),
});

export const billingPreview = z.object({
  date: isoDate,
  subscriptions: z.number().int(),
  charges: z.number().int(),
  /** Totals across subscriptions: exact integer-cents text (`CentsTotal`), never bounded by 2^53. */
  subtotalCents: centsTotalText,
  taxCents: centsTotalText,
  totalCents: centsTotalText,
  byPlan: z.array(z.object({ planId: id.nullable(), planName: z.string(), charges: z.number().int(), subtotalCents: centsTotalText, taxCents: centsTotalText, totalCents: centsTotalText })),
});

// --- Invoices ------------------------------------------------------------------------------

export const INVOICE_STATUSES = ['open', 'closed'] as const;
export const CHARGE_KINDS = ['recurring', 'one-time', 'manual'] as const;

export const charge = z.object({
  id,
  invoiceId: id,
  serviceId: id.nullable(),
  accountPackageId: id.nullable(),
  kind: z.enum(CHARGE_KINDS),
  description: z.string(),
  /** How the amount came about, in words staff can read out on the phone. */
  explanation: z.string(),
  periodStart: isoDate.nullable(),
  /** The last day billed (inclusive), for display. */
  periodLast: isoDate.nullable(),
  quantity: z.string(),
  unitPriceCents: cents,
  amountCents: cents,
  taxRatePercent: z.string().nullable(),
  taxCents: cents,
  /** Credited so far by credit memos (zero or negative). */
  creditedCents: cents,
});

export const taxLine = z.object({ ratePercent: z.string(), taxableCents: cents, taxCents: cents });

export const invoiceSummary = z.object({
  id,
  subscriptionId: id,
  subscriptionName: z.string(),
  uniqueId: z.string(),
  status: z.enum(INVOICE_STATUSES),
  number: z.string().nullable(),
  issueDate: isoDate.nullable(),
  dueDate: isoDate.nullable(),
  subtotalCents: cents,
  taxCents: cents,
  totalCents: cents,
  paidCents: cents,
  /** Credit memos against its charges, as a positive sum. */
  creditedCents: cents,
  openBalanceCents: cents,
  createdAt: isoDateTime,
});

export const invoice = invoiceSummary.extend({
  charges: z.array(charge),
  taxes: z.array(taxLine),
  payments: z.array(z.object({ paymentId: id, number: z.string(), receivedDate: isoDate, amountCents: cents })),
});

// --- Credit memos, payments, refunds -------------------------------------------------------

export const creditMemo = z.object({
  id,
  subscriptionId: id,
  number: z.string(),
  issueDate: isoDate,
  reason: z.string(),
  subtotalCents: cents,
  taxCents: cents,
  totalCents: cents,
  createdBy: z.string(),
  lines: z.array(
    z.object({ id, chargeId: id, invoiceId: id, invoiceNumber: z.string(), description: z.string(), amountCents: cents, taxRatePercent: z.string().nullable(), taxCents: cents }),
  ),
});

export const PAYMENT_METHODS = ['cash', 'cheque', 'bank_transfer', 'card'] as const;
export const PAYMENT_METHOD_LABELS: Record<(typeof PAYMENT_METHODS)[number], string> = {
  cash: 'Cash',
  cheque: 'Cheque',
  bank_transfer: 'Bank transfer',
  card: 'Card (entered by hand)',
};

export const payment = z.object({
  id,
  subscriptionId: id,
  number: z.string(),
  method: z.enum(PAYMENT_METHODS),
  receivedDate: isoDate,
  amountCents: cents,
  reference: z.string().nullable(),
  notes: z.string().nullable(),
  allocations: z.array(z.object({ invoiceId: id, invoiceNumber: z.string(), amountCents: cents })),
  /** Neither allocated nor refunded: account credit. */
  unallocatedCents: cents,
  refundedCents: cents,
  createdBy: z.string(),
});

export const refund = z.object({
  id,
  paymentId: id,
  refundDate: isoDate,
  amountCents: cents,
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  reason: z.string(),
});

// --- Ledger, balance, aging, statements ----------------------------------------------------

export const LEDGER_ENTRY_KINDS = ['invoice', 'credit_memo', 'payment', 'refund'] as const;

export const ledgerRow = z.object({
  kind: z.enum(LEDGER_ENTRY_KINDS),
  documentId: id,
  date: isoDate,
  number: z.string(),
  description: z.string(),
  /** Raises the balance (invoices, refunds). */
  debitCents: cents,
  /** Lowers the balance (credit memos, payments). */
  creditCents: cents,
  balanceCents: cents,
});

export const balance = z.object({
  subscriptionId: id,
  /** Positive: owed by the subscriber; negative: credit in their favour. */
  balanceCents: cents,
  /** Open balances of closed invoices past their due date. */
  overdueCents: cents,
  /** Payments neither allocated nor refunded. */
  unallocatedCents: cents,
  /** Charges on open invoices, not yet in the balance. */
  unbilledCents: cents,
});

export const agingAmounts = z.object({
  currentCents: cents,
  days1to30Cents: cents,
  days31to60Cents: cents,
  days61to90Cents: cents,
  over90Cents: cents,
  totalCents: cents,
});

/** The report's totals across subscriptions: the same buckets as exact integer-cents text. */
export const agingTotals = z.object({
  currentCents: centsTotalText,
  days1to30Cents: centsTotalText,
  days31to60Cents: centsTotalText,
  days61to90Cents: centsTotalText,
  over90Cents: centsTotalText,
  totalCents: centsTotalText,
});

export const agingRow = agingAmounts.extend({ subscriptionId: id, uniqueId: z.string(), name: z.string(), contactName: z.string(), status: z.string() });

export const statement = z.object({
  subscriptionId: id,
  from: isoDate,
  to: isoDate,
  openingBalanceCents: cents,
  closingBalanceCents: cents,
  /** When a closing balance owed is due (the newest invoice's due date); null when nothing is owed. */
  balanceDueOn: isoDate.nullable(),
  rows: z.array(ledgerRow),
});

const html = z.object({ html: z.string() });

export const billingApi = {
  'billingSettings.get': procedure('Currency, payment terms, grace period and the ISP identity printed on documents.', z.object({}).default({}), billingSettings),
  'billingSettings.update': procedure('Change billing settings.', billingSettingsFields.partial(), billingSettings),

  'accountPackages.provision': procedure(
    'Provision a package to a subscription; the products picked (by default those with a minimum quantity) become services.',
    z.object({
      subscriptionId: id,
      packageId: id,
      contractId: id.nullish().transform((v) => v ?? null),
      startDate: isoDate,
      endDate: isoDate.nullish().transform((v) => v ?? null),
      /** The products to make services of, each with its quantity; left out: those with a minimum quantity, at it. */
      products: z.array(z.object({ packageProductId: id, quantity: quantityText.optional() })).max(100, 'At most 100 products').optional(),
    }),
    accountPackage,
  ),
  'accountPackages.get': procedure('One account package with its services.', byId, accountPackage),
  'accountPackages.listBySubscription': procedure('Account packages of a subscription, newest start first.', z.object({ subscriptionId: id }), z.array(accountPackage)),
  'accountPackages.update': procedure(
    'Change the contract, end date (pulls in later product end dates) or start date (one-time and prepaid products only; re-rates open charges).',
    z.object({ id, contractId: id.nullish(), startDate: isoDate.optional(), endDate: isoDate.nullish() }),
    accountPackage,
  ),
  'accountPackages.addProduct': procedure(
    'Add one more of the package\'s products to an account package.',
    z.object({ id, packageProductId: id, quantity: quantityText.optional() }),
    accountPackage,
  ),
  'accountPackages.delete': procedure('Delete an account package none of whose charges is on a closed invoice.', byId, deleted),

  'billing.preview': procedure('What a run for this date would bill, without writing anything.', z.object({ date: isoDate.optional() }).default({}), billingPreview),
  'billing.run': procedure(
    'Bill every subscription up to this date (default today), catching up missed periods; safe to run again. With wait: false it answers at once with the running run; follow it with billing.runs.get.',
    z.object({ date: isoDate.optional(), wait: z.boolean().default(true) }).default({ wait: true }),
    billingRun,
  ),
  'billing.runs.get': procedure('One billing run, with its progress while it works.', byId, billingRun),
  'billing.runs.list': procedure('Billing runs, newest first.', z.object({ ...pageInput }).default({ page: 1, pageSize: 50 }), pageOf(billingRun)),
  'billing.ledger': procedure('Every invoice, credit memo, payment and refund of a subscription with the running balance.', z.object({ subscriptionId: id }), z.object({ rows: z.array(ledgerRow), balanceCents: cents })),
  'billing.balance': procedure('What a subscription owes now.', z.object({ subscriptionId: id }), balance),
  'billing.aging': procedure(
    'Who owes what, by days past due (current, 1–30, 31–60, 61–90, over 90), largest debt first.',
    z.object({ asOf: isoDate.optional(), ...pageInput }).default({ page: 1, pageSize: 50 }),
    z.object({ asOf: isoDate, totals: agingTotals, rows: z.array(agingRow), total: z.number().int() }),
  ),

  'invoices.get': procedure('One invoice with its charges, taxes per rate and payments.', byId, invoice),
  'invoices.listBySubscription': procedure('Invoices of a subscription, newest first.', z.object({ subscriptionId: id }), z.array(invoiceSummary)),
  'invoices.listOpen': procedure('Open (not yet closed) invoices of every subscription.', z.object({ ...pageInput }).default({ page: 1, pageSize: 50 }), pageOf(invoiceSummary)),
  'invoices.addCharge': procedure(
    'Add a charge to an open invoice (the subscription\'s current one, created if needed).',
    z.object({
      subscriptionId: id,
      invoiceId: id.optional(),
      description: requiredText(200),
      unitPriceCents: chargeCents,
      quantity: quantityText.default('1'),
      taxRatePercent: percentText.nullish().transform((v) => v ?? null),
    }),
    invoice,
  ),
  'invoices.removeCharge': procedure('Remove a charge from an open invoice.', z.object({ chargeId: id }), invoice),
  'invoices.rerate': procedure('Re-rate the service charges of an open invoice from the services as they are now.', byId, invoice),
  'invoices.close': procedure(
    'Close an open invoice: it gets the next number and a due date, and can no longer change.',
    z.object({ id, date: isoDate.optional() }),
    invoice,
  ),
  'invoices.closeAllOpen': procedure(
    'Close every open invoice that has charges (after a billing run).',
    z.object({ date: isoDate.optional() }).default({}),
    z.object({ closed: z.number().int() }),
  ),
  'invoices.html': procedure('The printable invoice as an HTML document.', byId, html),

  'creditMemos.create': procedure(
    'Reverse all or part of charges on closed invoices; each line names a charge, and an amount for a partial credit.',
    z.object({
      subscriptionId: id,
      reason: requiredText(500),
      date: isoDate.optional(),
      lines: z.array(z.object({ chargeId: id, amountCents: positiveCents.optional() })).min(1, 'Choose at least one charge'),
    }),
    creditMemo,
  ),
  'creditMemos.get': procedure('One credit memo with its lines.', byId, creditMemo),
  'creditMemos.listBySubscription': procedure('Credit memos of a subscription, newest first.', z.object({ subscriptionId: id }), z.array(creditMemo)),

  'payments.record': procedure(
    'Record money received; allocated oldest-due first unless allocations are given; the rest becomes account credit.',
    z.object({
      subscriptionId: id,
      method: z.enum(PAYMENT_METHODS),
      receivedDate: isoDate,
      amountCents: positiveCents,
      reference: optionalText(100),
      notes: optionalText(1000),
      allocations: z.array(z.object({ invoiceId: id, amountCents: positiveCents })).optional(),
    }),
    payment,
  ),
  'payments.get': procedure('One payment with its allocations and refunds.', byId, payment),
  'payments.listBySubscription': procedure('Payments of a subscription, newest first.', z.object({ subscriptionId: id }), z.array(payment)),
  'payments.refund': procedure(
    'Record money given back from a payment\'s unallocated credit.',
    z.object({ paymentId: id, amountCents: positiveCents, date: isoDate, method: z.enum(PAYMENT_METHODS), reference: optionalText(100), reason: requiredText(500) }),
    refund,
  ),

  'statements.get': procedure(
    'A statement: opening balance, each invoice, credit memo, payment and refund in the period, closing balance.',
    z.object({ subscriptionId: id, from: isoDate, to: isoDate }),
    statement,
  ),
  'statements.html': procedure('A printable statement as an HTML document.', z.object({ subscriptionId: id, from: isoDate, to: isoDate }), html),
  'statements.batchHtml': procedure(
    'Every statement with activity or a balance in the period, in one printable HTML document (one per page).',
    z.object({ from: isoDate, to: isoDate }),
    html.extend({ count: z.number().int() }),
  ),
};
