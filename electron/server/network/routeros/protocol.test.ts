import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandWords, decodeLength, encodeLength, encodeSentence, type Frame, parseReply, SentenceFramer } from './protocol';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Feeds `bytes` to a fresh framer in the given chunks and returns every frame. */
function frameChunks(chunks: readonly Uint8Array[]): Frame[] {
  const framer = new SentenceFramer();
  return chunks.flatMap((c) => framer.push(c));
}

describe('word lengths', () => {
  // Each boundary on both sides, with the bytes RouterOS expects.
  const cases: [number, string][] = [
    [0, '00'],
    [1, '01'],
    [0x7f, '7f'],
    [0x80, '8080'],
    [0x3fff, 'bfff'],
    [0x4000, 'c04000'],
    [0x1fffff, 'dfffff'],
    [0x200000, 'e0200000'],
    [0xfffffff, 'efffffff'],
    [0x10000000, 'f010000000'],
    [0xffffffff, 'f0ffffffff'],
  ];

  it.each(cases)('encodes %i as %s and decodes it back', (length, expected) => {
    const bytes = encodeLength(length);
    expect(hex(bytes)).toBe(expected);
    expect(decodeLength(bytes)).toEqual({ ok: true, length, size: bytes.length });
  });

  it.each(cases)('asks for the missing bytes of a cut-off prefix for %i', (length) => {
    const bytes = encodeLength(length);
    expect(decodeLength(Buffer.alloc(0))).toEqual({ ok: false, need: 1 });
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(decodeLength(bytes.subarray(0, cut))).toEqual({ ok: false, need: bytes.length - cut });
    }
  });

  it('decodes a prefix in the middle of a buffer', () => {
    const bytes = Buffer.concat([Buffer.from([1, 2, 3]), encodeLength(0x4000)]);
    expect(decodeLength(bytes, 3)).toEqual({ ok: true, length: 0x4000, size: 3 });
  });

  it('refuses control and invalid first bytes as values, not exceptions', () => {
    for (let b = 0xf1; b <= 0xff; b++) {
      const result = decodeLength(Buffer.from([b, 0, 0, 0, 0]));
      expect(result.ok).toBe(false);
      expect(result).toHaveProperty('error');
    }
  });

  it('refuses lengths no prefix can carry', () => {
    expect(() => encodeLength(-1)).toThrow(RangeError);
    expect(() => encodeLength(0x100000000)).toThrow(RangeError);
    expect(() => encodeLength(1.5)).toThrow(RangeError);
  });

  it('round-trips every length near every boundary and a random sample between', () => {
    const lengths = new Set<number>();
    for (const b of [0x80, 0x4000, 0x200000, 0x10000000]) for (let d = -3; d <= 3; d++) lengths.add(b + d);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const bytes = encodeLength(n);
        expect(decodeLength(bytes)).toEqual({ ok: true, length: n, size: bytes.length });
      }),
      { numRuns: 2000 },
    );
    for (const n of lengths) expect(decodeLength(encodeLength(n))).toMatchObject({ ok: true, length: n });
  });
});

describe('sentences', () => {
  it('encodes each word behind its length and ends with the empty word', () => {
    expect(hex(encodeSentence(['/login', '=name=admin']))).toBe(
      '06' + Buffer.from('/login').toString('hex') + '0b' + Buffer.from('=name=admin').toString('hex') + '00',
    );
  });

  it('counts a word in UTF-8 bytes, not characters', () => {
    const bytes = encodeSentence(['=comment=Zoë']);
    expect(bytes[0]).toBe(Buffer.byteLength('=comment=Zoë'));
    expect(frameChunks([bytes])).toEqual([{ ok: true, words: ['=comment=Zoë'] }]);
  });

  it('refuses an empty word, which would end the sentence early', () => {
    expect(() => encodeSentence(['/print', ''])).toThrow(RangeError);
  });

  it.each([0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000])('frames a word of %i bytes', (size) => {
    const word = '=x=' + 'a'.repeat(size - 3);
    const bytes = encodeSentence(['!re', word]);
    expect(frameChunks([bytes])).toEqual([{ ok: true, words: ['!re', word] }]);
  });

  it('builds command words with attributes, queries and the tag last', () => {
    expect(commandWords('/ppp/secret/print', { '.proplist': '.id,name' }, ['?name=a', '?disabled=false'], '7')).toEqual([
      '/ppp/secret/print',
      '=.proplist=.id,name',
      '?name=a',
      '?disabled=false',
      '.tag=7',
    ]);
    expect(commandWords('/x', {}, ['name=a'])).toEqual(['/x', '?name=a']);
  });

  it('splits a reply into its type, tag, attributes and other words', () => {
    expect(parseReply(['!re', '=.id=*1A', '=comment=a=b=c', '=empty=', '.tag=4'])).toEqual({
      type: '!re',
      tag: '4',
      attributes: { '.id': '*1A', comment: 'a=b=c', empty: '' },
      other: [],
    });
    expect(parseReply(['!fatal', 'session terminated on request'])).toEqual({
      type: '!fatal',
      tag: undefined,
      attributes: {},
      other: ['session terminated on request'],
    });
    expect(parseReply([]).type).toBe('');
  });
});

/** A realistic reply stream: rows (one with a 2-byte length word), `!empty`, a trap, tags. */
const replyStream = Buffer.concat([
  encodeSentence(['!re', '=.id=*1', '=name=alice', `=comment=${'c'.repeat(120)}`, '.tag=1']),
  encodeSentence(['!re', '=.id=*2', '=name=bob', '=disabled=false', '.tag=1']),
  encodeSentence(['!done', '.tag=1']),
  encodeSentence(['!empty', '.tag=2']),
  encodeSentence(['!done', '.tag=2']),
  encodeSentence(['!trap', '=message=failure: already have such entry', '.tag=3']),
  encodeSentence(['!done', '=ret=*3', '.tag=3']),
]);
const expected = frameChunks([replyStream]);

