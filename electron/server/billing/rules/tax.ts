/**
 * Tax: each line is taxed at its own rate and the tax is rounded once per line (the one rule in
 * shared/domain/money.ts). Invoice totals only add: per-rate tax is the sum of the lines' taxes,
 * never a re-computation on the per-rate base, so the printed lines always add up to the total.
 */
import { Dec, cents, fromDecimal, sumCents, toDecimal, type Cents } from '../../../../shared/domain/money';
import { normalizePercent, parsePercent } from './percent';

export interface TaxClass {
  name: string;
  /** "7.25" for 7.25%. */
  ratePercent: string;
}

export interface InvoiceLine {
  amount: Cents;
  /** Null: not taxed. */
  taxRatePercent: string | null;
  /**
   * The line's tax when it is already fixed (a stored charge, or a credit mirroring one);
   * computed with `lineTax` when absent.
   */
  tax?: Cents;
}

/** amount × rate / 100, rounded once; symmetric, so a negated amount gets the negated tax. */
export function lineTax(amount: Cents, taxRatePercent: string | null): Cents {
  if (taxRatePercent === null) return cents(0);
  return fromDecimal(toDecimal(amount).times(parsePercent(taxRatePercent)).div(100));
}

export interface RateTotal {
  /** Normalized: "8.25" whether lines said "8.25" or "8.250". */
  ratePercent: string;
  /** Sum of the amounts of the lines taxed at this rate. */
  taxable: Cents;
  /** Sum of those lines' taxes. */
  tax: Cents;
}

export interface InvoiceTotals {
  subtotal: Cents;
  /** Per rate, in ascending rate order; untaxed lines appear in no rate. */
  taxes: RateTotal[];
  taxTotal: Cents;
  total: Cents;
  /** Each line's tax, in the order of the lines. */
  lineTaxes: Cents[];
}

export function invoiceTotals(lines: readonly InvoiceLine[]): InvoiceTotals {
  const lineTaxes = lines.map((l) => l.tax ?? lineTax(l.amount, l.taxRatePercent));
  const byRate = new Map<string, { amounts: Cents[]; taxes: Cents[] }>();
  lines.forEach((line, i) => {
    if (line.taxRatePercent === null) {
      if (lineTaxes[i] !== 0) throw new RangeError('An untaxed line cannot carry tax.');
      return;
    }
    const rate = normalizePercent(line.taxRatePercent);
    const group = byRate.get(rate) ?? { amounts: [], taxes: [] };
    group.amounts.push(line.amount);
    group.taxes.push(lineTaxes[i] as Cents);
    byRate.set(rate, group);
  });
  const taxes = [...byRate.entries()]
    .sort(([a], [b]) => new Dec(a).cmp(b))
    .map(([ratePercent, g]) => ({ ratePercent, taxable: sumCents(g.amounts), tax: sumCents(g.taxes) }));
  const subtotal = sumCents(lines.map((l) => l.amount));
  const taxTotal = sumCents(lineTaxes);
  return { subtotal, taxes, taxTotal, total: sumCents([subtotal, taxTotal]), lineTaxes };
}
