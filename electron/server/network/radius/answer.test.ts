import { describe, expect, it } from 'vitest';
import { decide, expectedPassword, normaliseMac, rateLimitOf, type HotspotLogin, type ServiceLogin } from './answer';

const plan = { downloadKbps: 50_000, uploadKbps: 10_000, burstDownloadKbps: null, burstUploadKbps: null, burstThresholdPercent: null, burstTimeSeconds: null, priority: null };
const service = (over: Partial<ServiceLogin> = {}): ServiceLogin => ({
  kind: 'service', serviceId: 1, password: 'pw', serviceStatus: 'Active', subscriptionStatus: 'Active', routerId: 1, permanentIp: null, pool: null, plan, ...over,
});
const hotspot = (over: Partial<HotspotLogin> = {}): HotspotLogin => ({
  kind: 'hotspot', hotspotUserId: 1, password: 'pw', status: 'Active', subscriptionStatus: 'Active', macBinding: null, firstUsedAt: null, validityDays: 1,
  timeLimitMinutes: 60, dataLimitMb: null, downloadKbps: 10_000, uploadKbps: 1_500, usedSeconds: 0, usedBytes: 0, ...over,
});
const now = new Date('2026-12-01T12:00:00Z');
const opts = { suspendedAnswer: 'address-list' as const, now, nasRouterId: 1 };

describe('what the RADIUS server answers', () => {
  it('writes rate limits as RouterOS does: upload/download as the router sees them, M for whole megabits', () => {
    expect(rateLimitOf(plan)).toBe('10M/50M');
    expect(rateLimitOf({ ...plan, uploadKbps: 1_500 })).toBe('1500k/50M');
    expect(rateLimitOf({ ...plan, burstDownloadKbps: 80_000, burstUploadKbps: 20_000, burstThresholdPercent: 80, burstTimeSeconds: 10, priority: 5 })).toBe('10M/50M 20M/80M 8M/40M 10/10 5');
    expect(rateLimitOf({ ...plan, priority: 3 })).toBe('10M/50M 0/0 0/0 0/0 3');
    expect(rateLimitOf({ ...plan, downloadKbps: null })).toBeNull();
  });

  it('gives a served login its permanent address, or its pool, and its speed', () => {
    expect(decide(service({ permanentIp: '100.64.0.9', pool: 'towerline-pool-3' }), opts)).toEqual({ accept: true, attributes: [['Framed-IP-Address', '100.64.0.9'], ['Mikrotik-Rate-Limit', '10M/50M']] });
    expect(decide(service({ pool: 'towerline-pool-3' }), opts)).toEqual({ accept: true, attributes: [['Framed-Pool', 'towerline-pool-3'], ['Mikrotik-Rate-Limit', '10M/50M']] });
  });

  it('follows the serving rule: suspended to the address list or rejected, stopped and disabled rejected, another router\'s login rejected', () => {
    const suspended = service({ subscriptionStatus: 'Suspended' });
    expect(decide(suspended, opts)).toEqual({ accept: true, attributes: [['Mikrotik-Address-List', 'towerline-suspended'], ['Mikrotik-Rate-Limit', '10M/50M']] });
    expect(decide(suspended, { ...opts, suspendedAnswer: 'reject' }).accept).toBe(false);
    for (const serviceStatus of ['Stopped', 'Disabled', 'Pending', 'Archived'] as const) expect(decide(service({ serviceStatus }), opts).accept).toBe(false);
    for (const subscriptionStatus of ['Inactive', 'Cancelled', 'Completed'] as const) expect(decide(service({ subscriptionStatus }), opts).accept).toBe(false);
    expect(decide(service({ routerId: 2 }), opts).accept).toBe(false);
  });

  it('counts a hotspot user\'s time across sessions and its validity from first use', () => {
    expect(decide(hotspot(), opts)).toEqual({ accept: true, attributes: [['Session-Timeout', 3600], ['Mikrotik-Rate-Limit', '1500k/10M']] });
    expect(decide(hotspot({ usedSeconds: 3000 }), opts)).toMatchObject({ attributes: [['Session-Timeout', 600], expect.anything()] });
    expect(decide(hotspot({ usedSeconds: 3600 }), opts)).toEqual({ accept: false, reason: 'Time used up' });
    // First used 23.5 hours ago with one day's validity: half an hour left, less than the time limit.
    expect(decide(hotspot({ firstUsedAt: '2026-11-30T12:30:00.000Z' }), opts)).toMatchObject({ attributes: [['Session-Timeout', 1800], expect.anything()] });
    expect(decide(hotspot({ firstUsedAt: '2026-11-30T11:00:00.000Z' }), opts)).toEqual({ accept: false, reason: 'Validity ended' });
    expect(decide(hotspot({ status: 'Expired' }), opts).accept).toBe(false);
    expect(decide(hotspot({ subscriptionStatus: 'Suspended' }), opts).accept).toBe(false);
  });

  it('gives a data limit as Mikrotik-Total-Limit with gigawords, less what was used (MB of 1,048,576 bytes)', () => {
    // No time limit: the session still ends with the validity a first login starts (one day).
    const d = decide(hotspot({ timeLimitMinutes: null, dataLimitMb: 5_000, usedBytes: 1_000_000_000 }), opts);
    expect(d).toEqual({ accept: true, attributes: [['Session-Timeout', 86_400], ['Mikrotik-Total-Limit', 5_000 * 1_048_576 - 1_000_000_000], ['Mikrotik-Rate-Limit', '1500k/10M']] });
    const big = decide(hotspot({ timeLimitMinutes: null, dataLimitMb: 10_000 }), opts);
    expect(big).toEqual({ accept: true, attributes: [['Session-Timeout', 86_400], ['Mikrotik-Total-Limit', (10_000 * 1_048_576) % 2 ** 32], ['Mikrotik-Total-Limit-Gigawords', 2], ['Mikrotik-Rate-Limit', '1500k/10M']] });
    expect(decide(hotspot({ dataLimitMb: 100, usedBytes: 100 * 1_048_576 }), opts)).toEqual({ accept: false, reason: 'Data used up' });
  });

  it('follows the one status rule: a disabled or expired user is refused whatever is left', () => {
    expect(decide(hotspot({ status: 'Disabled' }), opts)).toEqual({ accept: false, reason: 'Hotspot user Disabled' });
    expect(decide(hotspot({ status: 'Expired' }), opts)).toEqual({ accept: false, reason: 'Marked expired' });
  });

  it('asks a voucher without a password for its own code, and anyone else for their password', () => {
    expect(expectedPassword(hotspot({ password: null }), 'K7QX2M9A')).toBe('K7QX2M9A');
    expect(expectedPassword(hotspot({ password: 'pw' }), 'guest')).toBe('pw');
    expect(expectedPassword(service({ password: null }), 'alice')).toBeNull();
  });

  it('holds a MAC-bound user to its device, however the NAS writes the MAC', () => {
    const bound = hotspot({ macBinding: 'A4:83:E7:00:00:01' });
    expect(decide(bound, { ...opts, callingStationId: 'a4-83-e7-00-00-01' }).accept).toBe(true);
    expect(decide(bound, { ...opts, callingStationId: 'A4:83:E7:00:00:02' }).accept).toBe(false);
    expect(decide(bound, opts).accept).toBe(false);
    expect(normaliseMac('a483.e700.0001')).toBe('A483E7000001');
  });
});
