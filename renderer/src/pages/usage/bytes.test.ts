import { describe, expect, it } from 'vitest';
import { chartScale, daysBefore, formatBytes } from './bytes';

describe('formatBytes', () => {
  it('writes bytes in decimal units with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_000)).toBe('1.00 kB');
    expect(formatBytes(1_234_567)).toBe('1.23 MB');
    expect(formatBytes(45_600_000_000)).toBe('45.6 GB');
    expect(formatBytes(4_294_967_296)).toBe('4.29 GB');
    expect(formatBytes(250_000_000_000_000)).toBe('250 TB');
  });
});

describe('chartScale', () => {
  it('picks the unit of the largest value', () => {
    expect(chartScale(500)).toEqual({ unit: 'B', divisor: 1 });
    expect(chartScale(3_500_000_000)).toEqual({ unit: 'GB', divisor: 1e9 });
  });
});

describe('daysBefore', () => {
  it('counts back across a month end', () => {
    expect(daysBefore('2026-03-02', 2)).toBe('2026-02-28');
  });
});
