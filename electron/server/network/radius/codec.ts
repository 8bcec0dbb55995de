/**
 * RADIUS packets (RFC 2865 authentication, 2866 accounting, 3579 Message-Authenticator, 5176
 * CoA/Disconnect) as pure functions over Buffers. Decoding answers errors as values: a packet
 * from the network is never trusted, and nothing here throws on bad bytes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const Code = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  DisconnectRequest: 40,
  DisconnectAck: 41,
  DisconnectNak: 42,
  CoaRequest: 43,
  CoaAck: 44,
  CoaNak: 45,
} as const;
export type CodeNumber = (typeof Code)[keyof typeof Code];

const KNOWN_CODES = new Set<number>(Object.values(Code));

export const MIKROTIK_VENDOR = 14988;
export const MESSAGE_AUTHENTICATOR = 80;

type Kind = 'string' | 'text' | 'integer' | 'ipaddr' | 'octets';

interface AttributeDef {
  type: number;
  kind: Kind;
  vendor?: number;
}

/** The attributes Towerline reads or writes, by name (standard ones by their RFC names). */
export const DICTIONARY = {
  'User-Name': { type: 1, kind: 'text' },
  'User-Password': { type: 2, kind: 'octets' },
  'CHAP-Password': { type: 3, kind: 'octets' },
  'NAS-IP-Address': { type: 4, kind: 'ipaddr' },
  'NAS-Port': { type: 5, kind: 'integer' },
  'Service-Type': { type: 6, kind: 'integer' },
  'Framed-Protocol': { type: 7, kind: 'integer' },
  'Framed-IP-Address': { type: 8, kind: 'ipaddr' },
  'Framed-IP-Netmask': { type: 9, kind: 'ipaddr' },
  'Framed-Route': { type: 22, kind: 'text' },
  'Reply-Message': { type: 18, kind: 'text' },
  State: { type: 24, kind: 'octets' },
  Class: { type: 25, kind: 'octets' },
  'Vendor-Specific': { type: 26, kind: 'octets' },
  'Session-Timeout': { type: 27, kind: 'integer' },
  'Idle-Timeout': { type: 28, kind: 'integer' },
  'Called-Station-Id': { type: 30, kind: 'text' },
  'Calling-Station-Id': { type: 31, kind: 'text' },
  'NAS-Identifier': { type: 32, kind: 'text' },
  'Acct-Status-Type': { type: 40, kind: 'integer' },
  'Acct-Delay-Time': { type: 41, kind: 'integer' },
  'Acct-Input-Octets': { type: 42, kind: 'integer' },
  'Acct-Output-Octets': { type: 43, kind: 'integer' },
  'Acct-Session-Id': { type: 44, kind: 'text' },
  'Acct-Authentic': { type: 45, kind: 'integer' },
  'Acct-Session-Time': { type: 46, kind: 'integer' },
  'Acct-Input-Packets': { type: 47, kind: 'integer' },
  'Acct-Output-Packets': { type: 48, kind: 'integer' },
  'Acct-Terminate-Cause': { type: 49, kind: 'integer' },
  'Acct-Multi-Session-Id': { type: 50, kind: 'text' },
  'Acct-Input-Gigawords': { type: 52, kind: 'integer' },
  'Acct-Output-Gigawords': { type: 53, kind: 'integer' },
  'Event-Timestamp': { type: 55, kind: 'integer' },
  'CHAP-Challenge': { type: 60, kind: 'octets' },
  'NAS-Port-Type': { type: 61, kind: 'integer' },
  'Acct-Interim-Interval': { type: 85, kind: 'integer' },
  'NAS-Port-Id': { type: 87, kind: 'text' },
  'Framed-Pool': { type: 88, kind: 'text' },
  'Message-Authenticator': { type: 80, kind: 'octets' },
  'Error-Cause': { type: 101, kind: 'integer' },
  // MikroTik's vendor dictionary (vendor 14988), as RouterOS documents it.
  'Mikrotik-Recv-Limit': { vendor: MIKROTIK_VENDOR, type: 1, kind: 'integer' },
  'Mikrotik-Xmit-Limit': { vendor: MIKROTIK_VENDOR, type: 2, kind: 'integer' },
  'Mikrotik-Group': { vendor: MIKROTIK_VENDOR, type: 3, kind: 'text' },
  'Mikrotik-Wireless-Forward': { vendor: MIKROTIK_VENDOR, type: 4, kind: 'integer' },
  'Mikrotik-Realm': { vendor: MIKROTIK_VENDOR, type: 9, kind: 'text' },
  'Mikrotik-Host-IP': { vendor: MIKROTIK_VENDOR, type: 10, kind: 'ipaddr' },
  'Mikrotik-Mark-Id': { vendor: MIKROTIK_VENDOR, type: 11, kind: 'text' },
  'Mikrotik-Advertise-URL': { vendor: MIKROTIK_VENDOR, type: 12, kind: 'text' },
  'Mikrotik-Advertise-Interval': { vendor: MIKROTIK_VENDOR, type: 13, kind: 'integer' },
  'Mikrotik-Recv-Limit-Gigawords': { vendor: MIKROTIK_VENDOR, type: 14, kind: 'integer' },
  'Mikrotik-Xmit-Limit-Gigawords': { vendor: MIKROTIK_VENDOR, type: 15, kind: 'integer' },
  'Mikrotik-Rate-Limit': { vendor: MIKROTIK_VENDOR, type: 8, kind: 'text' },
  'Mikrotik-Address-List': { vendor: MIKROTIK_VENDOR, type: 19, kind: 'text' },
  'Mikrotik-Total-Limit': { vendor: MIKROTIK_VENDOR, type: 17, kind: 'integer' },
  'Mikrotik-Total-Limit-Gigawords': { vendor: MIKROTIK_VENDOR, type: 18, kind: 'integer' },
} as const satisfies Record<string, AttributeDef>;

