/**
 * Percentages as exact decimal strings ("7.25", "20"): discount and tax rates are typed by staff and
 * stored as text, so 8.25% is exactly 8.25 and never 8.2499999.
 */
import Decimal from 'decimal.js';
import { Dec } from '../../../../shared/domain/money';

const PERCENT_TEXT = /^\d+(\.\d+)?$/;

/** A percentage from 0 to 100 as a Decimal; refuses signs, exponents and anything over 100. */
export function parsePercent(text: string): Decimal {
  const known = parsed.get(text);
  if (known) return known;
  const p = parseFresh(text);
  if (parsed.size > 1000) parsed.clear();
  parsed.set(text, p);
  return p;
}

// Rates and discounts repeat on every line of a run; Decimals are immutable, so sharing is safe.
const parsed = new Map<string, Decimal>();

function parseFresh(text: string): Decimal {
  const t = text.trim();
  if (!PERCENT_TEXT.test(t)) throw new RangeError(`"${text}" is not a percentage; write it like 20 or 7.25.`);
  const p = new Dec(t);
  if (p.gt(100)) throw new RangeError(`${t}% is more than 100%.`);
  return p;
}

/** Canonical text for a rate, so "8.250" and "8.25" are the same rate: "8.25". */
export function normalizePercent(text: string): string {
  return parsePercent(text).toFixed();
}
