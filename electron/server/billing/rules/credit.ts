/**
 * Credit memo lines that reverse all or part of a charge on a closed invoice (DOMAIN.md, "Credit
 * memo"). A closed charge never changes; credits are new negative lines pointing at it.
 *
 * - A full reversal is the exact negation of what is still uncredited (amount and tax), so a charge
 *   plus its full credit nets to exactly zero.
 * - A partial credit, by amount or by days, never exceeds what is left: its tax is the line rule
 *   applied to the credited amount, capped at the tax left, and the credit that empties the line
 *   takes exactly the tax left, so the charge and all its credits still net to zero.
 */
import { addCents, cents, negateCents, type Cents } from '../../../../shared/domain/money';
import { prorate } from './proration';
import { lineTax } from './tax';

/** A charge line from a closed invoice, with the total of the credits already written against it. */
export interface CreditableCharge {
  amount: Cents;
  tax: Cents;
  taxRatePercent: string | null;
  /** Sum of earlier credit lines for this charge (opposite sign to the charge, or 0). */
  creditedAmount: Cents;
  creditedTax: Cents;
}

export interface CreditLine {
  /** Opposite sign to the charge. */
  amount: Cents;
  tax: Cents;
  taxRatePercent: string | null;
}

export class CreditError extends Error {
  override name = 'CreditError';
  /** When a credit asks for more than is left: both amounts, for a message in the user's currency. */
  constructor(message: string, readonly overLimit?: { left: Cents; asked: Cents }) {
    super(message);
  }
}

/** What a further credit may still take back (same sign as the charge). */
export function uncredited(charge: CreditableCharge): { amount: Cents; tax: Cents } {
  const amount = addCents(charge.amount, charge.creditedAmount);
  const tax = addCents(charge.tax, charge.creditedTax);
  if (Math.sign(amount) * Math.sign(charge.amount) < 0 || Math.sign(tax) * Math.sign(charge.tax) < 0) {
    throw new CreditError('This charge has already been credited for more than it was.');
  }
  return { amount, tax };
}

/** Reverses everything still uncredited; for an uncredited charge, its exact negation. */
export function creditInFull(charge: CreditableCharge): CreditLine {
  const left = uncredited(charge);
  return { amount: negateCents(left.amount), tax: negateCents(left.tax), taxRatePercent: charge.taxRatePercent };
}

/** Credits `amount` (given as a positive sum of money to give back on a positive charge). */
export function creditByAmount(charge: CreditableCharge, amount: Cents): CreditLine {
  const left = uncredited(charge);
  const sign = Math.sign(charge.amount) || 1;
  if (amount <= 0) throw new CreditError('A credit must be more than zero.');
  if (amount > Math.abs(left.amount)) {
    const overLimit = { left: cents(Math.abs(left.amount)), asked: amount };
    throw new CreditError(`Only ${overLimit.left} minor units of this charge are left to credit; ${amount} were asked.`, overLimit);
  }
  return partial(charge, left, cents(sign * amount));
}

/**
 * Credits `days` of the `lineDays` the charge covered, prorated on the charge's own amount.
 * The line's discount is spread evenly over its days; to credit a discounted stretch exactly,
 * re-rate those days and use `creditByAmount`.
 */
export function creditByDays(charge: CreditableCharge, days: number, lineDays: number): CreditLine {
  if (!Number.isInteger(lineDays) || lineDays <= 0 || !Number.isInteger(days) || days <= 0 || days > lineDays) {
    throw new CreditError(`Cannot credit ${days} of ${lineDays} days.`);
  }
  const left = uncredited(charge);
  const wanted = prorate(charge.amount, { usedDays: days, fullDays: lineDays });
  // Earlier credits rounded on their own may leave a cent less than this day count asks for.
  const capped = Math.abs(wanted) > Math.abs(left.amount) ? left.amount : wanted;
  return partial(charge, left, capped);
}

/** A credit of `share` (same sign as the charge) with its tax, never past what is left. */
function partial(charge: CreditableCharge, left: { amount: Cents; tax: Cents }, share: Cents): CreditLine {
  const { taxRatePercent } = charge;
  if (share === left.amount) return { amount: negateCents(share), tax: negateCents(left.tax), taxRatePercent };
  const tax = lineTax(share, taxRatePercent);
  const cappedTax = Math.abs(tax) > Math.abs(left.tax) ? left.tax : tax;
  return { amount: negateCents(share), tax: negateCents(cappedTax), taxRatePercent };
}

/**
 * What a charge for `lineDays` days still owes back when its service stopped `unusedDays` before the
 * line's end: the unused share of the charge's own amount (rounded once), less everything already
 * credited on it, never below zero. Asking again after that credit was written owes nothing more.
 */
export function unusedDaysOwed(charge: Pick<CreditableCharge, 'amount' | 'creditedAmount'>, unusedDays: number, lineDays: number): Cents {
  if (!Number.isInteger(lineDays) || lineDays <= 0 || !Number.isInteger(unusedDays) || unusedDays < 0 || unusedDays > lineDays) {
    throw new CreditError(`Cannot owe back ${unusedDays} of ${lineDays} days.`);
  }
  // The one proration rule (proration.ts): amount × days / days of the line, rounded once.
  const share = prorate(charge.amount, { usedDays: unusedDays, fullDays: lineDays });
  return cents(Math.max(0, Math.abs(share) - Math.abs(charge.creditedAmount)));
}

