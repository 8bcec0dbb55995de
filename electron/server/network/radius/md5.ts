/**
 * MD5 and HMAC-MD5 (RFC 1321, RFC 2104) in plain TypeScript, for the RADIUS hot path only.
 * RADIUS fixes MD5 as its primitive; what matters here is the cost per packet. node:crypto spends
 * most of a small digest crossing into C++ (a createHash or createHmac object per packet, several
 * microseconds each, four per Access-Request); this runs the few 64-byte blocks a packet needs in
 * the JIT, and lets a shared secret's HMAC pads and its MD5 prefix be absorbed once per client.
 * Proven against node:crypto on random inputs in md5.test.ts.
 */

function word(out: Uint8Array, at: number, v: number): void {
  out[at] = v;
  out[at + 1] = v >>> 8;
  out[at + 2] = v >>> 16;
  out[at + 3] = v >>> 24;
}

/** A running MD5: update with byte ranges, digest into a buffer, copy a state to resume from it. */
export class Md5 {
  private a = 0x67452301;
  private b = 0xefcdab89 | 0;
  private c = 0x98badcfe | 0;
  private d = 0x10325476;
  private readonly block = new Uint8Array(64);
  private pending = 0;
  /** Bytes absorbed so far (a RADIUS input never approaches 2^53). */
  private length = 0;

  reset(): this {
    this.a = 0x67452301;
    this.b = 0xefcdab89 | 0;
    this.c = 0x98badcfe | 0;
    this.d = 0x10325476;
    this.pending = 0;
    this.length = 0;
    return this;
  }

  /** Becomes a copy of `other` (a secret's absorbed prefix, say), to go on from there. */
  copyFrom(other: Md5): this {
    this.a = other.a;
    this.b = other.b;
    this.c = other.c;
    this.d = other.d;
    this.pending = other.pending;
    this.length = other.length;
    for (let i = 0; i < other.pending; i++) this.block[i] = other.block[i]!;
    return this;
  }

  update(data: Uint8Array, start = 0, end = data.length): this {
    this.length += end - start;
    const block = this.block;
    let at = start;
    // Byte loops, not subarray + set: the pieces are a few dozen octets and a view costs more.
    if (this.pending > 0) {
      let p = this.pending;
      while (p < 64 && at < end) block[p++] = data[at++]!;
      this.pending = p;
      if (p < 64) return this;
      this.compress(block, 0);
      this.pending = 0;
    }
    while (end - at >= 64) {
      this.compress(data, at);
      at += 64;
    }
    let p = 0;
    while (at < end) block[p++] = data[at++]!;
    this.pending = p;
    return this;
  }

  /** Writes the 16-octet digest at `out[offset]`. The state is spent: reset or copyFrom before reuse. */
  digestInto(out: Uint8Array, offset = 0): void {
    const bits = this.length * 8;
    const block = this.block;
    block[this.pending++] = 0x80;
    if (this.pending > 56) {
      block.fill(0, this.pending);
      this.compress(block, 0);
      this.pending = 0;
    }
    block.fill(0, this.pending, 56);
    const lo = bits >>> 0;
    const hi = Math.floor(bits / 2 ** 32) >>> 0;
    block[56] = lo;
    block[57] = lo >>> 8;
    block[58] = lo >>> 16;
    block[59] = lo >>> 24;
    block[60] = hi;
    block[61] = hi >>> 8;
    block[62] = hi >>> 16;
    block[63] = hi >>> 24;
    this.compress(block, 0);
    word(out, offset, this.a);
    word(out, offset + 4, this.b);
    word(out, offset + 8, this.c);
    word(out, offset + 12, this.d);
  }

