import { Dec } from '../../../shared/domain/money';

/**
 * One spreadsheet cell as the import sees it, whatever the file: text (CSV, text cells), a number,
 * a boolean, a date (a date-formatted XLSX cell), an error value (#N/A), or nothing.
 * Formulas arrive as their cached result; rich text and hyperlinks as their text.
 */
export type Cell = string | number | boolean | Date | { error: string } | null;

/** exceljs's cell value, any shape, to a Cell. */
export function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.error === 'string') return { error: v.error };
    if ('formula' in v || 'sharedFormula' in v) return cellOf(v.result);
    if (Array.isArray(v.richText)) return (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('') || null;
    if ('text' in v) return cellOf(v.text);
  }
  return String(value);
}

export type Converted<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Converted<T> => ({ ok: true, value });
const bad = (message: string): Converted<never> => ({ ok: false, message });

/** Characters that make a spreadsheet run a cell as a formula; exports prefix them with an apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralize(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes {@link neutralize}, so an exported file imports back to the same text. */
export function unneutralize(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** A cell as trimmed text; null when blank. Numbers keep their plain decimal spelling. */
export function textOf(cell: Cell): Converted<string | null> {
  if (cell === null) return ok(null);
  if (typeof cell === 'object' && !(cell instanceof Date)) return bad(`The cell holds the error ${cell.error}`);
  if (cell instanceof Date) return ok(isoOfDate(cell));
  if (typeof cell === 'number') return ok(Number.isInteger(cell) ? String(cell) : new Dec(cell).toFixed());
  const t = unneutralize(String(cell).trim());
  return ok(t === '' ? null : t);
}

function isoOfDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const pad = (n: number) => String(n).padStart(2, '0');

function isoOf(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
function monthOf(name: string): number | null {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i >= 0 ? i + 1 : null;
}

/** Excel's day numbers (1900 date system): day 25569 is 1970-01-01. */
function fromSerial(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return null;
  return isoOfDate(new Date(Math.round((Math.floor(serial) - 25569) * 86400000)));
}

/** Spellings of "this never ends" that old systems write into end-date columns. */
const NO_END = new Set(['9999-12-31', '31/12/9999', '12/31/9999', '31.12.9999', 'never', 'none', 'indefinite', 'open', 'unlimited', '0000-00-00']);

/**
 * A date in the usual spellings: a date cell, an Excel day number, 2026-03-04, 2026/3/4,
 * 4.3.2026 (day first, with dots), 3/4/2026 (month first, as US systems write it, unless the first
 * part cannot be a month), 4 Mar 2026, March 4, 2026. Time of day is ignored.
 * `noEnd` accepts 9999-12-31 and its kin as "no date" (null).
 */
export function dateOf(cell: Cell, options: { noEnd?: boolean } = {}): Converted<string | null> {
  if (cell === null) return ok(null);
  if (cell instanceof Date) {
    if (options.noEnd && cell.getUTCFullYear() === 9999) return ok(null);
    return Number.isNaN(cell.getTime()) ? bad('Not a date') : ok(isoOfDate(cell));
  }
  if (typeof cell === 'number') {
    if (options.noEnd && cell >= 2958465) return ok(null);
    const iso = fromSerial(cell);
    return iso ? ok(iso) : bad(`${cell} is not a date`);
  }
  if (typeof cell === 'boolean') return bad('Not a date');
  if (typeof cell === 'object') return bad(`The cell holds the error ${cell.error}`);
  const text = cell.trim().replace(/[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i, '').trim();
  if (text === '') return ok(null);
  if (options.noEnd && NO_END.has(text.toLowerCase())) return ok(null);
  const problem = bad(`"${cell}" is not a date; write it like 2026-03-31`);
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (m) return wrap(isoOf(+m[1]!, +m[2]!, +m[3]!), problem);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text) ?? /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(text);
  if (m) return wrap(isoOf(+m[3]!, +m[2]!, +m[1]!), problem);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) {
    const a = +m[1]!;
    const b = +m[2]!;
    return wrap(a > 12 ? isoOf(+m[3]!, b, a) : isoOf(+m[3]!, a, b), problem);
  }
  m = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -,]*(\d{4})$/.exec(text);
  if (m) {
    const month = monthOf(m[2]!);
    return wrap(month ? isoOf(+m[3]!, month, +m[1]!) : null, problem);
  }
  m = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/.exec(text);
  if (m) {
    const month = monthOf(m[1]!);
    return wrap(month ? isoOf(+m[3]!, month, +m[2]!) : null, problem);
  }
  if (/^\d{5}(\.\d+)?$/.test(text)) return wrap(fromSerial(Number(text)), problem);
  return problem;
}

