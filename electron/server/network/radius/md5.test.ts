import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Md5, RadiusKey } from './md5';

const md5 = (...parts: Uint8Array[]) => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
};
const out = () => Buffer.alloc(16);

describe('MD5 and HMAC-MD5 for the RADIUS hot path', () => {
  it('gives the RFC 1321 test suite digests', () => {
    const digest = (s: string) => {
      const o = out();
      new Md5().update(Buffer.from(s)).digestInto(o);
      return o.toString('hex');
    };
    expect(digest('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(digest('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(digest('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(digest('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe('57edf4a22be3c955ac49da2e2107b67a');
  });

  it('agrees with node:crypto at every length across block boundaries, fed in any split', () => {
    for (let n = 0; n <= 200; n++) {
      const data = Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff));
      for (const cut of [0, Math.min(1, n), n >> 1, Math.max(0, n - 1), n]) {
        const o = out();
        new Md5().update(data, 0, cut).update(data, cut, n).digestInto(o);
        expect(o.toString('hex'), `${n} bytes cut at ${cut}`).toBe(md5(data).toString('hex'));
      }
    }
  });

  it('agrees with node:crypto for HMAC and both secret-salted digests, random secrets and packets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(300), (secret, data, start) => {
        const s = Buffer.from(secret);
        const d = Buffer.from(data);
        const from = Math.min(start, d.length);
        const key = new RadiusKey(s);
        const o = out();
        key.hmac(d, from, d.length, o, 0);
        expect(o).toEqual(createHmac('md5', s).update(d.subarray(from)).digest());
        key.md5AfterSecret(d, from, d.length, o, 0);
        expect(o).toEqual(md5(s, d.subarray(from)));
        key.md5ThenSecret(d, from, d.length, o, 0);
        expect(o).toEqual(md5(d.subarray(from), s));
        // The key's scratch state is reused: a second use answers the same.
        key.hmac(d, from, d.length, o, 0);
        expect(o).toEqual(createHmac('md5', s).update(d.subarray(from)).digest());
      }),
      { numRuns: 2000 },
    );
  });

  it('resumes from a copied state as from the original', () => {
    const prefix = new Md5().update(Buffer.from('a shared secret of 37 octets, say...'));
    const o = out();
    new Md5().copyFrom(prefix).update(Buffer.from('rest')).digestInto(o);
    expect(o).toEqual(md5(Buffer.from('a shared secret of 37 octets, say...rest')));
    new Md5().copyFrom(prefix).update(Buffer.from('other')).digestInto(o);
    expect(o).toEqual(md5(Buffer.from('a shared secret of 37 octets, say...other')));
  });
});
