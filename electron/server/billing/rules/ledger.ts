/**
 * The account ledger: what the subscriber owes, entry by entry. Invoices and refunds raise the
 * balance, credit memos and payments lower it; a positive balance is owed by the subscriber, a
 * negative one is credit in their favour. Entries carry positive amounts; the kind gives the sign.
 */
import { cents, negateCents, sumCents, type Cents } from '../../../../shared/domain/money';
import type { IsoDate } from './dates';

export const LEDGER_KINDS = ['invoice', 'credit_memo', 'payment', 'refund'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

const RAISES: Record<LedgerKind, boolean> = { invoice: true, refund: true, credit_memo: false, payment: false };

export interface LedgerEntry {
  kind: LedgerKind;
  date: IsoDate;
  /** The document's total, zero or more. */
  amount: Cents;
  /** Invoice or payment number, for the statement. */
  reference?: string;
}

export interface LedgerRow<E extends LedgerEntry = LedgerEntry> {
  entry: E;
  signed: Cents;
  balance: Cents;
}

export function signedAmount(entry: LedgerEntry): Cents {
  if (!Number.isSafeInteger(entry.amount) || entry.amount < 0) {
    throw new RangeError(`A ledger ${entry.kind} carries a positive amount; the kind gives the sign (got ${entry.amount}).`);
  }
  return RAISES[entry.kind] ? entry.amount : negateCents(entry.amount);
}

/** Rows in date order (entries on the same date keep their given order), each with the balance after it. */
export function runningBalance<E extends LedgerEntry>(entries: readonly E[], opening: Cents = cents(0)): LedgerRow<E>[] {
  let balance = opening;
  return [...entries]
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => (a.entry.date < b.entry.date ? -1 : a.entry.date > b.entry.date ? 1 : a.i - b.i))
    .map(({ entry }) => {
      const signed = signedAmount(entry);
      balance = sumCents([balance, signed]);
      return { entry, signed, balance };
    });
}

export function closingBalance(entries: readonly LedgerEntry[], opening: Cents = cents(0)): Cents {
  return sumCents([opening, ...entries.map(signedAmount)]);
}
