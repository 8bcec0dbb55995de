import type { ProcedureMap } from './procedure';

/** Billing: account packages, runs, invoices, credit memos, payments, statements. */
export const billingApi = {} satisfies ProcedureMap;
