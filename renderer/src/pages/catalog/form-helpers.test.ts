import { describe, expect, it } from 'vitest';
import { billingLabel } from './form-helpers';

describe('billingLabel', () => {
  it('says one-time and prepaid for products that do not recur', () => {
    expect(billingLabel('one-time', 1)).toBe('one-time');
    expect(billingLabel('prepaid-usage', 1)).toBe('prepaid');
  });
  it('names the pay period of a recurring product', () => {
    expect(billingLabel('recurring', 1)).toBe('monthly');
    expect(billingLabel('recurring', 3)).toBe('every 3 months');
    expect(billingLabel('recurring', 12)).toBe('yearly');
  });
});
