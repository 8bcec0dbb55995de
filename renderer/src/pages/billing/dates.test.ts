import { describe, expect, it } from 'vitest';
import { lastFullMonth, lastOfMonth } from './dates';

describe('statement periods', () => {
  it('default to the last whole month, not the one day of today', () => {
    expect(lastFullMonth('2026-12-01')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(lastFullMonth('2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(lastFullMonth('2028-03-31')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });
  it('find the last day of any month', () => {
    expect(lastOfMonth('2027-02-10')).toBe('2027-02-28');
    expect(lastOfMonth('2026-04-01')).toBe('2026-04-30');
  });
});
