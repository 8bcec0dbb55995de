import { describe, expect, it } from 'vitest';
import { type HotspotUserRow, type PlanSpeeds, type ServiceRow, desiredState, mikrotikRateLimit, planGroup } from './desired';
import { diffTable, rowsOf } from './diff';

const speeds = (over: Partial<PlanSpeeds> = {}): PlanSpeeds => ({
  downloadKbps: 25_000,
  uploadKbps: 5_000,
  burstDownloadKbps: null,
  burstUploadKbps: null,
  burstThresholdPercent: null,
  burstTimeSeconds: null,
  priority: null,
  qosMode: 'RADIUS rate limit',
  ...over,
});

const service = (over: Partial<ServiceRow> = {}): ServiceRow => ({
  serviceId: 1,
  login: 'alice',
  password: 'secret',
  subscriptionPassword: null,
  status: 'Active',
  subscriptionStatus: 'Active',
  ipv4Assignment: 'permanent',
  ipv4Address: '10.20.0.10',
  routedNetwork: null,
  plan: { id: 7, ...speeds() },
  ...over,
});

const hotspot = (over: Partial<HotspotUserRow> = {}): HotspotUserRow => ({
  id: 1,
  login: 'guest1',
  password: null,
  status: 'Active',
  subscriptionStatus: 'Active',
  macBinding: null,
  firstUsedAt: null,
  plan: { id: 3, timeLimitMinutes: 60, dataLimitMb: 5000, downloadKbps: 10_000, uploadKbps: 2_000, validityDays: 1 },
  ...over,
});

const state = (services: ServiceRow[], suspendedAction: 'reject' | 'address-list' = 'reject', hotspotUsers: HotspotUserRow[] = []) =>
  desiredState({ services, hotspotUsers, routers: [], suspendedAction });

describe('the MikroTik rate limit of a plan', () => {
  it('puts upload before download, as the router sees them (rx/tx)', () => {
    expect(mikrotikRateLimit(speeds())).toBe('5M/25M');
  });
  it('adds burst rates, thresholds from the percentage and the burst time', () => {
    expect(mikrotikRateLimit(speeds({ burstUploadKbps: 8000, burstDownloadKbps: 40_000, burstThresholdPercent: 80, burstTimeSeconds: 10 }))).toBe('5M/25M 8M/40M 4M/20M 10/10');
  });
  it('fills blank burst threshold and time with RouterOS-usable defaults', () => {
    expect(mikrotikRateLimit(speeds({ burstUploadKbps: 8000, burstDownloadKbps: 40_000 }))).toBe('5M/25M 8M/40M 3750k/18750k 16/16');
  });
  it('places a priority after zero bursts when the plan has no burst', () => {
    expect(mikrotikRateLimit(speeds({ priority: 2 }))).toBe('5M/25M 0/0 0/0 0/0 2');
  });
  it('limits nothing for a plan without speeds or with QoS mode None', () => {
    expect(mikrotikRateLimit(speeds({ downloadKbps: null, uploadKbps: null }))).toBeNull();
    expect(mikrotikRateLimit(speeds({ qosMode: 'None' }))).toBeNull();
  });
});

