/**
 * Allocating a payment to open invoices (DOMAIN.md, "Payment"). By default the oldest debt is paid
 * first: earliest due date, then lowest invoice number. Staff may instead say exactly where the money
 * goes; that list is checked, never trimmed silently. Whatever is not allocated stays on the account
 * as credit, so allocations + credit always equal the payment.
 */
import { cents, subtractCents, sumCents, type Cents } from '../../../../shared/domain/money';
import type { IsoDate } from './dates';

export type InvoiceKey = string | number;

export interface OpenInvoice {
  id: InvoiceKey;
  /** The invoice number as printed, e.g. "2026-000123"; compared with digits as numbers. */
  number: string;
  dueDate: IsoDate;
  /** What is still owed on it; zero or less means nothing to pay. */
  openBalance: Cents;
}

export interface Allocation {
  invoiceId: InvoiceKey;
  amount: Cents;
}

export interface AllocationPlan {
  allocations: Allocation[];
  /** Left over after the allocations: account credit. */
  credit: Cents;
}

export type AllocationOutcome = ({ ok: true } & AllocationPlan) | { ok: false; invoiceId: InvoiceKey | null; message: string };

const byNumber = new Intl.Collator('en', { numeric: true });

export function oldestDueFirst(a: OpenInvoice, b: OpenInvoice): number {
  return a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : byNumber.compare(a.number, b.number);
}

/** Pays invoices oldest-due first until the payment runs out. */
export function allocateOldestFirst(payment: Cents, invoices: readonly OpenInvoice[]): AllocationPlan {
  checkPayment(payment);
  let left = payment;
  const allocations: Allocation[] = [];
  for (const inv of [...invoices].sort(oldestDueFirst)) {
    if (left <= 0) break;
    if (inv.openBalance <= 0) continue;
    const amount = cents(Math.min(left, inv.openBalance));
    allocations.push({ invoiceId: inv.id, amount });
    left = subtractCents(left, amount);
  }
  return { allocations, credit: left };
}

/** Checks a staff-given allocation list against the payment and each invoice's open balance. */
export function checkAllocations(payment: Cents, invoices: readonly OpenInvoice[], requested: readonly Allocation[]): AllocationOutcome {
  checkPayment(payment);
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const seen = new Set<InvoiceKey>();
  for (const { invoiceId, amount } of requested) {
    const inv = byId.get(invoiceId);
    if (!inv) return { ok: false, invoiceId, message: `Invoice ${invoiceId} is not open on this account.` };
    if (seen.has(invoiceId)) return { ok: false, invoiceId, message: `Invoice ${inv.number} is listed twice.` };
    seen.add(invoiceId);
    if (!Number.isSafeInteger(amount) || amount <= 0) return { ok: false, invoiceId, message: `The amount for invoice ${inv.number} must be more than zero.` };
    if (amount > inv.openBalance) return { ok: false, invoiceId, message: `Invoice ${inv.number} has less than that left to pay.` };
  }
  const allocated = sumCents(requested.map((r) => r.amount));
  if (allocated > payment) return { ok: false, invoiceId: null, message: 'The allocations add up to more than the payment.' };
  return { ok: true, allocations: requested.map((r) => ({ ...r })), credit: subtractCents(payment, allocated) };
}

/** The explicit list when given, otherwise oldest-due first. */
export function allocatePayment(payment: Cents, invoices: readonly OpenInvoice[], requested?: readonly Allocation[] | null): AllocationOutcome {
  if (requested) return checkAllocations(payment, invoices, requested);
  return { ok: true, ...allocateOldestFirst(payment, invoices) };
}

function checkPayment(payment: Cents): void {
  if (!Number.isSafeInteger(payment) || payment <= 0) throw new RangeError(`A payment must be a whole number of cents above zero, got ${payment}.`);
}