  /** One 64-octet block, the 64 steps written out (a loop over tables takes twice as long). */
  private compress(data: Uint8Array, at: number): void {
    const x0 = data[at + 0]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24);
    const x1 = data[at + 4]! | (data[at + 5]! << 8) | (data[at + 6]! << 16) | (data[at + 7]! << 24);
    const x2 = data[at + 8]! | (data[at + 9]! << 8) | (data[at + 10]! << 16) | (data[at + 11]! << 24);
    const x3 = data[at + 12]! | (data[at + 13]! << 8) | (data[at + 14]! << 16) | (data[at + 15]! << 24);
    const x4 = data[at + 16]! | (data[at + 17]! << 8) | (data[at + 18]! << 16) | (data[at + 19]! << 24);
    const x5 = data[at + 20]! | (data[at + 21]! << 8) | (data[at + 22]! << 16) | (data[at + 23]! << 24);
    const x6 = data[at + 24]! | (data[at + 25]! << 8) | (data[at + 26]! << 16) | (data[at + 27]! << 24);
    const x7 = data[at + 28]! | (data[at + 29]! << 8) | (data[at + 30]! << 16) | (data[at + 31]! << 24);
    const x8 = data[at + 32]! | (data[at + 33]! << 8) | (data[at + 34]! << 16) | (data[at + 35]! << 24);
    const x9 = data[at + 36]! | (data[at + 37]! << 8) | (data[at + 38]! << 16) | (data[at + 39]! << 24);
    const x10 = data[at + 40]! | (data[at + 41]! << 8) | (data[at + 42]! << 16) | (data[at + 43]! << 24);
    const x11 = data[at + 44]! | (data[at + 45]! << 8) | (data[at + 46]! << 16) | (data[at + 47]! << 24);
    const x12 = data[at + 48]! | (data[at + 49]! << 8) | (data[at + 50]! << 16) | (data[at + 51]! << 24);
    const x13 = data[at + 52]! | (data[at + 53]! << 8) | (data[at + 54]! << 16) | (data[at + 55]! << 24);
    const x14 = data[at + 56]! | (data[at + 57]! << 8) | (data[at + 58]! << 16) | (data[at + 59]! << 24);
    const x15 = data[at + 60]! | (data[at + 61]! << 8) | (data[at + 62]! << 16) | (data[at + 63]! << 24);
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    let t: number;
    t = (a + ((b & c) | (~b & d)) + -680876936 + x0) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + -389564586 + x1) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + 606105819 + x2) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + -1044525330 + x3) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + -176418897 + x4) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + 1200080426 + x5) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + -1473231341 + x6) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + -45705983 + x7) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + 1770035416 + x8) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + -1958414417 + x9) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + -42063 + x10) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + -1990404162 + x11) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + 1804603682 + x12) | 0;
    a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + -40341101 + x13) | 0;
    d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + -1502002290 + x14) | 0;
    c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + 1236535329 + x15) | 0;
    b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((d & b) | (~d & c)) + -165796510 + x1) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + -1069501632 + x6) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + 643717713 + x11) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + -373897302 + x0) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((d & b) | (~d & c)) + -701558691 + x5) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + 38016083 + x10) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + -660478335 + x15) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + -405537848 + x4) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((d & b) | (~d & c)) + 568446438 + x9) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + -1019803690 + x14) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + -187363961 + x3) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + 1163531501 + x8) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((d & b) | (~d & c)) + -1444681467 + x13) | 0;
    a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + -51403784 + x2) | 0;
    d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + 1735328473 + x7) | 0;
    c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + -1926607734 + x12) | 0;
    b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + (b ^ c ^ d) + -378558 + x5) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + -2022574463 + x8) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + 1839030562 + x11) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + -35309556 + x14) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + -1530992060 + x1) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + 1272893353 + x4) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + -155497632 + x7) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + -1094730640 + x10) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + 681279174 + x13) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + -358537222 + x0) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + -722521979 + x3) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + 76029189 + x6) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + -640364487 + x9) | 0;
    a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + -421815835 + x12) | 0;
    d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + 530742520 + x15) | 0;
    c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + -995338651 + x2) | 0;
    b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (c ^ (b | ~d)) + -198630844 + x0) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + 1126891415 + x7) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + -1416354905 + x14) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + -57434055 + x5) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + 1700485571 + x12) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + -1894986606 + x3) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + -1051523 + x10) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + -2054922799 + x1) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + 1873313359 + x8) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + -30611744 + x15) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + -1560198380 + x6) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + 1309151649 + x13) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + -145523070 + x4) | 0;
    a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + -1120210379 + x11) | 0;
    d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + 718787259 + x2) | 0;
    c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + -343485551 + x9) | 0;
    b = (c + ((t << 21) | (t >>> 11))) | 0;
    this.a = (this.a + a) | 0;
    this.b = (this.b + b) | 0;
    this.c = (this.c + c) | 0;
    this.d = (this.d + d) | 0;
  }
}

/**
 * A shared secret made ready for the hot path: its bytes, MD5 resumed after the secret (User-Password
 * hiding hashes secret + 16 octets), and HMAC-MD5's inner and outer pads already absorbed.
 * One per NAS client; not shared between threads. Holds scratch state, so not reentrant: every
 * method finishes before it returns.
 */
export class RadiusKey {
  readonly bytes: Buffer;
  private readonly afterSecret = new Md5();
  private readonly inner = new Md5();
  private readonly outer = new Md5();
  private readonly work = new Md5();
  private readonly innerDigest = new Uint8Array(16);

  constructor(secret: string | Buffer) {
    this.bytes = Buffer.from(secret);
    this.afterSecret.update(this.bytes);
    let key: Uint8Array = this.bytes;
    if (key.length > 64) {
      const short = new Uint8Array(16);
      new Md5().update(key).digestInto(short);
      key = short;
    }
    const ipad = new Uint8Array(64).fill(0x36);
    const opad = new Uint8Array(64).fill(0x5c);
    for (let i = 0; i < key.length; i++) {
      ipad[i]! ^= key[i]!;
      opad[i]! ^= key[i]!;
    }
    this.inner.update(ipad);
    this.outer.update(opad);
  }

  /** HMAC-MD5 of `data[start, end)` under this secret, written at `out[offset]`. */
  hmac(data: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): void {
    this.work.copyFrom(this.inner).update(data, start, end).digestInto(this.innerDigest);
    this.work.copyFrom(this.outer).update(this.innerDigest).digestInto(out, offset);
  }

  /** MD5(secret + data[start, end)), the User-Password hiding step. */
  md5AfterSecret(data: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): void {
    this.work.copyFrom(this.afterSecret).update(data, start, end).digestInto(out, offset);
  }

  /** MD5(data[start, end) + secret), the Response and Request Authenticators. */
  md5ThenSecret(data: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): void {
    this.work.reset().update(data, start, end).update(this.bytes).digestInto(out, offset);
  }
}