describe('the framer', () => {
  it('yields every sentence of a reply delivered at once', () => {
    expect(expected).toHaveLength(7);
    expect(expected.every((f) => f.ok)).toBe(true);
    expect(expected[0]).toEqual({ ok: true, words: ['!re', '=.id=*1', '=name=alice', `=comment=${'c'.repeat(120)}`, '.tag=1'] });
  });

  it('yields the same sentences under every split into two chunks', () => {
    for (let i = 0; i <= replyStream.length; i++) {
      expect(frameChunks([replyStream.subarray(0, i), replyStream.subarray(i)])).toEqual(expected);
    }
  });

  it('yields the same sentences under every split into three chunks', () => {
    const want = JSON.stringify(expected);
    let splits = 0;
    for (let i = 0; i <= replyStream.length; i++) {
      for (let j = i; j <= replyStream.length; j++) {
        const frames = frameChunks([replyStream.subarray(0, i), replyStream.subarray(i, j), replyStream.subarray(j)]);
        // Compared as text: a deep expect per split would dominate the run time.
        if (JSON.stringify(frames) !== want) expect({ i, j, frames }).toEqual({ i, j, frames: expected });
        splits++;
      }
    }
    expect(splits).toBe(((replyStream.length + 1) * (replyStream.length + 2)) / 2);
  });

  it('yields the same sentences fed byte by byte, each as soon as its final byte arrives', () => {
    const framer = new SentenceFramer();
    const frames: Frame[] = [];
    const ends: number[] = [];
    for (let i = 0; i < replyStream.length; i++) {
      const got = framer.push(replyStream.subarray(i, i + 1));
      if (got.length > 0) ends.push(i);
      frames.push(...got);
    }
    expect(frames).toEqual(expected);
    // A sentence is complete on its terminating zero byte, not one read later.
    expect(ends[ends.length - 1]).toBe(replyStream.length - 1);
  });

  it('turns a stream that is out of step into one error value and then stays silent', () => {
    const framer = new SentenceFramer();
    const frames = framer.push(Buffer.concat([encodeSentence(['!done']), Buffer.from([0xf8, 1, 2])]));
    expect(frames).toEqual([{ ok: true, words: ['!done'] }, { ok: false, error: 'invalid word length byte 0xf8' }]);
    expect(framer.broken).toBe(true);
    expect(framer.push(encodeSentence(['!done']))).toEqual([]);
  });

  it('refuses a word larger than its limit before buffering it', () => {
    const framer = new SentenceFramer({ maxWordBytes: 1000 });
    expect(framer.push(encodeLength(1001))).toEqual([{ ok: false, error: 'word of 1001 bytes exceeds the 1000-byte limit' }]);
    // The default limit turns away the 4- and 5-byte forms' largest lengths without allocating them.
    expect(frameChunks([encodeLength(0xfffffff)])[0]).toMatchObject({ ok: false });
    expect(frameChunks([encodeLength(0x10000000)])[0]).toMatchObject({ ok: false });
  });

  it('refuses a sentence with too many words', () => {
    const framer = new SentenceFramer({ maxWords: 3 });
    expect(framer.push(encodeSentence(['a', 'b', 'c', 'd']))).toEqual([{ ok: false, error: 'sentence has more than 3 words' }]);
  });

  it('round-trips random sentences under random chunking', () => {
    const word = fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' });
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), (sentences, cuts) => {
        const bytes = Buffer.concat(sentences.map((s) => encodeSentence(s)));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const p of points) {
          chunks.push(bytes.subarray(from, p));
          from = p;
        }
        chunks.push(bytes.subarray(from));
        expect(frameChunks(chunks)).toEqual(sentences.map((words) => ({ ok: true, words })));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on 100,000 random and mutated inputs, and keeps errors as values', () => {
    let seed = 0x5eed1e55;
    const random = () => {
      // mulberry32: a fixed seed keeps any failure reproducible.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n: number) => Math.floor(random() * n);
    let errors = 0;
    let sentences = 0;
    for (let run = 0; run < 100_000; run++) {
      let bytes: Buffer;
      if (run % 2 === 0) {
        bytes = Buffer.alloc(int(64));
        for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
      } else {
        bytes = Buffer.from(replyStream.subarray(int(replyStream.length), replyStream.length));
        for (let m = 1 + int(4); m > 0; m--) {
          const at = int(bytes.length + 1);
          const op = int(4);
          if (op === 0 && bytes.length > 0) bytes[at % bytes.length] = int(256);
          else if (op === 1) bytes = bytes.subarray(0, at);
          else if (op === 2) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([[0x80, 0xc0, 0xe0, 0xf0, 0xff, 0][int(6)]!]), bytes.subarray(at)]);
          else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(int(bytes.length + 1))]);
        }
      }
      const framer = new SentenceFramer({ maxWordBytes: 1 << 20 });
      let at = 0;
      let failed = false;
      while (at < bytes.length) {
        const size = 1 + int(16);
        for (const frame of framer.push(bytes.subarray(at, at + size))) {
          if (failed) throw new Error(`a frame after the error, run ${run}`);
          if (frame.ok) sentences++;
          else {
            errors++;
            failed = true;
          }
        }
        at += size;
      }
    }
    // The corpus really exercised both paths.
    expect(errors).toBeGreaterThan(10_000);
    expect(sentences).toBeGreaterThan(10_000);
  });
});
