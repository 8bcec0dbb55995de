import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Dec, MoneyParseError, ROUNDING_MODE, addCents, cents, formatMoney, fromDecimal, negateCents, parseMoney,
  sumCents, toDecimal, toMajor, tryParseMoney, type Cents,
} from './money';

const USD = { currency: 'USD', minorDigits: 2 };
const anyCents = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }).map(cents);

describe('cents', () => {
  it('accepts whole numbers of cents up to the safe-integer limit', () => {
    expect(cents(1250)).toBe(1250);
    expect(cents(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(cents(-Number.MAX_SAFE_INTEGER)).toBe(-Number.MAX_SAFE_INTEGER);
  });

  it('rejects fractions of a cent and amounts too large to hold exactly', () => {
    expect(() => cents(12.5)).toThrow(/whole number/);
    expect(() => cents(Number.NaN)).toThrow(RangeError);
    expect(() => cents(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => cents(2 ** 53)).toThrow(/too large/);
  });

  it('never produces a negative zero', () => {
    expect(Object.is(cents(-0), 0)).toBe(true);
    expect(Object.is(negateCents(cents(0)), 0)).toBe(true);
  });
});

describe('the rounding rule', () => {
  it('is decimal.js ROUND_HALF_UP, which rounds half away from zero', () => {
    expect(ROUNDING_MODE).toBe(Decimal.ROUND_HALF_UP);
    expect(fromDecimal('2.5')).toBe(3);
    expect(fromDecimal('-2.5')).toBe(-3);
    expect(fromDecimal('0.5')).toBe(1);
    expect(fromDecimal('-0.5')).toBe(-1);
    expect(fromDecimal('2.4999999')).toBe(2);
    expect(fromDecimal('-2.4999999')).toBe(-2);
  });

  it('rounds a negated value to the negated result', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 10_000 }), (n, d) => {
        const x = new Dec(n).div(d);
        expect(fromDecimal(x.neg())).toBe(negateCents(fromDecimal(x)));
      }),
    );
  });

  it('keeps toDecimal and fromDecimal in minor units, so a round trip is exact', () => {
    fc.assert(fc.property(anyCents, (c) => {
      expect(fromDecimal(toDecimal(c))).toBe(c);
    }));
  });
});

describe('adding cents', () => {
  it('adds exactly and refuses to overflow the safe range', () => {
    expect(addCents(cents(1999), cents(1))).toBe(2000);
    expect(sumCents([cents(1), cents(2), cents(-3)])).toBe(0);
    expect(sumCents([])).toBe(0);
    expect(() => addCents(cents(Number.MAX_SAFE_INTEGER), cents(1))).toThrow(RangeError);
  });
});

describe('parseMoney', () => {
  it('parses what staff type straight to cents', () => {
    expect(parseMoney('12.50', 2)).toBe(1250);
    expect(parseMoney('-3', 2)).toBe(-300);
    expect(parseMoney('1,234.5', 2)).toBe(123450);
    expect(parseMoney('+0.99', 2)).toBe(99);
    expect(parseMoney('.5', 2)).toBe(50);
    expect(parseMoney('7.', 2)).toBe(700);
    expect(parseMoney('  45.00 ', 2)).toBe(4500);
    expect(parseMoney('1,000,000', 2)).toBe(100_000_000);
  });

  it('reads 0.29 as 29 cents, where a float would give 28.999999999999996', () => {
    expect(parseMoney('0.29', 2)).toBe(29);
    expect(parseMoney('1.005', 3)).toBe(1005);
  });

  it('honours currencies with no decimals or with three', () => {
    expect(parseMoney('1,234', 0)).toBe(1234);
    expect(parseMoney('1.234', 3)).toBe(1234);
    expect(() => parseMoney('12.5', 0)).toThrow('"12.5" has decimals, but the currency has none.');
  });

  it('refuses more decimals than the currency has instead of rounding them away', () => {
    expect(() => parseMoney('12.505', 2)).toThrow('"12.505" has 3 decimals; the currency has 2.');
    expect(() => parseMoney('12.505', 2)).toThrow(MoneyParseError);
  });

  it('refuses text that is not an amount', () => {
    for (const text of ['', ' ', '-', '.', 'abc', '$5', '1e3', '1,23', '12,34.5', '1.2.3', '--1', '1 000', '0x10']) {
      expect(() => parseMoney(text, 2), text).toThrow(MoneyParseError);
    }
  });

  it('refuses amounts beyond what cents can hold exactly', () => {
    expect(parseMoney('90071992547409.91', 2)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseMoney('90071992547409.92', 2)).toThrow(/too large/);
  });

  it('gives forms a verdict instead of an exception', () => {
    expect(tryParseMoney('3.10', 2)).toEqual({ ok: true, value: 310 });
    expect(tryParseMoney('3.101', 2)).toEqual({ ok: false, message: '"3.101" has 3 decimals; the currency has 2.' });
  });

  it('reads back any amount written with its decimals', () => {
    fc.assert(fc.property(anyCents, (c) => {
      expect(parseMoney(toMajor(c, 2).toFixed(2), 2)).toBe(c);
    }));
  });
});

describe('formatMoney', () => {
  it('writes dollars with grouping and two decimals', () => {
    expect(formatMoney(cents(123450), USD)).toBe('$1,234.50');
    expect(formatMoney(cents(-300), USD)).toBe('-$3.00');
    expect(formatMoney(cents(5), USD)).toBe('$0.05');
  });

  it('prints the largest amount to the cent, with no float in between', () => {
    expect(formatMoney(cents(Number.MAX_SAFE_INTEGER), USD)).toBe('$90,071,992,547,409.91');
  });

  it('follows the currency and the locale', () => {
    expect(formatMoney(cents(1234), { currency: 'JPY', minorDigits: 0 })).toBe('¥1,234');
    expect(formatMoney(cents(123450), { currency: 'EUR', minorDigits: 2, locale: 'de-DE' })).toBe('1.234,50\u00a0€');
  });

  it('formats what parseMoney reads back', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (n) => {
        const c = n as Cents;
        expect(parseMoney(formatMoney(c, USD).replace('$', ''), 2)).toBe(c);
      }),
    );
  });
});
