/**
 * Money: amounts in integer minor units (cents) of the one installation currency (DOMAIN.md, "Money").
 *
 * ROUNDING RULE (the only one in Towerline):
 *   Round half away from zero to the minor unit (2.5 → 3, −2.5 → −3), ONCE per invoice line.
 *   Everything that leads up to a line amount (price × quantity × proration − discount, or a line's
 *   tax) stays a Decimal until `fromDecimal` rounds it; sums of lines are exact integer sums.
 *   Half away from zero is symmetric, so rounding a negated value gives the negated result: a credit
 *   that mirrors a charge rounds to exactly minus the charge.
 *
 * Arithmetic: no floating point on amounts. Anything with a fraction goes through `Dec` (decimal.js,
 * 50 significant digits, far more than a 16-digit cent amount times a few short factors needs),
 * and whole-cent sums go through `addCents`/`sumCents`, which refuse to leave the safe-integer range.
 * A Decimal produced by these helpers is always in MINOR units, never dollars.
 */
import Decimal from 'decimal.js';
import type { Brand } from './types';

/** An amount in minor units (cents for USD): a safe integer, never a fraction of a cent. */
export type Cents = Brand<number, 'Cents'>;

/** decimal.js's ROUND_HALF_UP rounds half away from zero (its HALF_CEIL would round −2.5 to −2). */
export const ROUNDING_MODE = Decimal.ROUND_HALF_UP;
export const ROUNDING_RULE = 'Round half away from zero to the minor unit, once per invoice line.';

/** The Decimal constructor every billing computation uses: wide precision, the one rounding mode. */
export const Dec = Decimal.clone({ precision: 50, rounding: ROUNDING_MODE });
export type Dec = Decimal;

export const ZERO = 0 as Cents;

/**
 * A sum or amount beyond 2^53 − 1 minor units, which a number cannot hold exactly. The contract's
 * bounds keep every single amount far below it; only sums of very many maximal amounts reach it, and
 * they are refused with this error rather than rounded.
 */
export class AmountTooLargeError extends RangeError {
  override name = 'AmountTooLargeError';
}

export function cents(n: number): Cents {
  if (!Number.isInteger(n)) throw new RangeError(`An amount in cents must be a whole number, got ${n}.`);
  if (!Number.isSafeInteger(n)) throw new AmountTooLargeError(`The amount ${n} cents is too large to handle exactly.`);
  return (n === 0 ? 0 : n) as Cents; // no −0: it would print as "−$0.00"
}

export function isCents(n: unknown): n is Cents {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** The amount as a Decimal, in minor units. */
export function toDecimal(amount: Cents): Decimal {
  return new Dec(amount);
}

/** The rounding point: a Decimal in minor units to whole cents, half away from zero. */
export function fromDecimal(value: Decimal.Value): Cents {
  const d = new Dec(value);
  if (!d.isFinite()) throw new RangeError(`Cannot turn ${d.toString()} into an amount.`);
  return cents(d.toDecimalPlaces(0, ROUNDING_MODE).toNumber());
}

export function addCents(a: Cents, b: Cents): Cents {
  return cents(new Dec(a).plus(b).toNumber());
}

export function sumCents(amounts: Iterable<Cents>): Cents {
  let total = new Dec(0);
  for (const a of amounts) total = total.plus(a);
  return cents(total.toNumber());
}

/**
 * A total across subscriptions in minor units, as integer decimal text ("-123456789012345678901").
 * Per-document amounts and one subscription's balance stay `Cents` (bounded below 2^53); a sum over
 * many subscriptions is not bounded, so it is summed in BigInt and carried as exact text.
 */
export type CentsTotal = Brand<string, 'CentsTotal'>;

export const CENTS_TOTAL_PATTERN = /^-?\d+$/;

export function isCentsTotal(v: unknown): v is CentsTotal {
  return typeof v === 'string' && CENTS_TOTAL_PATTERN.test(v);
}

/** Stored or received total text, checked: what is not integer-cents text is an error, never a guess. */
export function parseCentsTotal(text: string): CentsTotal {
  if (!isCentsTotal(text)) throw new RangeError(`A total in cents is whole-number text, got "${text}".`);
  return BigInt(text).toString() as CentsTotal;
}

/** Text for a BigInt sum; no "-0". */
export function centsTotal(n: bigint | number): CentsTotal {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`A total in cents must be a safe whole number, got ${n}.`);
  return BigInt(n).toString() as CentsTotal;
}

/** The rounding point for a total: a Decimal in minor units to whole cents by the one rule, as exact text. */
export function totalFromDecimal(value: Decimal.Value): CentsTotal {
  const d = new Dec(value);
  if (!d.isFinite()) throw new RangeError(`Cannot turn ${d.toString()} into an amount.`);
  return centsTotal(BigInt(d.toDecimalPlaces(0, ROUNDING_MODE).toFixed(0)));
}

