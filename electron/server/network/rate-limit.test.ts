import { describe, expect, it } from 'vitest';
import { formatRate, queueLimits, rateLimit, throttleRateLimit } from './rate-limit';
import { normalizeValue } from './routeros-values';

const plan = { downloadKbps: 50_000, uploadKbps: 10_000, burstDownloadKbps: null, burstUploadKbps: null, burstThresholdPercent: null, burstTimeSeconds: null, priority: null };

describe('RouterOS rate-limit syntax', () => {
  it('writes whole megabits as M and the rest as k', () => {
    expect(formatRate(10_000)).toBe('10M');
    expect(formatRate(1_500)).toBe('1500k');
    expect(formatRate(512)).toBe('512k');
    expect(formatRate(1_000_000)).toBe('1G');
  });

  it('puts upload first: rx/tx as the router sees them', () => {
    expect(rateLimit(plan)).toBe('10M/50M');
  });

  it('writes burst rate, threshold (percent of the plan\'s own rate), time and priority', () => {
    // 10M up at 80% = 8M; 50M down at 80% = 40M: below max-limit, so a burst can end.
    expect(rateLimit({ ...plan, burstDownloadKbps: 100_000, burstUploadKbps: 20_000, burstThresholdPercent: 80, burstTimeSeconds: 16, priority: null })).toBe('10M/50M 20M/100M 8M/40M 16/16');
    expect(rateLimit({ ...plan, burstDownloadKbps: 100_000, burstUploadKbps: 20_000, burstThresholdPercent: 80, burstTimeSeconds: 16, priority: 3 })).toBe('10M/50M 20M/100M 8M/40M 16/16 3');
  });

  it('places a priority after zero bursts when the plan has no burst', () => {
    expect(rateLimit({ ...plan, priority: 2 })).toBe('10M/50M 0/0 0/0 0/0 2');
  });

  it('fills a blank burst threshold and time with 75% and 16 s', () => {
    expect(rateLimit({ ...plan, burstDownloadKbps: 100_000, burstUploadKbps: 20_000 })).toBe('10M/50M 20M/100M 7500k/37500k 16/16');
  });

  it('writes thresholds that are not whole megabits in k', () => {
    // 2,000k × 75% = 1,500k; 12,000k × 75% = 9,000k = 9M.
    expect(rateLimit({ ...plan, downloadKbps: 12_000, uploadKbps: 2_000, burstDownloadKbps: 15_000, burstUploadKbps: 3_000, burstThresholdPercent: 75, burstTimeSeconds: 8, priority: null })).toBe('2M/12M 3M/15M 1500k/9M 8/8');
  });

  it('is empty for a plan without speeds', () => {
    expect(rateLimit({ ...plan, downloadKbps: null })).toBe('');
    expect(queueLimits({ ...plan, uploadKbps: null })).toBeNull();
  });

  it('gives simple queues the same pairs with per-direction priority', () => {
    expect(queueLimits({ ...plan, burstDownloadKbps: 100_000, burstUploadKbps: 20_000, burstThresholdPercent: 80, burstTimeSeconds: 16, priority: 5 })).toEqual({
      maxLimit: '10M/50M',
      burstLimit: '20M/100M',
      burstThreshold: '8M/40M',
      burstTime: '16/16',
      priority: '5/5',
    });
  });
});

describe('values compared the way RouterOS means them', () => {
  it('reads rates in any unit as the same rate', () => {
    expect(normalizeValue('rates', '10M/50M')).toBe(normalizeValue('rates', '10000k/50000000'));
    expect(normalizeValue('rates', '10M/50M 20M/100M 8M/40M 16/16')).toBe(normalizeValue('rates', '10000k/50M 20M/100M 8000k/40M 16s/16s'));
    expect(normalizeValue('rates', '10M/50M')).not.toBe(normalizeValue('rates', '10M/40M'));
  });

  it('reads durations in any form as seconds', () => {
    expect(normalizeValue('duration', '1h')).toBe('3600');
    expect(normalizeValue('duration', '01:00:00')).toBe('3600');
    expect(normalizeValue('duration', '3600s')).toBe('3600');
    expect(normalizeValue('duration', '1d2h3m4s')).toBe(String(86400 + 7200 + 180 + 4));
    expect(normalizeValue('duration', '1w00:00:01')).toBe(String(604801));
    expect(normalizeValue('duration', '0s')).toBe('');
  });

  it('reads yes/true and no/false/absent alike', () => {
    expect(normalizeValue('bool', 'yes')).toBe('true');
    expect(normalizeValue('bool', 'true')).toBe('true');
    expect(normalizeValue('bool', 'no')).toBe('false');
    expect(normalizeValue('bool', undefined)).toBe('false');
  });

  it('reads a host address with or without /32, and MACs in either case', () => {
    expect(normalizeValue('address', '10.0.0.5/32')).toBe('10.0.0.5');
    expect(normalizeValue('address', '10.0.0.5/32,192.0.2.0/29')).toBe('10.0.0.5,192.0.2.0/29');
    expect(normalizeValue('mac', 'aa:bb:cc:dd:ee:0f')).toBe('AA:BB:CC:DD:EE:0F');
  });

  it('reads a zero limit as no limit', () => {
    expect(normalizeValue('integer', '0')).toBe('');
    expect(normalizeValue('integer', '1048576')).toBe('1048576');
  });
});

describe('the dunning throttle rate', () => {
  it('is written like a plan rate, upload/download, with bare numbers read as bits', () => {
    expect(throttleRateLimit('512k/1M')).toBe('512k/1M');
    expect(throttleRateLimit('1000k/2000k')).toBe('1M/2M');
    expect(throttleRateLimit('256000/1000000')).toBe('256k/1M');
    expect(throttleRateLimit(' 2M/10M ')).toBe('2M/10M');
  });
  it('is refused when it is not a rate pair or rounds to nothing', () => {
    expect(throttleRateLimit('fast')).toBeNull();
    expect(throttleRateLimit('1M')).toBeNull();
    expect(throttleRateLimit('100/100')).toBeNull();
  });
});