export type AttributeName = keyof typeof DICTIONARY;
export type AttributeValue = string | number | Buffer;

/** One attribute as decoded: by name when the dictionary knows it, raw otherwise. */
export interface Attribute {
  name: AttributeName | null;
  type: number;
  vendor?: number;
  value: AttributeValue;
}

export interface Packet {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: Attribute[];
  /** The exact bytes, kept to verify authenticators. */
  raw: Buffer;
}

const byKey = new Map<string, AttributeName>();
for (const [name, def] of Object.entries(DICTIONARY) as [AttributeName, AttributeDef][]) byKey.set(`${def.vendor ?? 0}:${def.type}`, name);

export type DecodeResult = { ok: true; packet: Packet } | { ok: false; reason: string };

function decodeValue(kind: Kind, data: Buffer): AttributeValue | null {
  switch (kind) {
    case 'integer':
      return data.length === 4 ? data.readUInt32BE(0) : null;
    case 'ipaddr':
      return data.length === 4 ? `${data[0]}.${data[1]}.${data[2]}.${data[3]}` : null;
    case 'text':
    case 'string':
      return data.toString('utf8');
    default:
      return Buffer.from(data);
  }
}

function pushAttribute(out: Attribute[], vendor: number, type: number, data: Buffer): void {
  const name = byKey.get(`${vendor}:${type}`) ?? null;
  const def: AttributeDef | null = name ? DICTIONARY[name] : null;
  const value = def ? decodeValue(def.kind, data) : null;
  // A known attribute of the wrong length is kept raw (unnamed) rather than misread.
  if (name && value !== null) out.push(vendor ? { name, type, vendor, value } : { name, type, value });
  else out.push(vendor ? { name: null, type, vendor, value: Buffer.from(data) } : { name: null, type, value: Buffer.from(data) });
}

/** Parses a datagram. Never throws: malformed input answers `{ ok: false, reason }`. */
export function decode(raw: Buffer): DecodeResult {
  if (raw.length < 20) return { ok: false, reason: 'short' };
  const length = raw.readUInt16BE(2);
  // RFC 2865 §3: octets beyond Length are padding and ignored; fewer than Length is an error.
  if (length < 20 || length > 4096 || length > raw.length) return { ok: false, reason: 'length' };
  const code = raw[0]!;
  if (!KNOWN_CODES.has(code)) return { ok: false, reason: 'code' };
  const bytes = raw.length === length ? raw : raw.subarray(0, length);
  const attributes: Attribute[] = [];
  let at = 20;
  while (at < length) {
    if (at + 2 > length) return { ok: false, reason: 'attribute' };
    const type = bytes[at]!;
    const len = bytes[at + 1]!;
    if (len < 2 || at + len > length) return { ok: false, reason: 'attribute' };
    const data = bytes.subarray(at + 2, at + len);
    if (type === 26 && data.length >= 6) {
      const vendor = data.readUInt32BE(0);
      // Vendors that follow RFC 2865's suggested format (type, length, value) are split into
      // their sub-attributes; any other layout is kept whole.
      const subs: [number, Buffer][] = [];
      let v = 4;
      let wellFormed = true;
      while (v < data.length) {
        if (v + 2 > data.length) { wellFormed = false; break; }
        const vlen = data[v + 1]!;
        if (vlen < 2 || v + vlen > data.length) { wellFormed = false; break; }
        subs.push([data[v]!, data.subarray(v + 2, v + vlen)]);
        v += vlen;
      }
      if (wellFormed) for (const [t, d] of subs) pushAttribute(attributes, vendor, t, d);
      else attributes.push({ name: null, type, value: Buffer.from(data) });
    } else {
      pushAttribute(attributes, 0, type, data);
    }
    at += len;
  }
  return { ok: true, packet: { code, identifier: bytes[1]!, authenticator: Buffer.from(bytes.subarray(4, 20)), attributes, raw: bytes } };
}

