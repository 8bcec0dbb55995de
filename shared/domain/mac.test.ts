import { describe, expect, it } from 'vitest';
import { normalizeMac, parseMacList } from './mac';

describe('MAC addresses', () => {
  it('accepts the usual spellings and stores one form', () => {
    for (const spelling of ['aa:bb:cc:dd:ee:ff', 'AA-BB-CC-DD-EE-FF', 'aabb.ccdd.eeff', 'aabbccddeeff', ' Aa:bB:cc:DD:ee:FF ']) {
      expect(normalizeMac(spelling)).toBe('AA:BB:CC:DD:EE:FF');
    }
  });

  it('refuses mixed separators, short and non-hex addresses', () => {
    for (const bad of ['aa:bb-cc:dd:ee:ff', 'aa:bb:cc:dd:ee', 'gg:bb:cc:dd:ee:ff', 'aabb.ccdd.eef', '']) expect(normalizeMac(bad)).toBeNull();
  });

  it('parses a comma-separated list, dropping duplicates, and names the invalid one', () => {
    expect(parseMacList('aa:bb:cc:dd:ee:ff, 001122334455,AA-BB-CC-DD-EE-FF')).toEqual({ ok: true, macs: ['AA:BB:CC:DD:EE:FF', '00:11:22:33:44:55'] });
    const bad = parseMacList('aa:bb:cc:dd:ee:ff, 00:11:22:33:44:zz');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.invalid).toBe('00:11:22:33:44:zz');
      expect(bad.message).toContain('00:11:22:33:44:zz');
    }
    expect(parseMacList(' , ')).toEqual({ ok: true, macs: [] });
  });
});