function wrap(iso: string | null, problem: Converted<never>): Converted<string | null> {
  return iso ? ok(iso) : problem;
}

/**
 * An amount in major units to minor units: a number cell, or text such as "1,234.50", "$12.50",
 * "12,50" (decimal comma) or "1.234,50". More decimals than the currency has is an error, never a
 * silent rounding.
 */
export function amountOf(cell: Cell, minorDigits: number): Converted<number | null> {
  if (cell === null) return ok(null);
  if (typeof cell === 'object') return cell instanceof Date ? bad('A date, not an amount') : bad(`The cell holds the error ${cell.error}`);
  if (typeof cell === 'boolean') return bad('Not an amount');
  // Whole amounts in a number cell (the usual "49") need no text at all.
  if (typeof cell === 'number' && Number.isSafeInteger(cell)) {
    const minor = cell * 10 ** minorDigits;
    if (Number.isSafeInteger(minor)) return ok(minor === 0 ? 0 : minor);
  }
  let text = typeof cell === 'number' ? new Dec(cell).toFixed() : cell.trim();
  if (text === '') return ok(null);
  const original = text;
  text = text.replace(/^[A-Z]{3}\s*/i, '').replace(/\s*[A-Z]{3}$/i, '').replace(/[\s\u00a0$€£¥]/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1);
  }
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma > lastDot) {
    // "1.234,50" or "12,50": the comma is the decimal mark when it is followed by 1-2 digits, or dots group.
    const after = text.length - lastComma - 1;
    if (lastDot >= 0 || (after > 0 && after !== 3)) text = text.replaceAll('.', '').replace(',', '.');
    else text = text.replaceAll(',', '');
  } else {
    text = text.replaceAll(',', '');
  }
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(text)) return bad(`"${original}" is not an amount; write it like 1234.50`);
  const [, fraction = ''] = text.split('.');
  if (fraction.replace(/0+$/, '').length > minorDigits) return bad(`"${original}" has more decimals than the currency (${minorDigits})`);
  // The digits shifted by the currency's decimals, as text: exact, no float and no Decimal per cell.
  const [whole = '', decimals = ''] = text.split('.');
  const digits = (whole + decimals.padEnd(minorDigits, '0').slice(0, minorDigits)).replace(/^0+(?=\d)/, '');
  if (digits.length > 16 || Number(digits) > Number.MAX_SAFE_INTEGER) return bad(`"${original}" is too large an amount`);
  const minor = Number(digits);
  return ok(negative && minor !== 0 ? -minor : minor);
}

/** A whole number: a number cell or digits. */
export function integerOf(cell: Cell): Converted<number | null> {
  const t = textOf(cell);
  if (!t.ok || t.value === null) return t as Converted<null>;
  return /^-?\d+$/.test(t.value) ? ok(Number(t.value)) : bad(`"${t.value}" is not a whole number`);
}

const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const NOT_ALPHANUMERIC = /[^a-z0-9]+/g;

/** Normalizes a header or choice for matching: case, spacing and punctuation ignored. */
export function normalizeName(text: string): string {
  // Plain ASCII has no accents to take off: skip Unicode normalization (most names, every header).
  if (PLAIN_ASCII.test(text)) return text.toLowerCase().replace(NOT_ALPHANUMERIC, '');
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** Each list of choices by its normalized spellings, worked out once per list (choice columns repeat on every row). */
const choiceMaps = new WeakMap<readonly string[], Map<string, string>>();
function normalizedChoices<T extends string>(choices: readonly T[]): Map<string, T> {
  let map = choiceMaps.get(choices);
  if (!map) {
    map = new Map();
    // The first of two choices that normalize alike wins, as a search from the start would.
    for (const c of choices) if (!map.has(normalizeName(c))) map.set(normalizeName(c), c);
    choiceMaps.set(choices, map);
  }
  return map as Map<string, T>;
}

/** One of a fixed list, matched ignoring case and punctuation, with extra spellings. */
export function choiceOf<T extends string>(cell: Cell, choices: readonly T[], aliases: Record<string, T> = {}): Converted<T | null> {
  const t = textOf(cell);
  if (!t.ok || t.value === null) return t as Converted<null>;
  const found = normalizedChoices(choices).get(normalizeName(t.value)) ?? aliases[normalizeName(t.value)];
  return found ? ok(found) : bad(`"${t.value}" is not one of: ${choices.join(', ')}`);
}

/** A column's letters as spreadsheets name them: 0 is A, 26 is AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
