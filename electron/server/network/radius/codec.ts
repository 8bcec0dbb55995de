/**
 * RADIUS packets (RFC 2865 authentication, 2866 accounting, 3579 Message-Authenticator, 5176
 * CoA/Disconnect) as pure functions over Buffers. Decoding answers errors as values: a packet
 * from the network is never trusted, and nothing here throws on bad bytes.
 */
import { Md5, RadiusKey } from './md5';

export { RadiusKey };

/** A shared secret as callers hold it; the server passes a RadiusKey made once per client. */
export type Secret = string | Buffer | RadiusKey;
const keyOf = (secret: Secret): RadiusKey => (secret instanceof RadiusKey ? secret : new RadiusKey(secret));

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

/**
 * Where an Access-Request's attributes start (the type octet), -1 where absent: what the server reads
 * of it, found in one pass without decoding the rest. Built by scanAccessRequest.
 */
export interface RequestView {
  code: number;
  identifier: number;
  /** The Length field (octets after it are padding). */
  length: number;
  userName: number;
  userPassword: number;
  chapPassword: number;
  chapChallenge: number;
  callingStationId: number;
  /** The first Message-Authenticator's value (not its type octet); -1 absent, -2 of a wrong length. */
  messageAuthenticator: number;
}

/**
 * The checks of {@link decode} (length, code, attribute framing) and the first occurrence of each
 * attribute the server reads, as offsets into `raw`; null exactly where decode answers not ok.
 * Reuses `view` so a busy server allocates nothing per packet.
 */
export function scanRequest(raw: Uint8Array, view: RequestView): RequestView | null {
  if (raw.length < 20) return null;
  const length = (raw[2]! << 8) | raw[3]!;
  if (length < 20 || length > 4096 || length > raw.length) return null;
  const code = raw[0]!;
  if (!KNOWN_CODES.has(code)) return null;
  view.code = code;
  view.identifier = raw[1]!;
  view.length = length;
  view.userName = view.userPassword = view.chapPassword = view.chapChallenge = view.callingStationId = view.messageAuthenticator = -1;
  let at = 20;
  while (at < length) {
    if (at + 2 > length) return null;
    const len = raw[at + 1]!;
    if (len < 2 || at + len > length) return null;
    switch (raw[at]) {
      case 1:
        if (view.userName < 0) view.userName = at;
        break;
      case 2:
        if (view.userPassword < 0) view.userPassword = at;
        break;
      case 3:
        if (view.chapPassword < 0) view.chapPassword = at;
        break;
      case 60:
        if (view.chapChallenge < 0) view.chapChallenge = at;
        break;
      case 31:
        if (view.callingStationId < 0) view.callingStationId = at;
        break;
      case MESSAGE_AUTHENTICATOR:
        if (view.messageAuthenticator === -1) view.messageAuthenticator = len === 18 ? at + 2 : -2;
        break;
    }
    at += len;
  }
  return view;
}

/** A view with nothing found yet, to hand to scanRequest. */
export const emptyView = (): RequestView => ({ code: 0, identifier: 0, length: 0, userName: -1, userPassword: -1, chapPassword: -1, chapChallenge: -1, callingStationId: -1, messageAuthenticator: -1 });

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
 * Attributes in wire form, concatenated (Message-Authenticator left out: the packet functions place
 * it). The server keeps this per answer, so a reply costs a copy and two hashes.
 */