describe('what FreeRADIUS should hold', () => {
  it('gives a served login its password, permanent address, routed network and plan group', () => {
    const d = state([service({ routedNetwork: '10.99.0.0/29' })]);
    expect(d.state.radcheck).toEqual([{ name: 'alice', attribute: 'Cleartext-Password', op: ':=', value: 'secret' }]);
    expect(d.state.radreply).toEqual([
      { name: 'alice', attribute: 'Framed-IP-Address', op: ':=', value: '10.20.0.10' },
      { name: 'alice', attribute: 'Framed-Route', op: '+=', value: '10.99.0.0/29 0.0.0.0 1' },
    ]);
    expect(d.state.radusergroup).toEqual([{ username: 'alice', groupname: planGroup(7), priority: 1 }]);
    expect(d.state.radgroupreply).toEqual([{ name: planGroup(7), attribute: 'Mikrotik-Rate-Limit', op: ':=', value: '5M/25M' }]);
    expect(d.users).toBe(1);
  });

  it('falls back to the subscription password and reports a login with none', () => {
    const d = state([service({ password: null, subscriptionPassword: 'fromsub' }), service({ serviceId: 2, login: 'nopw', password: null })]);
    expect(d.state.radcheck).toEqual([{ name: 'alice', attribute: 'Cleartext-Password', op: ':=', value: 'fromsub' }]);
    expect(d.problems).toEqual([expect.stringContaining('"nopw"')]);
  });

  it('rejects a suspended subscriber when the setting says reject', () => {
    const d = state([service({ subscriptionStatus: 'Suspended' })], 'reject');
    expect(d.state.radcheck).toEqual([{ name: 'alice', attribute: 'Auth-Type', op: ':=', value: 'Reject' }]);
    expect(d.state.radreply).toEqual([]);
    expect(d.state.radusergroup).toEqual([]);
  });

  it('accepts a suspended subscriber into the towerline-suspended address list when the setting says so', () => {
    const d = state([service({ subscriptionStatus: 'Suspended' })], 'address-list');
    expect(d.state.radcheck[0]).toMatchObject({ attribute: 'Cleartext-Password' });
    expect(d.state.radreply).toContainEqual({ name: 'alice', attribute: 'Mikrotik-Address-List', op: ':=', value: 'towerline-suspended' });
  });

  it('rejects Stopped and Disabled services (a data cap\'s disable too) and Inactive subscriptions, whatever the suspended setting, as the built-in server does', () => {
    for (const over of [{ status: 'Stopped' as const }, { status: 'Disabled' as const }, { subscriptionStatus: 'Inactive' as const }]) {
      for (const setting of ['reject', 'address-list'] as const) {
        const d = state([service(over)], setting);
        expect(d.state.radcheck).toEqual([{ name: 'alice', attribute: 'Auth-Type', op: ':=', value: 'Reject' }]);
        expect(d.state.radreply).toEqual([]);
        expect(d.state.radusergroup).toEqual([]);
      }
    }
  });

  it('gives a throttled login the throttle rate as its own reply instead of its plan group', () => {
    const d = state([service({ throttleRate: '512k/1M' })]);
    expect(d.state.radcheck).toEqual([{ name: 'alice', attribute: 'Cleartext-Password', op: ':=', value: 'secret' }]);
    expect(d.state.radreply).toEqual([
      { name: 'alice', attribute: 'Framed-IP-Address', op: ':=', value: '10.20.0.10' },
      { name: 'alice', attribute: 'Mikrotik-Rate-Limit', op: ':=', value: '512k/1M' },
    ]);
    expect(d.state.radusergroup).toEqual([]);
    // A data cap's throttle, as the cap job writes it.
    expect(state([service({ throttleRate: '2M/10M' })]).state.radreply).toContainEqual({ name: 'alice', attribute: 'Mikrotik-Rate-Limit', op: ':=', value: '2M/10M' });
  });

  it('keeps the plan group for a throttled subscription that is suspended into the walled garden, and rejects it per setting', () => {
    const walled = state([service({ subscriptionStatus: 'Suspended', throttleRate: '512k/1M' })], 'address-list');
    expect(walled.state.radreply).toEqual([
      { name: 'alice', attribute: 'Framed-IP-Address', op: ':=', value: '10.20.0.10' },
      { name: 'alice', attribute: 'Mikrotik-Address-List', op: ':=', value: 'towerline-suspended' },
    ]);
    expect(walled.state.radusergroup).toEqual([{ username: 'alice', groupname: planGroup(7), priority: 1 }]);
    expect(state([service({ subscriptionStatus: 'Suspended', throttleRate: '512k/1M' })], 'reject').state.radcheck).toEqual([{ name: 'alice', attribute: 'Auth-Type', op: ':=', value: 'Reject' }]);
  });

  it('provisions nothing for Pending or Archived services and closed subscriptions', () => {
    for (const over of [{ status: 'Pending' as const }, { status: 'Archived' as const }, { subscriptionStatus: 'Cancelled' as const }, { subscriptionStatus: 'Completed' as const }]) {
      expect(state([service(over)]).users).toBe(0);
    }
  });

  it('provisions a login claimed twice once, preferring the served service, and says so', () => {
    const d = state([service({ serviceId: 1, status: 'Stopped' }), service({ serviceId: 2, password: 'served' })]);
    expect(d.state.radcheck).toEqual([{ name: 'alice', attribute: 'Cleartext-Password', op: ':=', value: 'served' }]);
    expect(d.problems).toEqual([expect.stringContaining('service #1')]);
  });

  it('gives hotspot users their plan limits, MAC binding and validity from first use', () => {
    const d = state([], 'reject', [hotspot({ macBinding: 'aa:bb:cc:dd:ee:ff', firstUsedAt: '2026-12-01T10:00:00.000Z' })]);
    expect(d.state.radcheck).toEqual([
      { name: 'guest1', attribute: 'Cleartext-Password', op: ':=', value: 'guest1' },
      { name: 'guest1', attribute: 'Calling-Station-Id', op: '==', value: 'AA:BB:CC:DD:EE:FF' },
      { name: 'guest1', attribute: 'Expiration', op: ':=', value: String(Date.parse('2026-12-02T10:00:00.000Z') / 1000) },
    ]);
    expect(d.state.radgroupreply).toEqual([
      { name: 'towerline-hotspot-3', attribute: 'Mikrotik-Rate-Limit', op: ':=', value: '2M/10M' },
      { name: 'towerline-hotspot-3', attribute: 'Session-Timeout', op: ':=', value: '3600' },
      { name: 'towerline-hotspot-3', attribute: 'Mikrotik-Total-Limit', op: ':=', value: String((5000 * 1_048_576) % 2 ** 32) },
      { name: 'towerline-hotspot-3', attribute: 'Mikrotik-Total-Limit-Gigawords', op: ':=', value: '1' },
    ]);
    expect(state([], 'reject', [hotspot({ status: 'Expired' })]).users).toBe(0);
  });

  it('lists each router with a RADIUS secret as a client, one per address', () => {
    const d = desiredState({
      services: [],
      hotspotUsers: [],
      suspendedAction: 'reject',
      routers: [
        { id: 1, name: 'Tower A', address: '10.0.0.1', radiusSecret: 's1' },
        { id: 2, name: 'No RADIUS', address: '10.0.0.2', radiusSecret: null },
        { id: 3, name: 'Tower A twin', address: '10.0.0.1', radiusSecret: 's3' },
      ],
    });
    expect(d.state.nas).toEqual([{ nasname: '10.0.0.1', shortname: 'Tower A', type: 'other', secret: 's1', description: 'Towerline router #1' }]);
    expect(d.problems).toEqual([expect.stringContaining('Tower A twin')]);
  });
});

