/**
 * The RouterOS API wire format, pure: no sockets, no timers.
 *
 * A sentence is a list of words ended by a zero-length word. Each word is its length followed by
 * its bytes; the length takes 1 to 5 bytes, its leading bits saying how many:
 *   0xxxxxxx                                   < 0x80
 *   10xxxxxx xxxxxxxx                          < 0x4000
 *   110xxxxx xxxxxxxx xxxxxxxx                 < 0x200000
 *   1110xxxx xxxxxxxx xxxxxxxx xxxxxxxx        < 0x10000000
 *   11110000 xxxxxxxx xxxxxxxx xxxxxxxx xxxxxxxx
 * A first byte of 0xF8 and above is a control byte the API never sends; 0xF1..0xF7 are invalid.
 * Words are UTF-8 text here (RouterOS stores bytes; UTF-8 round-trips what Towerline writes).
 */

/** Largest length the 5-byte form can carry. */
export const MAX_WORD_LENGTH = 0xffffffff;

/** Bytes of the length prefix for a word of `length` bytes. */
export function lengthPrefixSize(length: number): number {
  if (length < 0x80) return 1;
  if (length < 0x4000) return 2;
  if (length < 0x200000) return 3;
  if (length < 0x10000000) return 4;
  return 5;
}

/** The length prefix for a word of `length` bytes. */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_WORD_LENGTH) {
    throw new RangeError(`A RouterOS word length must be an integer from 0 to ${MAX_WORD_LENGTH}, not ${length}`);
  }
  const out = Buffer.alloc(lengthPrefixSize(length));
  writeLength(out, 0, length);
  return out;
}

function writeLength(out: Buffer, at: number, length: number): number {
  if (length < 0x80) {
    out[at] = length;
    return at + 1;
  }
  if (length < 0x4000) {
    out[at] = (length >>> 8) | 0x80;
    out[at + 1] = length & 0xff;
    return at + 2;
  }
  if (length < 0x200000) {
    out[at] = (length >>> 16) | 0xc0;
    out[at + 1] = (length >>> 8) & 0xff;
    out[at + 2] = length & 0xff;
    return at + 3;
  }
  if (length < 0x10000000) {
    out[at] = ((length >>> 24) | 0xe0) & 0xff;
    out[at + 1] = (length >>> 16) & 0xff;
    out[at + 2] = (length >>> 8) & 0xff;
    out[at + 3] = length & 0xff;
    return at + 4;
  }
  out[at] = 0xf0;
  out.writeUInt32BE(length, at + 1);
  return at + 5;
}

export type LengthResult =
  | { ok: true; length: number; size: number }
  /** More bytes are needed before the length is known. */
  | { ok: false; need: number }
  | { ok: false; error: string };