export function encodeAttributes(attributes: readonly OutAttribute[]): Buffer {
  const parts: Buffer[] = [];
  for (const [n, v] of attributes) if (n !== 'Message-Authenticator') parts.push(encodeAttribute(n, v));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * Assembles a packet with a Message-Authenticator placeholder first among its attributes (RFC 3579
 * lets it go anywhere; first is what Blast-RADIUS mitigations recommend for replies).
 */
function assemble(code: number, identifier: number, authenticator: Uint8Array, encoded: Uint8Array, withMessageAuthenticator: boolean, authenticatorAt = 0): { buf: Buffer; maOffset: number } {
  const maLength = withMessageAuthenticator ? 18 : 0;
  const length = 20 + maLength + encoded.length;
  if (length > 4096) throw new RangeError('A RADIUS packet holds at most 4096 octets');
  const buf = Buffer.allocUnsafe(length);
  buf[0] = code;
  buf[1] = identifier & 0xff;
  buf[2] = length >> 8;
  buf[3] = length & 0xff;
  for (let i = 0; i < 16; i++) buf[4 + i] = authenticator[authenticatorAt + i]!;
  if (withMessageAuthenticator) {
    buf[20] = MESSAGE_AUTHENTICATOR;
    buf[21] = 18;
    buf.fill(0, 22, 38);
  }
  buf.set(encoded, 20 + maLength);
  return { buf, maOffset: withMessageAuthenticator ? 22 : -1 };
}

/** Constant-time comparison of two 16-octet ranges (no early exit on the first difference). */
function equal16At(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number): boolean {
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= a[aAt + i]! ^ b[bAt + i]!;
  return diff === 0;
}

function md5(...parts: Uint8Array[]): Buffer {
  const h = new Md5();
  for (const p of parts) h.update(p);
  const out = Buffer.allocUnsafe(16);
  h.digestInto(out);
  return out;
}

/**
 * An Access-Request. `authenticator` is the 16 random octets of the Request Authenticator
 * (the caller's randomness, so tests are repeatable). User-Password, given in clear, is hidden.
 */
export function encodeAccessRequest(identifier: number, authenticator: Buffer, attributes: readonly OutAttribute[], secret: Secret, options: { messageAuthenticator?: boolean } = {}): Buffer {
  const key = keyOf(secret);
  const hidden = attributes.map(([n, v]): OutAttribute => (n === 'User-Password' ? [n, hidePassword(Buffer.isBuffer(v) ? v : Buffer.from(String(v)), authenticator, key)] : [n, v]));
  const { buf, maOffset } = assemble(Code.AccessRequest, identifier, authenticator, encodeAttributes(hidden), options.messageAuthenticator ?? true);
  if (maOffset >= 0) key.hmac(buf, 0, buf.length, buf, maOffset);
  return buf;
}

/**
 * Accounting-Request, CoA-Request and Disconnect-Request: the Request Authenticator is MD5 over the
 * packet with a zero authenticator and the secret. The Message-Authenticator is computed FIRST,
 * over the packet with both the authenticator field and itself zeroed (RFC 5176 §3.5), then the
 * Request Authenticator over the packet with the Message-Authenticator filled in.
 */
export function encodeSignedRequest(code: number, identifier: number, attributes: readonly OutAttribute[], secret: Secret, options: { messageAuthenticator?: boolean } = {}): Buffer {
  const key = keyOf(secret);
  const { buf, maOffset } = assemble(code, identifier, ZERO16, encodeAttributes(attributes), options.messageAuthenticator ?? true);
  if (maOffset >= 0) key.hmac(buf, 0, buf.length, buf, maOffset);
  key.md5ThenSecret(buf, 0, buf.length, buf, 4);
  return buf;
}

/**
 * A reply (Access-Accept/Reject/Challenge, Accounting-Response, CoA/Disconnect ACK/NAK) to a request
 * whose Request Authenticator is `requestAuthenticator`. The Message-Authenticator comes first (see
 * replyHmacVector); the Response Authenticator is then MD5 over the reply (carrying the request
 * authenticator and the final Message-Authenticator) and the secret.
 */
export function encodeResponse(code: number, identifier: number, requestAuthenticator: Buffer, attributes: readonly OutAttribute[], secret: Secret, options: { messageAuthenticator?: boolean } = {}): Buffer {
  return encodeResponseWith(code, identifier, requestAuthenticator, 0, encodeAttributes(attributes), keyOf(secret), options.messageAuthenticator ?? true);
}

/**
 * encodeResponse for the server's hot path: attributes already in wire form (encodeAttributes), the
 * Request Authenticator read in place at `request[authenticatorAt]`, a key made once per client.
 */
export function encodeResponseWith(code: number, identifier: number, request: Uint8Array, authenticatorAt: number, encoded: Uint8Array, key: RadiusKey, messageAuthenticator = true): Buffer {
  const signedWithRequest = hmacOverRequestAuthenticator(code);
  const { buf, maOffset } = signedWithRequest
    ? assemble(code, identifier, request, encoded, messageAuthenticator, authenticatorAt)
    : assemble(code, identifier, ZERO16, encoded, messageAuthenticator);
  if (maOffset >= 0) key.hmac(buf, 0, buf.length, buf, maOffset);
  // The Response Authenticator covers the request's authenticator in the field (RFC 2865 §3).
  if (!signedWithRequest) for (let i = 0; i < 16; i++) buf[4 + i] = request[authenticatorAt + i]!;
  key.md5ThenSecret(buf, 0, buf.length, buf, 4);
  return buf;
}

/**
 * What the authenticator field holds while a reply's Message-Authenticator is computed: the
 * request's authenticator for Access-Accept/Reject/Challenge (RFC 3579), zeroes for
 * Accounting-Response and CoA/Disconnect ACK/NAK, as FreeRADIUS signs and verifies them.
 */
export function replyHmacVector<T extends Uint8Array>(code: number, requestAuthenticator: T): T | Buffer {
  return hmacOverRequestAuthenticator(code) ? requestAuthenticator : ZERO16;
}
const hmacOverRequestAuthenticator = (code: number) => code === Code.AccessAccept || code === Code.AccessReject || code === Code.AccessChallenge;

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

/** Room to hash a received packet with fields zeroed, without allocating per packet. */
const scratch = Buffer.alloc(4096 + 16);

/**
 * Checks the Message-Authenticator, if the packet has one. `authenticatorField` is what the
 * authenticator field must hold while hashing: the packet's own for Access-Requests (leave it
 * out), zeroes for Accounting/CoA/Disconnect requests, the request's authenticator for replies.
 */
export function checkMessageAuthenticator(raw: Buffer, secret: Secret, authenticatorField?: Uint8Array): 'absent' | 'valid' | 'invalid' {
  const at = messageAuthenticatorOffset(raw);
  if (at === -1) return 'absent';
  if (at < 0) return 'invalid';
  return messageAuthenticatorValid(raw, at, keyOf(secret), authenticatorField) ? 'valid' : 'invalid';
}

/** The HMAC check itself, for a Message-Authenticator value found at `raw[at]` (16 octets). */
export function messageAuthenticatorValid(raw: Uint8Array, at: number, key: RadiusKey, authenticatorField?: Uint8Array): boolean {
  const length = Math.min(raw.length, (raw[2]! << 8) | raw[3]!);
  if (at < 20 || at + 16 > length) return false;
  scratch.set(raw.subarray(0, length));
  scratch.fill(0, at, at + 16);
  if (authenticatorField) scratch.set(authenticatorField.subarray(0, 16), 4);
  key.hmac(scratch, 0, length, scratch, length);
  return equal16At(scratch, length, raw, at);
}

/** Accounting/CoA/Disconnect requests: the Request Authenticator is MD5(packet with zero authenticator + secret). */
export function verifySignedRequest(raw: Buffer, secret: Secret): boolean {
  return verifyAuthenticator(raw, ZERO16, keyOf(secret));
}

/** A reply's Response Authenticator: MD5(reply with the request's authenticator + secret). */
export function verifyResponse(raw: Buffer, requestAuthenticator: Buffer, secret: Secret): boolean {
  return verifyAuthenticator(raw, requestAuthenticator, keyOf(secret));
}

function verifyAuthenticator(raw: Buffer, field: Uint8Array, key: RadiusKey): boolean {
  if (raw.length < 20) return false;
  const length = Math.min(raw.length, raw.readUInt16BE(2));
  if (length < 20) return false;
  scratch.set(raw.subarray(0, length));
  scratch.set(field.subarray(0, 16), 4);
  key.md5ThenSecret(scratch, 0, length, scratch, length);
  return equal16At(scratch, length, raw, 4);
}

// --- Passwords ---------------------------------------------------------------------------------

/** RFC 2865 §5.2: User-Password hiding (XOR with an MD5 chain over the secret and authenticator). */
export function hidePassword(password: Buffer, authenticator: Buffer, secret: Secret): Buffer {
  if (password.length > 128) throw new RangeError('A User-Password holds at most 128 octets');
  const key = keyOf(secret);
  const out = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16));
  password.copy(out);
  const b = Buffer.allocUnsafe(16);
  for (let i = 0; i < out.length; i += 16) {
    if (i === 0) key.md5AfterSecret(authenticator, 0, 16, b, 0);
    else key.md5AfterSecret(out, i - 16, i, b, 0);
    for (let j = 0; j < 16; j++) out[i + j] = out[i + j]! ^ b[j]!;
  }
  return out;
}