/** The first value of a named attribute, if present. */
export function attr(packet: Pick<Packet, 'attributes'>, name: AttributeName): AttributeValue | undefined {
  for (const a of packet.attributes) if (a.name === name) return a.value;
  return undefined;
}
export function attrText(packet: Pick<Packet, 'attributes'>, name: AttributeName): string | undefined {
  const v = attr(packet, name);
  return typeof v === 'string' ? v : undefined;
}
export function attrInt(packet: Pick<Packet, 'attributes'>, name: AttributeName): number | undefined {
  const v = attr(packet, name);
  return typeof v === 'number' ? v : undefined;
}
export function attrBytes(packet: Pick<Packet, 'attributes'>, name: AttributeName): Buffer | undefined {
  const v = attr(packet, name);
  return Buffer.isBuffer(v) ? v : undefined;
}

// --- Encoding ----------------------------------------------------------------------------------

/** An attribute to send: a dictionary name and its value. */
export type OutAttribute = [AttributeName, AttributeValue];

function encodeValue(name: AttributeName, value: AttributeValue): Buffer {
  const def: AttributeDef = DICTIONARY[name];
  if (Buffer.isBuffer(value)) return value;
  switch (def.kind) {
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${name} needs a 32-bit unsigned integer`);
      const b = Buffer.alloc(4);
      b.writeUInt32BE(value);
      return b;
    }
    case 'ipaddr': {
      const parts = String(value).split('.').map(Number);
      if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RangeError(`${name} needs an IPv4 address`);
      return Buffer.from(parts);
    }
    default:
      return Buffer.from(String(value), 'utf8');
  }
}

function encodeAttribute(name: AttributeName, value: AttributeValue): Buffer {
  const def: AttributeDef = DICTIONARY[name];
  const data = encodeValue(name, value);
  if (def.vendor) {
    if (data.length > 247) throw new RangeError(`${name} is longer than a vendor attribute can hold`);
    const b = Buffer.alloc(8 + data.length);
    b[0] = 26;
    b[1] = 8 + data.length;
    b.writeUInt32BE(def.vendor, 2);
    b[6] = def.type;
    b[7] = 2 + data.length;
    data.copy(b, 8);
    return b;
  }
  if (data.length > 253) throw new RangeError(`${name} is longer than an attribute can hold`);
  const b = Buffer.alloc(2 + data.length);
  b[0] = def.type;
  b[1] = 2 + data.length;
  data.copy(b, 2);
  return b;
}

const ZERO16 = Buffer.alloc(16);

/**
 * Assembles a packet with a Message-Authenticator placeholder first among its attributes (RFC 3579
 * lets it go anywhere; first is what Blast-RADIUS mitigations recommend for replies).
 */
function assemble(code: number, identifier: number, authenticator: Buffer, attributes: readonly OutAttribute[], withMessageAuthenticator: boolean): { buf: Buffer; maOffset: number } {
  const parts = attributes.filter(([n]) => n !== 'Message-Authenticator').map(([n, v]) => encodeAttribute(n, v));
  const ma = withMessageAuthenticator ? Buffer.from([MESSAGE_AUTHENTICATOR, 18, ...ZERO16]) : Buffer.alloc(0);
  const length = 20 + ma.length + parts.reduce((s, p) => s + p.length, 0);
  if (length > 4096) throw new RangeError('A RADIUS packet holds at most 4096 octets');
  const buf = Buffer.concat([Buffer.from([code, identifier & 0xff, length >> 8, length & 0xff]), authenticator, ma, ...parts], length);
  return { buf, maOffset: withMessageAuthenticator ? 22 : -1 };
}

function hmac(secret: string | Buffer, data: Buffer): Buffer {
  return createHmac('md5', secret).update(data).digest();
}
function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * An Access-Request. `authenticator` is the 16 random octets of the Request Authenticator
 * (the caller's randomness, so tests are repeatable). User-Password, given in clear, is hidden.
 */
export function encodeAccessRequest(identifier: number, authenticator: Buffer, attributes: readonly OutAttribute[], secret: string | Buffer, options: { messageAuthenticator?: boolean } = {}): Buffer {
  const hidden = attributes.map(([n, v]): OutAttribute => (n === 'User-Password' ? [n, hidePassword(Buffer.isBuffer(v) ? v : Buffer.from(String(v)), authenticator, secret)] : [n, v]));
  const { buf, maOffset } = assemble(Code.AccessRequest, identifier, authenticator, hidden, options.messageAuthenticator ?? true);
  if (maOffset >= 0) hmac(secret, buf).copy(buf, maOffset);
  return buf;
}

/**
 * Accounting-Request, CoA-Request and Disconnect-Request: the Request Authenticator is MD5 over the
 * packet with a zero authenticator and the secret. The Message-Authenticator is computed FIRST,
 * over the packet with both the authenticator field and itself zeroed (RFC 5176 §3.5), then the
 * Request Authenticator over the packet with the Message-Authenticator filled in.
 */
export function encodeSignedRequest(code: number, identifier: number, attributes: readonly OutAttribute[], secret: string | Buffer, options: { messageAuthenticator?: boolean } = {}): Buffer {
  const { buf, maOffset } = assemble(code, identifier, ZERO16, attributes, options.messageAuthenticator ?? true);
  if (maOffset >= 0) hmac(secret, buf).copy(buf, maOffset);
  md5(buf, Buffer.from(secret)).copy(buf, 4);
  return buf;
}

/**
 * A reply (Access-Accept/Reject/Challenge, Accounting-Response, CoA/Disconnect ACK/NAK) to a request
 * whose Request Authenticator is `requestAuthenticator`. The Message-Authenticator comes first (see
 * replyHmacVector); the Response Authenticator is then MD5 over the reply (carrying the request
 * authenticator and the final Message-Authenticator) and the secret.
 */
export function encodeResponse(code: number, identifier: number, requestAuthenticator: Buffer, attributes: readonly OutAttribute[], secret: string | Buffer, options: { messageAuthenticator?: boolean } = {}): Buffer {
  const { buf, maOffset } = assemble(code, identifier, replyHmacVector(code, requestAuthenticator), attributes, options.messageAuthenticator ?? true);
  if (maOffset >= 0) hmac(secret, buf).copy(buf, maOffset);
  requestAuthenticator.copy(buf, 4);
  md5(buf, Buffer.from(secret)).copy(buf, 4);
  return buf;
}

/**
 * What the authenticator field holds while a reply's Message-Authenticator is computed: the
 * request's authenticator for Access-Accept/Reject/Challenge (RFC 3579), zeroes for
 * Accounting-Response and CoA/Disconnect ACK/NAK, as FreeRADIUS signs and verifies them.
 */
export function replyHmacVector(code: number, requestAuthenticator: Buffer): Buffer {
  return code === Code.AccessAccept || code === Code.AccessReject || code === Code.AccessChallenge ? requestAuthenticator : ZERO16;
}

// --- Verification ------------------------------------------------------------------------------

/**
 * Offset of the (first) Message-Authenticator attribute's value in a packet: -1 when there is
 * none, -2 when one is present with a wrong length (or the attributes are malformed before it).
 */
export function messageAuthenticatorOffset(raw: Buffer): number {
  const length = raw.length >= 4 ? Math.min(raw.length, raw.readUInt16BE(2)) : 0;
  let at = 20;
  while (at + 2 <= length) {
    const len = raw[at + 1]!;
    if (len < 2 || at + len > length) return -2;
    if (raw[at] === MESSAGE_AUTHENTICATOR) return len === 18 ? at + 2 : -2;
    at += len;
  }
  return -1;
}

const equal16 = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/**
 * Checks the Message-Authenticator, if the packet has one. `authenticatorField` is what the
 * authenticator field must hold while hashing: the packet's own for Access-Requests (leave it
 * out), zeroes for Accounting/CoA/Disconnect requests, the request's authenticator for replies.
 */
export function checkMessageAuthenticator(raw: Buffer, secret: string | Buffer, authenticatorField?: Buffer): 'absent' | 'valid' | 'invalid' {
  const at = messageAuthenticatorOffset(raw);
  if (at === -1) return 'absent';
  if (at < 0) return 'invalid';
  const length = raw.readUInt16BE(2);
  const copy = Buffer.from(raw.subarray(0, length));
  const given = Buffer.from(copy.subarray(at, at + 16));
  ZERO16.copy(copy, at);
  if (authenticatorField) authenticatorField.copy(copy, 4);
  return equal16(hmac(secret, copy), given) ? 'valid' : 'invalid';
}

/** Accounting/CoA/Disconnect requests: the Request Authenticator is MD5(packet with zero authenticator + secret). */
export function verifySignedRequest(raw: Buffer, secret: string | Buffer): boolean {
  const length = raw.readUInt16BE(2);
  const copy = Buffer.from(raw.subarray(0, length));
  const given = Buffer.from(copy.subarray(4, 20));
  ZERO16.copy(copy, 4);
  return equal16(md5(copy, Buffer.from(secret)), given);
}

/** A reply's Response Authenticator: MD5(reply with the request's authenticator + secret). */
export function verifyResponse(raw: Buffer, requestAuthenticator: Buffer, secret: string | Buffer): boolean {
  const length = raw.readUInt16BE(2);
  const copy = Buffer.from(raw.subarray(0, length));
  const given = Buffer.from(copy.subarray(4, 20));
  requestAuthenticator.copy(copy, 4);
  return equal16(md5(copy, Buffer.from(secret)), given);
}

// --- Passwords ---------------------------------------------------------------------------------

/** RFC 2865 §5.2: User-Password hiding (XOR with an MD5 chain over the secret and authenticator). */
export function hidePassword(password: Buffer, authenticator: Buffer, secret: string | Buffer): Buffer {
  if (password.length > 128) throw new RangeError('A User-Password holds at most 128 octets');
  const padded = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16));
  password.copy(padded);
  const out = Buffer.alloc(padded.length);
  const s = Buffer.from(secret);
  let prev = authenticator;
  for (let i = 0; i < padded.length; i += 16) {
    const b = md5(s, prev);
    for (let j = 0; j < 16; j++) out[i + j] = padded[i + j]! ^ b[j]!;
    prev = out.subarray(i, i + 16);
  }
  return out;
}

/** Reverses {@link hidePassword}; null when the hidden value has an impossible length. */
export function unhidePassword(hidden: Buffer, authenticator: Buffer, secret: string | Buffer): Buffer | null {
  if (hidden.length < 16 || hidden.length > 128 || hidden.length % 16 !== 0) return null;
  const out = Buffer.alloc(hidden.length);
  const s = Buffer.from(secret);
  let prev = authenticator;
  for (let i = 0; i < hidden.length; i += 16) {
    const b = md5(s, prev);
    for (let j = 0; j < 16; j++) out[i + j] = hidden[i + j]! ^ b[j]!;
    prev = hidden.subarray(i, i + 16);
  }
  let end = out.length;
  while (end > 0 && out[end - 1] === 0) end--;
  return out.subarray(0, end);
}

/** RFC 1994/2865 CHAP: the response is MD5(ident + password + challenge). */
export function chapResponse(ident: number, password: Buffer, challenge: Buffer): Buffer {
  return md5(Buffer.from([ident & 0xff]), password, challenge);
}

/**
 * Checks a CHAP-Password attribute (ident + 16-octet response) against the password; the challenge
 * is CHAP-Challenge or, without one, the Request Authenticator (RFC 2865 §2.2).
 */
export function verifyChap(chapPassword: Buffer, challenge: Buffer, password: Buffer): boolean {
  if (chapPassword.length !== 17) return false;
  return equal16(chapResponse(chapPassword[0]!, password, challenge), chapPassword.subarray(1));
}

/** Acct-Status-Type values. */
export const AcctStatus = { Start: 1, Stop: 2, InterimUpdate: 3, AccountingOn: 7, AccountingOff: 8 } as const;

/** RFC 5176 Error-Cause values worth naming to staff. */
export const ERROR_CAUSES: Record<number, string> = {
  201: 'Residual Session Context Removed',
  202: 'Invalid EAP Packet (Ignored)',
  401: 'Unsupported Attribute',
  402: 'Missing Attribute',
  403: 'NAS Identification Mismatch',
  404: 'Invalid Request',
  405: 'Unsupported Service',
  406: 'Unsupported Extension',
  407: 'Invalid Attribute Value',
  501: 'Administratively Prohibited',
  502: 'Request Not Routable (Proxy)',
  503: 'Session Context Not Found',
  504: 'Session Context Not Removable',
  505: 'Other Proxy Processing Error',
  506: 'Resources Unavailable',
  507: 'Request Initiated',
  508: 'Multiple Session Selection Unsupported',
};