describe('the least change to FreeRADIUS tables', () => {
  it('writes nothing when what Towerline owns matches', () => {
    const rows = rowsOf(state([service()]).state).radcheck;
    const owned = rows.map((r, i) => ({ ...r, id: i + 1 }));
    expect(diffTable('radcheck', rows, owned)).toEqual({ insert: [], update: [], delete: [], unchanged: 1 });
  });

  it('updates a changed value in place, inserts what is missing and deletes what is no longer wanted', () => {
    const desired = [
      { username: 'alice', attribute: 'Cleartext-Password', op: ':=', value: 'new' },
      { username: 'bob', attribute: 'Cleartext-Password', op: ':=', value: 'b' },
    ];
    const owned = [
      { id: 10, username: 'alice', attribute: 'Cleartext-Password', op: ':=', value: 'old' },
      { id: 11, username: 'gone', attribute: 'Cleartext-Password', op: ':=', value: 'g' },
    ];
    const d = diffTable('radcheck', desired, owned);
    expect(d.update).toEqual([{ ...desired[0], id: 10 }]);
    expect(d.insert).toEqual([desired[1]]);
    expect(d.delete).toEqual([11]);
  });

  it('keeps one row per occurrence and removes owned duplicates', () => {
    const row = { username: 'alice', attribute: 'Framed-Route', op: '+=', value: '10.1.0.0/24 0.0.0.0 1' };
    const d = diffTable('radreply', [row], [{ ...row, id: 5 }, { ...row, id: 3 }]);
    expect(d).toEqual({ insert: [], update: [], delete: [5], unchanged: 1 });
  });

  it('compares numbers as PostgreSQL returns them', () => {
    const d = diffTable('radusergroup', [{ username: 'a', groupname: 'g', priority: 1 }], [{ id: 1, username: 'a', groupname: 'g', priority: 1 }]);
    expect(d.unchanged).toBe(1);
  });
});
