/**
 * What a service already billed past a day gives back (DOMAIN.md, "Proration"): for every recurring
 * line reaching past `from`, the unused days of the line's own amount, by the billing engine's one
 * proration rule (billing/rules/proration.ts `prorate`, through credit.ts `unusedDaysOwed`: amount ×
 * unused days / days of the line, rounded once, less what was already credited).
 * - on a closed invoice: a credit memo line, its tax by the credit rules (`creditByAmount`). Days
 *   the subscription spent suspended with billing paused count with the unused days: what is
 *   owed back is measured, like a suspension's own credit (billing/rules/suspension.ts), against
 *   everything already credited on the line, so a suspension given back earlier takes nothing off
 *   the unused days, and one not yet given back is settled here once;
 * - on an open invoice: the line itself is cut to the used days (its tax re-rated on what is left),
 *   or removed when none of its days is used.
 */
import { cents, formatMoney, type Cents, type MoneyFormat } from '../../../../shared/domain/money';
import { creditByAmount, unusedDaysOwed } from '../../billing/rules/credit';
import { addDays, daysBetween, maxDate, minDate, shortDate, type DateRange, type IsoDate } from '../../billing/rules/dates';
import { suspendedDaysIn } from '../../billing/rules/suspension';
import { lineTax } from '../../billing/rules/tax';

export interface BilledLine {
  chargeId: number;
  serviceId: number | null;
  description: string;
  invoiceStatus: 'open' | 'closed';
  invoiceNumber: string | null;
  periodStart: IsoDate;
  /** Exclusive. */
  periodEnd: IsoDate;
  amount: Cents;
  tax: Cents;
  taxRatePercent: string | null;
  creditedAmount: Cents;
  creditedTax: Cents;
}

export interface LineCredit {
  chargeId: number;
  serviceId: number | null;
  description: string;
  invoiceNumber: string | null;
  mode: 'credit-memo' | 'reduce-open' | 'remove-open';
  unusedDays: number;
  lineDays: number;
  /** Positive: what comes off the balance. */
  amountCents: number;
  taxCents: number;
  explanation: string;
  /** For reduce-open: what the open line becomes. */
  remaining: { amount: Cents; tax: Cents; periodEnd: IsoDate } | null;
}

export function creditsFrom(lines: readonly BilledLine[], from: IsoDate, money: MoneyFormat, paused: readonly DateRange[] = []): LineCredit[] {
  const $ = (c: number) => formatMoney(cents(c), money);
  const out: LineCredit[] = [];
  for (const line of lines) {
    if (line.periodEnd <= from) continue;
    const lineDays = daysBetween(line.periodStart, line.periodEnd);
    const unusedStart = maxDate(line.periodStart, from);
    const unusedDays = daysBetween(unusedStart, line.periodEnd);
    const range = `${shortDate(unusedStart)} – ${shortDate(addDays(line.periodEnd, -1))}`;
    const base = { chargeId: line.chargeId, serviceId: line.serviceId, description: line.description, invoiceNumber: line.invoiceNumber, unusedDays, lineDays };
    if (line.invoiceStatus === 'open') {
      if (unusedDays === lineDays) {
        out.push({ ...base, mode: 'remove-open', amountCents: line.amount, taxCents: line.tax, remaining: null, explanation: `${line.description}: all ${lineDays} days unused (${range}): open line of ${$(line.amount)} removed` });
        continue;
      }
      const owed = unusedDaysOwed({ amount: line.amount, creditedAmount: cents(0) }, unusedDays, lineDays);
      const left = cents(line.amount - owed);
      const leftTax = lineTax(left, line.taxRatePercent);
      out.push({
        ...base,
        mode: 'reduce-open',
        amountCents: owed,
        taxCents: line.tax - leftTax,
        remaining: { amount: left, tax: leftTax, periodEnd: from },
        explanation: `${line.description}: ${unusedDays} of ${lineDays} days unused (${range}) × ${$(line.amount)} = −${$(owed)} (open line cut to ${$(left)})`,
      });
      continue;
    }
    const suspendedDays = suspendedDaysIn({ start: line.periodStart, end: maxDate(line.periodStart, minDate(from, line.periodEnd)) }, paused);
    const owed = unusedDaysOwed(line, unusedDays + suspendedDays, lineDays);
    if (owed <= 0) continue;
    const suspended = suspendedDays === 0 ? '' : ` and ${suspendedDays} suspended days with billing paused: ${unusedDays + suspendedDays} of ${lineDays} days`;
    const less = suspendedDays === 0 || line.creditedAmount === 0 ? '' : `, less ${$(Math.abs(line.creditedAmount))} already given back`;
    const credit = creditByAmount({ amount: line.amount, tax: line.tax, taxRatePercent: line.taxRatePercent, creditedAmount: line.creditedAmount, creditedTax: line.creditedTax }, owed);
    out.push({
      ...base,
      mode: 'credit-memo',
      amountCents: -credit.amount,
      taxCents: -credit.tax,
      remaining: null,
      explanation: `${line.description}: ${unusedDays} of ${lineDays} days unused (${range})${suspended} × ${$(line.amount)}${less} = −${$(owed)} (credit memo on ${line.invoiceNumber ?? 'its invoice'})`,
    });
  }
  return out;
}
