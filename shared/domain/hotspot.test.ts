import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYTES_PER_MB, type VoucherFacts, formatBytes, formatHotspotLimits, formatMegabytes, formatMinutes, formatSecondsLeft, sessionSecondsLeft, voucherState } from './hotspot';

const dayPass: VoucherFacts = { status: 'Active', voidedAt: null, firstUsedAt: null, validityDays: 1, timeLimitMinutes: 1440, dataLimitMb: 2048, usedSeconds: 0, usedBytes: 0 };
const at = (iso: string) => new Date(iso);

describe('the voucher status rule', () => {
  it('keeps an unused voucher Active with its whole limits left and no expiry yet', () => {
    expect(voucherState(dayPass, at('2026-06-01T12:00:00Z'))).toEqual({ status: 'Active', reason: null, expiresAt: null, timeLeftSeconds: 86_400, dataLeftBytes: 2048 * BYTES_PER_MB });
  });

  it('counts validity from first use: Active until the instant it ends, Expired from then on', () => {
    const used = { ...dayPass, firstUsedAt: '2026-06-01T15:00:00.000Z' };
    expect(voucherState(used, at('2026-06-02T14:59:59Z'))).toMatchObject({ status: 'Active', expiresAt: '2026-06-02T15:00:00.000Z' });
    expect(voucherState(used, at('2026-06-02T15:00:00Z'))).toMatchObject({ status: 'Expired', reason: 'Validity ended' });
  });

  it('expires when the time used across sessions reaches the limit', () => {
    const f = { ...dayPass, timeLimitMinutes: 60, firstUsedAt: '2026-06-01T15:00:00.000Z' };
    expect(voucherState({ ...f, usedSeconds: 3599 }, at('2026-06-01T18:00:00Z'))).toMatchObject({ status: 'Active', timeLeftSeconds: 1 });
    expect(voucherState({ ...f, usedSeconds: 3600 }, at('2026-06-01T18:00:00Z'))).toMatchObject({ status: 'Expired', reason: 'Time used up', timeLeftSeconds: 0 });
  });

  it('expires when download plus upload reaches the data limit', () => {
    const f = { ...dayPass, dataLimitMb: 500, firstUsedAt: '2026-06-01T15:00:00.000Z' };
    expect(voucherState({ ...f, usedBytes: 500 * BYTES_PER_MB - 1 }, at('2026-06-01T16:00:00Z'))).toMatchObject({ status: 'Active', dataLeftBytes: 1 });
    expect(voucherState({ ...f, usedBytes: 500 * BYTES_PER_MB }, at('2026-06-01T16:00:00Z'))).toMatchObject({ status: 'Expired', reason: 'Data used up' });
  });

  it('lets voiding win over everything, then staff disabling, then a stored expiry', () => {
    const now = at('2026-06-01T16:00:00Z');
    expect(voucherState({ ...dayPass, status: 'Disabled', voidedAt: '2026-06-01T10:00:00Z' }, now).status).toBe('Voided');
    expect(voucherState({ ...dayPass, status: 'Disabled', usedSeconds: 999_999 }, now).status).toBe('Disabled');
    expect(voucherState({ ...dayPass, status: 'Expired' }, now)).toMatchObject({ status: 'Expired', reason: 'Marked expired' });
  });

  it('gives two vouchers with the same plan, first use and usage the same status (property)', () => {
    const facts = fc.record({
      firstUsedAt: fc.option(fc.integer({ min: 0, max: 60 * 86_400 }).map((s) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString()), { nil: null }),
      validityDays: fc.integer({ min: 1, max: 120 }),
      timeLimitMinutes: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
      dataLimitMb: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
      usedSeconds: fc.nat(1_000_000),
      usedBytes: fc.nat(Number.MAX_SAFE_INTEGER),
    });
    fc.assert(
      fc.property(facts, fc.integer({ min: 0, max: 120 * 86_400 }), (f, offset) => {
        const now = new Date(Date.UTC(2026, 0, 1) + offset * 1000);
        const a = voucherState({ ...f, status: 'Active', voidedAt: null }, now);
        const b = voucherState({ ...f, status: 'Active', voidedAt: null }, new Date(now.getTime()));
        expect(b).toEqual(a);
        // Active exactly when nothing is used up and validity has not ended.
        const validityOver = f.firstUsedAt !== null && now.getTime() >= Date.parse(f.firstUsedAt) + f.validityDays * 86_400_000;
        const used = (f.timeLimitMinutes !== null && f.usedSeconds >= f.timeLimitMinutes * 60) || (f.dataLimitMb !== null && f.usedBytes >= f.dataLimitMb * BYTES_PER_MB);
        expect(a.status === 'Active').toBe(!validityOver && !used);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the session timeout a login gets', () => {
  it('is the time left when that ends before validity', () => {
    const f = { ...dayPass, timeLimitMinutes: 60, usedSeconds: 600, firstUsedAt: '2026-06-01T15:00:00.000Z' };
    expect(sessionSecondsLeft(f, at('2026-06-01T16:00:00Z'))).toBe(3000);
  });

  it('stops at the end of validity, counted from now on a first login', () => {
    expect(sessionSecondsLeft({ ...dayPass, timeLimitMinutes: null }, at('2026-06-01T16:00:00Z'))).toBe(86_400);
    const used = { ...dayPass, timeLimitMinutes: 1440, firstUsedAt: '2026-06-01T15:00:00.000Z' };
    expect(sessionSecondsLeft(used, at('2026-06-02T14:00:00Z'))).toBe(3600);
  });
});

describe('how hotspot limits read', () => {
  it('reads a day pass the same way everywhere: 24 h and 2 GB, not 1,440 min and 2,048 MB', () => {
    expect(formatHotspotLimits({ timeLimitMinutes: 1440, dataLimitMb: 2048, validityDays: 1 })).toBe('24 h · 2 GB · valid 1 day');
  });

  it('writes minutes as minutes, hours and days', () => {
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(1440)).toBe('24 h');
    expect(formatMinutes(4320)).toBe('3 days');
    expect(formatSecondsLeft(59)).toBe('59 s');
    expect(formatSecondsLeft(3599)).toBe('59 min');
  });

  it('writes data in MB below a GB and in GB from there', () => {
    expect(formatMegabytes(500)).toBe('500 MB');
    expect(formatMegabytes(1536)).toBe('1.5 GB');
    expect(formatMegabytes(10_240)).toBe('10 GB');
    expect(formatBytes(2048 * BYTES_PER_MB)).toBe('2 GB');
    expect(formatBytes(512 * 1024)).toBe('512 KB');
  });

  it('says unlimited where the plan sets no limit', () => {
    expect(formatHotspotLimits({ timeLimitMinutes: null, dataLimitMb: null, validityDays: 120 })).toBe('unlimited time · unlimited data · valid 120 days');
  });
});
