import type { billingApi } from '../../../shared/api/billing';
import type { IsoDate } from '../../../shared/domain/types';
import type { HandlersFor } from '../api/handlers';
import { addProduct, deleteAccountPackage, getAccountPackage, listAccountPackages, provisionPackage, updateAccountPackage } from './account-packages';
import { createCreditMemo, getCreditMemo, listCreditMemos } from './credit-memos';
import { batchStatementHtml, invoiceHtml, statementHtml } from './documents/render';
import {
  addManualCharge,
  closeAllOpenInvoices,
  closeInvoice,
  getInvoice,
  listInvoicesOfSubscription,
  listOpenInvoices,
  removeCharge,
  rerateInvoice,
} from './invoices';
import { agingReport, getStatement, subscriptionBalance, subscriptionLedger } from './ledger';
import { getPayment, listPayments, recordPayment, refundPayment } from './payments';
import { reconsiderAfterSettlement } from '../dunning/run';
import { getRun, listRuns, previewBilling, startBillingRun } from './run';
import { dayOf, getBillingSettings, updateBillingSettings } from './settings';

const day = (d: string) => d as IsoDate;

export const billingHandlers: HandlersFor<typeof billingApi> = {
  'billingSettings.get': (_input, { db }) => getBillingSettings(db),
  'billingSettings.update': (patch, { db, now }) => updateBillingSettings(db, patch, now()),

  'accountPackages.provision': (input, { db, now }) =>
    provisionPackage(db, { ...input, startDate: day(input.startDate), endDate: input.endDate ? day(input.endDate) : null }, now()),
  'accountPackages.get': ({ id }, { db }) => getAccountPackage(db, id),
  'accountPackages.listBySubscription': ({ subscriptionId }, { db }) => listAccountPackages(db, subscriptionId),
  'accountPackages.update': ({ id, contractId, startDate, endDate }, { db, actor, now }) =>
    updateAccountPackage(db, id, { contractId, startDate: startDate ? day(startDate) : undefined, endDate: endDate === undefined ? undefined : endDate ? day(endDate) : null }, actor, now()),
  'accountPackages.addProduct': ({ id, packageProductId, quantity }, { db, now }) => addProduct(db, id, packageProductId, quantity, now()),
  'accountPackages.delete': async ({ id }, { db }) => (await deleteAccountPackage(db, id), { deleted: true as const }),

  'billing.preview': ({ date }, { db, now }) => previewBilling(db, date ? day(date) : dayOf(now())),
  // Self-transacting (backend.ts): each batch of subscriptions commits on its own.
  'billing.run': async ({ date, wait }, { db, now, actor, progress }) => {
    const { runId, finished } = await startBillingRun(db, { asOf: date ? day(date) : dayOf(now()), actorName: actor.name, now, progress });
    if (wait) return finished;
    finished.catch((error: unknown) => console.error(`[towerline] billing run ${runId} failed`, error));
    return getRun(db, runId);
  },
  'billing.runs.get': ({ id }, { db }) => getRun(db, id),
  'billing.runs.list': ({ page, pageSize }, { db }) => listRuns(db, page, pageSize),
  'billing.ledger': ({ subscriptionId }, { db }) => subscriptionLedger(db, subscriptionId),
  'billing.balance': ({ subscriptionId }, { db, now }) => subscriptionBalance(db, subscriptionId, dayOf(now())),
  'billing.aging': ({ asOf, page, pageSize }, { db, now }) => agingReport(db, asOf ? day(asOf) : dayOf(now()), page, pageSize),

  'invoices.get': ({ id }, { db }) => getInvoice(db, id),
  'invoices.listBySubscription': ({ subscriptionId }, { db }) => listInvoicesOfSubscription(db, subscriptionId),
  'invoices.listOpen': ({ page, pageSize }, { db }) => listOpenInvoices(db, page, pageSize),
  'invoices.addCharge': (input, { db, now }) => addManualCharge(db, input, now()),
  'invoices.removeCharge': ({ chargeId }, { db }) => removeCharge(db, chargeId),
  'invoices.rerate': async ({ id }, { db }) => (await rerateInvoice(db, id), getInvoice(db, id)),
  'invoices.close': ({ id, date }, { db, now }) => closeInvoice(db, id, date ? day(date) : dayOf(now()), now()),
  'invoices.closeAllOpen': async ({ date }, { db, now }) => ({ closed: await closeAllOpenInvoices(db, date ? day(date) : dayOf(now()), now()) }),
  'invoices.html': async ({ id }, { db }) => ({ html: await invoiceHtml(db, id) }),

  // A payment or credit that clears the overdue amount lifts a dunning suspension in the same transaction.
  'creditMemos.create': async ({ subscriptionId, reason, date, lines }, { db, actor, now }) => {
    const memo = await createCreditMemo(db, { subscriptionId, reason, date: date ? day(date) : dayOf(now()), lines }, actor, now());
    await reconsiderAfterSettlement(db, subscriptionId, dayOf(now()), { actor, now: now(), cause: `credit memo ${memo.number}` });
    return memo;
  },
  'creditMemos.get': ({ id }, { db }) => getCreditMemo(db, id),
  'creditMemos.listBySubscription': ({ subscriptionId }, { db }) => listCreditMemos(db, subscriptionId),

  'payments.record': async (input, { db, actor, now }) => {
    const payment = await recordPayment(db, { ...input, receivedDate: day(input.receivedDate) }, actor, now());
    await reconsiderAfterSettlement(db, input.subscriptionId, dayOf(now()), { actor, now: now(), cause: `payment ${payment.number}` });
    return payment;
  },
  'payments.get': ({ id }, { db }) => getPayment(db, id),
  'payments.listBySubscription': ({ subscriptionId }, { db }) => listPayments(db, subscriptionId),
  'payments.refund': (input, { db, actor, now }) => refundPayment(db, { ...input, date: day(input.date) }, actor, now()),

  'statements.get': ({ subscriptionId, from, to }, { db }) => getStatement(db, subscriptionId, day(from), day(to)),
  'statements.html': async ({ subscriptionId, from, to }, { db, now }) => ({ html: await statementHtml(db, subscriptionId, day(from), day(to), dayOf(now())) }),
  'statements.batchHtml': ({ from, to }, { db, now }) => batchStatementHtml(db, day(from), day(to), dayOf(now())),
};

/** Procedures that run their own transactions (passed to the dispatcher by backend.ts). */
export const BILLING_SELF_TRANSACTING = ['billing.run'] as const;