/** Reverses {@link hidePassword}; null when the hidden value has an impossible length. */
export function unhidePassword(hidden: Buffer, authenticator: Buffer, secret: Secret): Buffer | null {
  const out = Buffer.alloc(128);
  const n = unhidePasswordInto(hidden, 0, hidden.length, authenticator, 0, keyOf(secret), out);
  return n < 0 ? null : out.subarray(0, n);
}

const pad = Buffer.alloc(16);

/**
 * unhidePassword reading the hidden value at `raw[at, at + length)` and the authenticator at
 * `authenticator[authAt]`, writing the clear text into `out` (128 octets): answers its length
 * without the zero padding, or -1 for an impossible length.
 */
export function unhidePasswordInto(raw: Uint8Array, at: number, length: number, authenticator: Uint8Array, authAt: number, key: RadiusKey, out: Uint8Array): number {
  if (length < 16 || length > 128 || length % 16 !== 0) return -1;
  for (let i = 0; i < length; i += 16) {
    if (i === 0) key.md5AfterSecret(authenticator, authAt, authAt + 16, pad, 0);
    else key.md5AfterSecret(raw, at + i - 16, at + i, pad, 0);
    for (let j = 0; j < 16; j++) out[i + j] = raw[at + i + j]! ^ pad[j]!;
  }
  let end = length;
  while (end > 0 && out[end - 1] === 0) end--;
  return end;
}

/** RFC 1994/2865 CHAP: the response is MD5(ident + password + challenge). */
export function chapResponse(ident: number, password: Buffer, challenge: Buffer): Buffer {
  return md5(Uint8Array.of(ident & 0xff), password, challenge);
}

/**
 * Checks a CHAP-Password attribute (ident + 16-octet response) against the password; the challenge
 * is CHAP-Challenge or, without one, the Request Authenticator (RFC 2865 §2.2).
 */
export function verifyChap(chapPassword: Buffer, challenge: Buffer, password: Buffer): boolean {
  if (chapPassword.length !== 17) return false;
  return equal16At(chapResponse(chapPassword[0]!, password, challenge), 0, chapPassword, 1);
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
