import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/domain/money';
import { amountOf, cellOf, choiceOf, dateOf, neutralize, textOf, unneutralize } from './cells';

const value = <T>(c: { ok: true; value: T } | { ok: false; message: string }) => (c.ok ? c.value : `ERR ${c.message}`);

describe('cells from exceljs', () => {
  it('takes a formula\'s cached result, rich text\'s text and error values as errors', () => {
    expect(cellOf({ formula: 'A1*2', result: 42 })).toBe(42);
    expect(cellOf({ richText: [{ text: 'Jo' }, { text: 'hn' }] })).toBe('John');
    expect(cellOf({ error: '#N/A' })).toEqual({ error: '#N/A' });
    expect(cellOf({ formula: 'VLOOKUP(1)', result: { error: '#N/A' } })).toEqual({ error: '#N/A' });
    expect(value(textOf({ error: '#N/A' }))).toBe('ERR The cell holds the error #N/A');
  });
});

describe('dates in the usual spellings', () => {
  it.each([
    ['2026-03-04', '2026-03-04'],
    ['2026/3/4', '2026-03-04'],
    ['4.3.2026', '2026-03-04'],
    ['3/4/2026', '2026-03-04'],
    ['25/12/2026', '2026-12-25'],
    ['4 Mar 2026', '2026-03-04'],
    ['March 4, 2026', '2026-03-04'],
    ['2026-03-04T10:30:00Z', '2026-03-04'],
    ['46085', '2026-03-04'],
  ])('reads %s', (text, iso) => expect(value(dateOf(text))).toBe(iso));

  it('reads date cells and day numbers stored as numbers', () => {
    expect(value(dateOf(new Date(Date.UTC(2026, 2, 4))))).toBe('2026-03-04');
    expect(value(dateOf(46085))).toBe('2026-03-04');
  });

  it('refuses impossible dates and words, naming the text', () => {
    expect(value(dateOf('2026-02-30'))).toMatch(/^ERR "2026-02-30" is not a date/);
    expect(value(dateOf('soon'))).toMatch(/^ERR "soon"/);
  });

  it('maps 9999-12-31 and its kin to no end date only where asked', () => {
    expect(value(dateOf('9999-12-31', { noEnd: true }))).toBeNull();
    expect(value(dateOf('never', { noEnd: true }))).toBeNull();
    expect(value(dateOf(new Date(Date.UTC(9999, 11, 31)), { noEnd: true }))).toBeNull();
    expect(value(dateOf('9999-12-31'))).toBe('9999-12-31');
  });
});

describe('amounts', () => {
  it.each<[string | number, number]>([
    ['12.50', 1250],
    ['1,234.50', 123450],
    ['$1,234.5', 123450],
    ['12,50', 1250],
    ['1.234,50', 123450],
    ['1,234', 123400],
    ['(5.00)', -500],
    ['USD 7', 700],
    [19.99, 1999],
    [0.1, 10],
  ])('reads %s', (cell, cents) => expect(value(amountOf(cell, 2))).toBe(cents));

  it('reads any amount in text or a number cell as its exact minor units, in any currency', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 3 }), (minor, digits) => {
        const major = new Dec(minor).div(new Dec(10).pow(digits));
        expect(value(amountOf(major.toFixed(digits), digits))).toBe(minor === 0 ? 0 : minor);
        if (digits === 0 || Math.abs(minor) < 2 ** 40) expect(value(amountOf(major.toNumber(), digits))).toBe(minor === 0 ? 0 : minor);
      }),
    );
    expect(value(amountOf(90071992547410, 2))).toMatch(/too large/);
    expect(value(amountOf('90071992547409.92', 2))).toMatch(/too large/);
    expect(value(amountOf('-0.00', 2))).toBe(0);
    expect(value(amountOf(49, 0))).toBe(49);
  });

  it('refuses more decimals than the currency has, and words', () => {
    expect(value(amountOf('1.005', 2))).toMatch(/more decimals/);
    expect(value(amountOf('ten', 2))).toMatch(/not an amount/);
  });
});

describe('choices and formula neutralisation', () => {
  it('matches choices ignoring case and punctuation, and aliases', () => {
    expect(value(choiceOf('bank transfer', ['cash', 'bank_transfer'] as const))).toBe('bank_transfer');
    expect(value(choiceOf('Wire', ['cash', 'bank_transfer'] as const, { wire: 'bank_transfer' }))).toBe('bank_transfer');
    expect(value(choiceOf('gold', ['cash'] as const))).toMatch(/not one of: cash/);
  });

  it('prefixes formula starters with an apostrophe and takes it off again on import', () => {
    for (const s of ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutralize(s)).toBe(`'${s}`);
      expect(unneutralize(neutralize(s))).toBe(s);
    }
    expect(neutralize('Plain')).toBe('Plain');
    expect(unneutralize("'quoted")).toBe("'quoted");
  });
});
