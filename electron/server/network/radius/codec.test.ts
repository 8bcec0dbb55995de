import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  Code,
  attr,
  chapResponse,
  checkMessageAuthenticator,
  decode,
  emptyView,
  scanRequest,
  encodeAccessRequest,
  encodeResponse,
  encodeSignedRequest,
  hidePassword,
  messageAuthenticatorOffset,
  unhidePassword,
  verifyChap,
  verifyResponse,
  verifySignedRequest,
  type OutAttribute,
} from './codec';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// RFC 2865 §7.1: the worked example (secret xyzzy5461, user nemo, password arctangent).
const RFC_REQUEST = hex('01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03');
const RFC_ACCEPT = hex('02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00 0e 06 c0 a8 01 03');

describe('RADIUS codec', () => {
  it('reads the RFC 2865 example request and recovers its hidden password', () => {
    const d = decode(RFC_REQUEST);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(attr(d.packet, 'User-Name')).toBe('nemo');
    expect(attr(d.packet, 'NAS-IP-Address')).toBe('192.168.1.16');
    expect(attr(d.packet, 'NAS-Port')).toBe(3);
    const hidden = attr(d.packet, 'User-Password') as Buffer;
    expect(unhidePassword(hidden, d.packet.authenticator, 'xyzzy5461')?.toString()).toBe('arctangent');
    expect(hidePassword(Buffer.from('arctangent'), d.packet.authenticator, 'xyzzy5461')).toEqual(hidden);
  });

  it('verifies the RFC 2865 example Access-Accept response authenticator, and refuses it with another secret', () => {
    const requestAuth = RFC_REQUEST.subarray(4, 20);
    expect(verifyResponse(RFC_ACCEPT, requestAuth, 'xyzzy5461')).toBe(true);
    expect(verifyResponse(RFC_ACCEPT, requestAuth, 'xyzzy5462')).toBe(false);
  });

  it('round-trips an Access-Request with MikroTik vendor attributes and a valid Message-Authenticator', () => {
    const auth = randomBytes(16);
    const attributes: OutAttribute[] = [
      ['User-Name', 'alice'],
      ['User-Password', 'a rather long password of more than sixteen octets'],
      ['NAS-IP-Address', '10.0.0.1'],
      ['Mikrotik-Rate-Limit', '10M/50M'],
      ['Mikrotik-Address-List', 'towerline-suspended'],
      ['Mikrotik-Total-Limit', 123456789],
      ['Mikrotik-Total-Limit-Gigawords', 2],
      ['Mikrotik-Recv-Limit', 1],
      ['Mikrotik-Xmit-Limit', 2],
      ['Mikrotik-Group', 'full'],
    ];
    const raw = encodeAccessRequest(7, auth, attributes, 's3cret');
    const d = decode(raw);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.packet.code).toBe(Code.AccessRequest);
    expect(d.packet.identifier).toBe(7);
    expect(attr(d.packet, 'Mikrotik-Rate-Limit')).toBe('10M/50M');
    expect(attr(d.packet, 'Mikrotik-Address-List')).toBe('towerline-suspended');
    expect(attr(d.packet, 'Mikrotik-Total-Limit')).toBe(123456789);
    expect(attr(d.packet, 'Mikrotik-Total-Limit-Gigawords')).toBe(2);
    expect(attr(d.packet, 'Mikrotik-Group')).toBe('full');
    expect(d.packet.attributes.find((a) => a.name === 'Mikrotik-Rate-Limit')?.vendor).toBe(14988);
    expect(unhidePassword(attr(d.packet, 'User-Password') as Buffer, auth, 's3cret')?.toString()).toBe('a rather long password of more than sixteen octets');
    expect(checkMessageAuthenticator(raw, 's3cret')).toBe('valid');
    expect(checkMessageAuthenticator(raw, 'other')).toBe('invalid');
    const tampered = Buffer.from(raw);
    tampered[tampered.length - 1]! ^= 1;
    expect(checkMessageAuthenticator(tampered, 's3cret')).toBe('invalid');
    expect(checkMessageAuthenticator(encodeAccessRequest(7, auth, attributes, 's3cret', { messageAuthenticator: false }), 's3cret')).toBe('absent');
  });

  it('computes a reply\'s Message-Authenticator over the request authenticator, then the response authenticator over that', () => {
    const requestAuth = randomBytes(16);
    const reply = encodeResponse(Code.AccessAccept, 9, requestAuth, [['Framed-IP-Address', '100.64.0.7'], ['Mikrotik-Rate-Limit', '5M/20M']], 'k');
    expect(verifyResponse(reply, requestAuth, 'k')).toBe(true);
    expect(checkMessageAuthenticator(reply, 'k', requestAuth)).toBe('valid');
    // Independently: HMAC-MD5 over the reply with the request authenticator and a zero Message-Authenticator.
    const copy = Buffer.from(reply);
    requestAuth.copy(copy, 4);
    copy.fill(0, 22, 38);
    expect(createHmac('md5', 'k').update(copy).digest()).toEqual(reply.subarray(22, 38));
    const d = decode(reply);
    expect(d.ok && attr(d.packet, 'Framed-IP-Address')).toBe('100.64.0.7');
  });

  it('signs CoA, Disconnect and Accounting requests with the Message-Authenticator first, then the Request Authenticator', () => {
    for (const code of [Code.CoaRequest, Code.DisconnectRequest, Code.AccountingRequest]) {
      const raw = encodeSignedRequest(code, 3, [['User-Name', 'bob'], ['Acct-Session-Id', '81a00001'], ['Mikrotik-Rate-Limit', '1M/2M']], 'sec');
      expect(verifySignedRequest(raw, 'sec')).toBe(true);
      expect(verifySignedRequest(raw, 'other')).toBe(false);
      // The HMAC was taken with the authenticator field zeroed (RFC 5176 §3.5).
      expect(checkMessageAuthenticator(raw, 'sec', Buffer.alloc(16))).toBe('valid');
      const copy = Buffer.from(raw);
      copy.fill(0, 4, 20);
      copy.fill(0, 22, 38);
      expect(createHmac('md5', 'sec').update(copy).digest()).toEqual(raw.subarray(22, 38));
    }
  });

  it('checks CHAP responses against the challenge', () => {
    const challenge = randomBytes(16);
    const chap = Buffer.concat([Buffer.from([42]), chapResponse(42, Buffer.from('pw'), challenge)]);
    expect(verifyChap(chap, challenge, Buffer.from('pw'))).toBe(true);
    expect(verifyChap(chap, challenge, Buffer.from('pW'))).toBe(false);
    expect(verifyChap(chap.subarray(0, 16), challenge, Buffer.from('pw'))).toBe(false);
  });

  it('refuses packets whose length or attributes do not add up, as values', () => {
    expect(decode(Buffer.alloc(5))).toEqual({ ok: false, reason: 'short' });
    const raw = encodeAccessRequest(1, randomBytes(16), [['User-Name', 'x']], 's');
    const longer = Buffer.from(raw);
    longer.writeUInt16BE(raw.length + 1, 2);
    expect(decode(longer)).toEqual({ ok: false, reason: 'length' });
    const badAttr = Buffer.from(raw);
    badAttr[21] = 1;
    expect(decode(badAttr)).toEqual({ ok: false, reason: 'attribute' });
    const unknownCode = Buffer.from(raw);
    unknownCode[0] = 99;
    expect(decode(unknownCode)).toEqual({ ok: false, reason: 'code' });
    // Octets past Length are padding (RFC 2865 §3).
    expect(decode(Buffer.concat([raw, Buffer.alloc(7)])).ok).toBe(true);
  });

  it('never throws on 100,000 random and mutated packets, and the server\'s in-place reader agrees with decode on each', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const samples = [
      encodeAccessRequest(1, randomBytes(16), [['User-Name', 'alice'], ['User-Password', 'pw'], ['Mikrotik-Rate-Limit', '1M/1M']], 's'),
      encodeSignedRequest(Code.AccountingRequest, 2, [['User-Name', 'a'], ['Acct-Status-Type', 3], ['Acct-Input-Octets', 5], ['Acct-Session-Id', 'x']], 's'),
      encodeResponse(Code.CoaNak, 3, randomBytes(16), [['Error-Cause', 503]], 's'),
    ];
    let ok = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      let buf: Buffer;
      if (i % 2 === 0) {
        buf = Buffer.alloc(Math.floor(rand() * 120));
        for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(rand() * 256);
        if (buf.length >= 4 && rand() < 0.7) buf.writeUInt16BE(Math.min(buf.length, 20 + Math.floor(rand() * 100)), 2);
        if (buf.length >= 1 && rand() < 0.7) buf[0] = [1, 2, 3, 4, 5, 40, 43][Math.floor(rand() * 7)]!;
      } else {
        buf = Buffer.from(samples[i % samples.length]!);
        const flips = 1 + Math.floor(rand() * 4);
        for (let f = 0; f < flips; f++) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
        if (rand() < 0.2) buf = buf.subarray(0, Math.floor(rand() * buf.length));
      }
      const d = decode(buf);
      // The server's in-place reader refuses exactly what decode refuses, and finds the same
      // attributes (plain comparisons: expect per packet would dominate the run).
      const view = scanRequest(buf, emptyView());
      if ((view !== null) !== d.ok) disagreements.push(`accepted: ${buf.toString('hex')}`);
      if (d.ok && view) {
        const first = (type: number) => d.packet.attributes.find((a) => a.type === type && a.vendor === undefined);
        const at = (offset: number, as: 'utf8' | 'hex') => (offset < 0 ? undefined : buf.toString(as, offset + 2, offset + buf[offset + 1]!));
        if (at(view.userName, 'utf8') !== first(1)?.value) disagreements.push(`User-Name: ${buf.toString('hex')}`);
        if (at(view.userPassword, 'hex') !== (first(2)?.value as Buffer | undefined)?.toString('hex')) disagreements.push(`User-Password: ${buf.toString('hex')}`);
        if (view.messageAuthenticator !== messageAuthenticatorOffset(buf)) disagreements.push(`Message-Authenticator: ${buf.toString('hex')}`);
      }
      if (d.ok) {
        ok++;
        checkMessageAuthenticator(d.packet.raw, 's');
        verifySignedRequest(d.packet.raw, 's');
        const pw = attr(d.packet, 'User-Password');
        if (Buffer.isBuffer(pw)) unhidePassword(pw, d.packet.authenticator, 's');
      }
    }
    // Some mutations leave a well-formed packet: both paths were exercised.
    expect(ok).toBeGreaterThan(1000);
    expect(disagreements.slice(0, 5)).toEqual([]);
  });
});
