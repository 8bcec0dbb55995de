import { describe, expect, it } from 'vitest';
import { findTerms } from './find-terms';

describe('findTerms', () => {
  it('reads a dotted-quad address as an exact IP', () => {
    expect(findTerms(' 10.20.0.45 ').ip).toEqual({ exact: '10.20.0.45' });
  });

  it('reads the start of an address as an IP prefix', () => {
    expect(findTerms('10.20.0.').ip).toEqual({ prefix: '10.20.0.' });
    expect(findTerms('10.20').ip).toEqual({ prefix: '10.20' });
  });

  it('does not take a name or a bare number for an IP', () => {
    expect(findTerms('Big Sky').ip).toBeNull();
    expect(findTerms('1045').ip).toBeNull();
  });

  it('normalizes a MAC written in any usual spelling', () => {
    for (const spelling of ['aa:bb:cc:dd:ee:0f', 'AA-BB-CC-DD-EE-0F', 'aabb.ccdd.ee0f', 'AABBCCDDEE0F']) {
      expect(findTerms(spelling).mac).toBe('AA:BB:CC:DD:EE:0F');
    }
    expect(findTerms('AA:BB:CC').mac).toBeNull();
  });

  it('reads invoice numbers however staff write them', () => {
    expect(findTerms('INV-000123').invoice).toEqual({ exact: 'INV-000123', prefix: null });
    expect(findTerms('inv 123').invoice).toEqual({ exact: 'INV-000123', prefix: null });
    expect(findTerms('invoice #4567').invoice).toEqual({ exact: 'INV-004567', prefix: null });
    expect(findTerms('INV-0001').invoice).toEqual({ exact: 'INV-000001', prefix: 'INV-0001' });
    expect(findTerms('123').invoice).toEqual({ exact: 'INV-000123', prefix: null });
  });

  it('leaves one- and two-digit numbers to unique IDs', () => {
    expect(findTerms('12').invoice).toBeNull();
  });

  it('offers a single word as a login, voucher or serial prefix, never a phrase', () => {
    expect(findTerms('marina-slip-12').identifier).toBe('marina-slip-12');
    expect(findTerms('Big Sky').identifier).toBeNull();
    expect(findTerms('a').identifier).toBeNull();
  });
});
