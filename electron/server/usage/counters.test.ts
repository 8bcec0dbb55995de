import { describe, expect, it } from 'vitest';
import { advance, counterDelta, daysBetween, monthOf, rollup, WRAP } from './counters';

describe('counterDelta', () => {
  it('counts what a counter grew by', () => {
    expect(counterDelta(1_000, 1_500)).toBe(500);
    expect(counterDelta(7, 7)).toBe(0);
  });

  it('counts across a 32-bit wrap: 4,294,967,000 then 200 is 296 + 200 bytes', () => {
    expect(counterDelta(4_294_967_000, 200)).toBe(496);
    expect(counterDelta(WRAP - 1, 0)).toBe(1);
  });

  it('takes a 64-bit counter that went down as reset: everything it holds now is new', () => {
    expect(counterDelta(3 * WRAP + 10, 50)).toBe(50);
  });
});

describe('advance', () => {
  const at = (sessionSeconds: number, input: number, output: number) => ({ sessionSeconds, input, output });

  it('counts a session\'s first report in full', () => {
    expect(advance(null, at(300, 1_000, 9_000))).toEqual({ next: at(300, 1_000, 9_000), uploadBytes: 1_000, downloadBytes: 9_000, seconds: 300 });
  });

  it('counts only what a later report adds', () => {
    expect(advance(at(300, 1_000, 9_000), at(600, 1_500, 20_000))).toEqual({ next: at(600, 1_500, 20_000), uploadBytes: 500, downloadBytes: 11_000, seconds: 300 });
  });

  it('counts nothing for a duplicate and keeps the counters', () => {
    expect(advance(at(600, 1_500, 20_000), at(600, 1_500, 20_000))).toEqual({ next: at(600, 1_500, 20_000), uploadBytes: 0, downloadBytes: 0, seconds: 0 });
  });

  it('counts nothing for an older report arriving late, and does not wind the counters back', () => {
    expect(advance(at(600, 1_500, 20_000), at(300, 1_000, 9_000))).toEqual({ next: at(600, 1_500, 20_000), uploadBytes: 0, downloadBytes: 0, seconds: 0 });
  });

  it('counts growth within the same second (Start, then an Interim-Update at once)', () => {
    expect(advance(at(0, 0, 0), at(0, 40, 90))).toEqual({ next: at(0, 40, 90), uploadBytes: 40, downloadBytes: 90, seconds: 0 });
  });

  it('reads Gigawords: from 1 × 2^32 + 10 to 2 × 2^32 + 5 is 4,294,967,291 bytes', () => {
    expect(advance(at(60, 0, WRAP + 10), at(120, 0, 2 * WRAP + 5)).downloadBytes).toBe(4_294_967_291);
  });

  it('counts a 32-bit wrap in a newer report', () => {
    expect(advance(at(60, 4_000_000_000, 0), at(120, 100, 0)).uploadBytes).toBe(WRAP - 4_000_000_000 + 100);
  });
});

describe('rollup', () => {
  it('sums per service and UTC hour or day', () => {
    const deltas = [
      { serviceId: 1, at: '2026-03-01T10:05:00.000Z', downloadBytes: 10, uploadBytes: 1 },
      { serviceId: 1, at: '2026-03-01T10:55:00.000Z', downloadBytes: 20, uploadBytes: 2 },
      { serviceId: 1, at: '2026-03-01T23:59:59.999Z', downloadBytes: 5, uploadBytes: 0 },
      { serviceId: 2, at: '2026-03-01T10:30:00.000Z', downloadBytes: 7, uploadBytes: 7 },
      { serviceId: 1, at: '2026-03-02T00:00:00.000Z', downloadBytes: 1, uploadBytes: 1 },
    ];
    expect(rollup(deltas, 'hour')).toEqual([
      { serviceId: 1, key: '2026-03-01T10', downloadBytes: 30, uploadBytes: 3 },
      { serviceId: 1, key: '2026-03-01T23', downloadBytes: 5, uploadBytes: 0 },
      { serviceId: 2, key: '2026-03-01T10', downloadBytes: 7, uploadBytes: 7 },
      { serviceId: 1, key: '2026-03-02T00', downloadBytes: 1, uploadBytes: 1 },
    ]);
    expect(rollup(deltas, 'day')).toEqual([
      { serviceId: 1, key: '2026-03-01', downloadBytes: 35, uploadBytes: 3 },
      { serviceId: 2, key: '2026-03-01', downloadBytes: 7, uploadBytes: 7 },
      { serviceId: 1, key: '2026-03-02', downloadBytes: 1, uploadBytes: 1 },
    ]);
  });
});

describe('calendar helpers', () => {
  it('lists the days of a range across a month end, and a leap February', () => {
    expect(daysBetween('2024-02-27', '2024-03-01')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysBetween('2024-03-02', '2024-03-01')).toEqual([]);
    expect(monthOf('2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthOf('2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});