/** Decodes the length prefix at `at`; never throws. */
export function decodeLength(bytes: Uint8Array, at = 0): LengthResult {
  if (at >= bytes.length) return { ok: false, need: 1 };
  const b = bytes[at]!;
  let size: number;
  if (b < 0x80) return { ok: true, length: b, size: 1 };
  else if (b < 0xc0) size = 2;
  else if (b < 0xe0) size = 3;
  else if (b < 0xf0) size = 4;
  else if (b === 0xf0) size = 5;
  else return { ok: false, error: `invalid word length byte 0x${b.toString(16)}` };
  if (bytes.length - at < size) return { ok: false, need: size - (bytes.length - at) };
  let length: number;
  switch (size) {
    case 2:
      length = ((b & 0x3f) << 8) | bytes[at + 1]!;
      break;
    case 3:
      length = ((b & 0x1f) << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!;
      break;
    case 4:
      length = (b & 0x0f) * 0x1000000 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
      break;
    default:
      length = bytes[at + 1]! * 0x1000000 + ((bytes[at + 2]! << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!);
  }
  return { ok: true, length, size };
}

/** One sentence on the wire: every word with its length, then the zero-length terminator. */
export function encodeSentence(words: readonly string[]): Buffer {
  const sizes = new Array<number>(words.length);
  let total = 1;
  for (let i = 0; i < words.length; i++) {
    const size = Buffer.byteLength(words[i]!, 'utf8');
    if (size === 0) throw new RangeError('A RouterOS word cannot be empty: the empty word ends the sentence');
    sizes[i] = size;
    total += lengthPrefixSize(size) + size;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < words.length; i++) {
    at = writeLength(out, at, sizes[i]!);
    at += out.write(words[i]!, at, 'utf8');
  }
  out[at] = 0;
  return out;
}

export type Frame = { ok: true; words: string[] } | { ok: false; error: string };

export interface FramerOptions {
  /** A word longer than this is a protocol error (guards memory against a broken or hostile peer). */
  maxWordBytes?: number;
  /** A sentence with more words than this is a protocol error. */
  maxWords?: number;
}

/**
 * Turns a byte stream into sentences, however TCP splits it. `push` never throws: a malformed
 * stream yields one error frame, after which the stream is out of step and the framer yields
 * nothing more (the caller drops the connection).
 */
export class SentenceFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes needed before parsing can make progress again. */
  private need = 1;
  private words: string[] = [];
  private failed = false;
  private readonly maxWordBytes: number;
  private readonly maxWords: number;

  constructor(options: FramerOptions = {}) {
    this.maxWordBytes = options.maxWordBytes ?? 64 * 1024 * 1024;
    this.maxWords = options.maxWords ?? 100_000;
  }

  get broken(): boolean {
    return this.failed;
  }

  push(chunk: Uint8Array): Frame[] {
    if (this.failed || chunk.length === 0) return [];
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.length;
    if (this.buffered < this.need) return [];
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const frames: Frame[] = [];
    let at = 0;
    for (;;) {
      const len = decodeLength(buf, at);
      if (!len.ok) {
        if ('error' in len) return this.fail(frames, len.error);
        this.need = buf.length - at + len.need;
        break;
      }
      if (len.length > this.maxWordBytes) return this.fail(frames, `word of ${len.length} bytes exceeds the ${this.maxWordBytes}-byte limit`);
      if (len.length === 0) {
        at += 1;
        frames.push({ ok: true, words: this.words });
        this.words = [];
        continue;
      }
      const end = at + len.size + len.length;
      if (end > buf.length) {
        this.need = end - at;
        break;
      }
      if (this.words.length >= this.maxWords) return this.fail(frames, `sentence has more than ${this.maxWords} words`);
      this.words.push(buf.toString('utf8', at + len.size, end));
      at = end;
    }
    const rest = buf.subarray(at);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    if (rest.length === 0) this.need = 1;
    return frames;
  }

  private fail(frames: Frame[], error: string): Frame[] {
    this.failed = true;
    this.chunks = [];
    this.buffered = 0;
    this.words = [];
    frames.push({ ok: false, error });
    return frames;
  }
}

export type ReplyType = '!re' | '!done' | '!trap' | '!fatal' | '!empty';

export interface Reply {
  /** The reply word as received; unknown words are kept so the caller can skip them. */
  type: ReplyType | (string & {});
  tag: string | undefined;
  attributes: Record<string, string>;
  /** Words that are neither attributes nor the tag (a `!fatal`'s reason). */
  other: string[];
}

/** Splits a received sentence into its reply word, `.tag`, `=name=value` attributes and the rest. */
export function parseReply(words: readonly string[]): Reply {
  const attributes: Record<string, string> = {};
  const other: string[] = [];
  let tag: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('=')) {
      const eq = w.indexOf('=', 1);
      if (eq === -1) attributes[w.slice(1)] = '';
      else attributes[w.slice(1, eq)] = w.slice(eq + 1);
    } else if (w.startsWith('.tag=')) {
      tag = w.slice(5);
    } else {
      other.push(w);
    }
  }
  return { type: words[0] ?? '', tag, attributes, other };
}

/** The words of a command: its path, `=name=value` attributes, `?query` words and its `.tag`. */
export function commandWords(path: string, attributes: Record<string, string> = {}, queries: readonly string[] = [], tag?: string): string[] {
  const words = [path];
  for (const [name, value] of Object.entries(attributes)) words.push(`=${name}=${value}`);
  for (const q of queries) words.push(q.startsWith('?') ? q : `?${q}`);
  if (tag !== undefined) words.push(`.tag=${tag}`);
  return words;
}
