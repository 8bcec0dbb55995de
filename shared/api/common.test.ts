import { describe, expect, it } from 'vitest';
import { amountCents, isoDate, MAX_AMOUNT_CENTS, normalizeDecimalText, openEndDate, percentText, quantityText } from './common';

const issues = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? [] : r.error!.issues.map((i) => i.message));

describe('contract bounds', () => {
  it('accepts dates from 1900-01-01 to 2199-12-31 only, and says so', () => {
    for (const ok of ['1900-01-01', '2199-12-31', '2028-02-29']) expect(isoDate.safeParse(ok).success, ok).toBe(true);
    expect(issues(isoDate.safeParse('9999-12-31'))).toEqual(['Use a date from 1900-01-01 to 2199-12-31']);
    expect(issues(isoDate.safeParse('0000-01-01'))).toEqual(['Use a date from 1900-01-01 to 2199-12-31']);
    expect(issues(isoDate.safeParse('2027-02-29'))).toEqual(['Not a real calendar date']);
    expect(issues(isoDate.safeParse('31/12/2026'))).toEqual(['Use a date as YYYY-MM-DD']);
  });

  it('reads the "no end" dates of spreadsheets as no end, for imports', () => {
    for (const none of ['', '  ', null, undefined, '9999-12-31', '2999-12-31', '0000-00-00', '2200-01-01']) expect(openEndDate(none), String(none)).toBeNull();
    expect(openEndDate(' 2027-06-30 ')).toBe('2027-06-30');
    // Anything else is left for isoDate to judge, and refuse.
    expect(openEndDate('30.06.2027')).toBe('30.06.2027');
  });

  it('checks percent text by its pattern before reading it as a number', () => {
    for (const bad of ['', 'ten', '*', '1e2', 'NaN', 'Infinity', '-0', '101', '100.0000001']) expect(percentText.safeParse(bad).success, bad).toBe(false);
    expect(percentText.parse(' 8.250 ')).toBe('8.25');
    expect(percentText.parse('100')).toBe('100');
    expect(percentText.parse('007.50')).toBe('7.5');
  });

  it('takes quantities above 0 up to 100', () => {
    expect(quantityText.parse(2.5)).toBe('2.5');
    expect(quantityText.parse('100.0000')).toBe('100');
    for (const bad of ['0', '0.0000', '100.0001', '-1', 'two', '1e3']) expect(quantityText.safeParse(bad).success, bad).toBe(false);
  });

  it('bounds every amount and applies its sign rule', () => {
    const price = amountCents('zeroOrMore');
    const payment = amountCents('positive');
    expect(price.safeParse(0).success).toBe(true);
    expect(price.safeParse(MAX_AMOUNT_CENTS).success).toBe(true);
    expect(issues(price.safeParse(MAX_AMOUNT_CENTS + 1))[0]).toBe('At most 1,000,000,000.00 (in minor units: 100000000000)');
    expect(issues(price.safeParse(2 ** 53))[0]).toMatch(/^At most/);
    expect(issues(price.safeParse(-1))).toEqual(['Cannot be negative']);
    expect(issues(payment.safeParse(0))).toEqual(['Must be more than zero']);
    expect(issues(payment.safeParse(1.5))).toEqual(['Must be whole cents']);
  });

  it('normalizes decimal text', () => {
    expect(['8.250', '007', '1.0', '0.5', '0'].map(normalizeDecimalText)).toEqual(['8.25', '7', '1', '0.5', '0']);
  });
});