/** Exact sum of amounts and totals, any count: BigInt, never a float. */
export function sumCentsTotal(amounts: Iterable<Cents | CentsTotal | bigint>): CentsTotal {
  let total = 0n;
  for (const a of amounts) total += BigInt(a);
  return centsTotal(total);
}

/** Accumulates a total in BigInt; `add` takes cents straight from a row. */
export class TotalAccumulator {
  private sum = 0n;
  add(amount: Cents | number | CentsTotal): void {
    if (typeof amount === 'number' && !Number.isSafeInteger(amount)) throw new AmountTooLargeError(`The amount ${amount} cents is too large to handle exactly.`);
    this.sum += BigInt(amount);
  }
  get value(): CentsTotal {
    return centsTotal(this.sum);
  }
}

/** −1, 0 or 1: totals compared without turning them into numbers. */
export function compareCentsTotal(a: CentsTotal, b: CentsTotal): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function negateCents(a: Cents): Cents {
  return cents(-a);
}

export function subtractCents(a: Cents, b: Cents): Cents {
  return addCents(a, negateCents(b));
}

/** Minor units per major unit, as a Decimal (100 for two decimals). */
function scale(minorDigits: number): Decimal {
  const s = SCALES[minorDigits];
  if (!Number.isInteger(minorDigits) || !s) {
    throw new RangeError(`A currency has 0 to 4 decimals, got ${minorDigits}.`);
  }
  return s;
}

const SCALES = [1, 10, 100, 1000, 10000].map((n) => new Dec(n));

/** The amount in major units (dollars), exact: for display and export, not for further rounding. */
export function toMajor(amount: Cents | CentsTotal, minorDigits: number): Decimal {
  return new Dec(amount).div(scale(minorDigits));
}

export class MoneyParseError extends Error {
  override name = 'MoneyParseError';
}

const MONEY_TEXT = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;

/**
 * Parses what staff type ("12.50", "-3", "1,234.5", "+0.99") straight to minor units, without a
 * float in between. Commas are thousands separators and must group by three; more decimals than the
 * currency has is an error rather than a silent rounding.
 */
export function parseMoney(text: string, minorDigits: number): Cents {
  const factor = scale(minorDigits);
  const trimmed = text.trim();
  const m = MONEY_TEXT.exec(trimmed);
  const whole = m?.[2];
  const fraction = m?.[3];
  if (!m || (whole === undefined && !fraction)) {
    throw new MoneyParseError(`"${text}" is not an amount; write it like 1234.50 or 1,234.50.`);
  }
  if (fraction !== undefined && fraction.length > minorDigits) {
    throw new MoneyParseError(
      minorDigits === 0
        ? `"${text}" has decimals, but the currency has none.`
        : `"${text}" has ${fraction.length} decimals; the currency has ${minorDigits}.`,
    );
  }
  const major = new Dec(`${m[1] ?? ''}${(whole ?? '0').replaceAll(',', '')}.${fraction || '0'}`);
  const minor = major.times(factor);
  if (!minor.abs().lte(Number.MAX_SAFE_INTEGER)) throw new MoneyParseError(`"${text}" is too large an amount.`);
  return cents(minor.toNumber());
}

export type MoneyParseResult = { ok: true; value: Cents } | { ok: false; message: string };

/** `parseMoney` for forms: a verdict instead of an exception. */
export function tryParseMoney(text: string, minorDigits: number): MoneyParseResult {
  try {
    return { ok: true, value: parseMoney(text, minorDigits) };
  } catch (e) {
    if (e instanceof MoneyParseError) return { ok: false, message: e.message };
    throw e;
  }
}

export interface MoneyFormat {
  /** ISO 4217 code, e.g. "USD". */
  currency: string;
  minorDigits: number;
  /** BCP 47 tag; defaults to en-US so server-written text (explanations, exports) is stable. */
  locale?: string;
}

/** "$1,234.50", "-$3.00": the exact decimal string goes to Intl, so no float ever rounds it. */
export function formatMoney(amount: Cents | CentsTotal, { currency, minorDigits, locale = 'en-US' }: MoneyFormat): string {
  const exact = toMajor(amount, minorDigits).toFixed(minorDigits) as `${number}`;
  return formatterFor(currency, minorDigits, locale).format(exact);
}

// Building an Intl.NumberFormat costs far more than formatting; a billing run formats hundreds of thousands of lines.
const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string, minorDigits: number, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}|${minorDigits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: minorDigits, maximumFractionDigits: minorDigits });
    formatters.set(key, f);
  }
  return f;
}
