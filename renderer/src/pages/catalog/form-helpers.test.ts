import { describe, expect, it } from 'vitest';
import { billingLabel, formatDataCap } from './form-helpers';

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

describe('a plan\'s data cap in the plan list', () => {
  it('says the allowance and what reaching it does, or nothing without a cap', () => {
    expect(formatDataCap({ capGb: 300, action: 'throttle', throttleDownloadKbps: 2000, throttleUploadKbps: 1000 })).toBe('300 GB, then 2/1 Mbit/s');
    expect(formatDataCap({ capGb: 1500, action: 'disable', throttleDownloadKbps: null, throttleUploadKbps: null })).toBe('1,500 GB, then disabled');
    expect(formatDataCap({ capGb: 50, action: 'throttle', throttleDownloadKbps: 512, throttleUploadKbps: 256 })).toBe('50 GB, then 512/256 kbit/s');
    expect(formatDataCap(null)).toBe('');
  });
});
