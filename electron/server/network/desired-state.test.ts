import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_STATUSES } from '../../../shared/domain/subscription-status';
import type { ServiceStatusName } from '../../../shared/domain/serving';
import { type DesiredObject, type PlanRow, type ServiceRow, desiredState, keyOf } from './desired-state';
import { planSync } from './diff';

const plan: PlanRow = {
  planId: 7,
  name: 'Wireless 50/10',
  downloadKbps: 50_000,
  uploadKbps: 10_000,
  burstDownloadKbps: null,
  burstUploadKbps: null,
  burstThresholdPercent: null,
  burstTimeSeconds: null,
  priority: null,
  qosMode: 'PCQ',
};
const fixed: ServiceRow = {
  serviceId: 123,
  serviceStatus: 'Active',
  subscriptionStatus: 'Active',
  planId: 7,
  login: 'ada',
  password: 's3cret',
  permanentIpv4: '100.64.0.10',
  routedNetwork: '192.0.2.0/29',
  macs: ['AA:BB:CC:00:00:10', 'AA:BB:CC:00:00:11'],
};
const roaming: ServiceRow = { ...fixed, serviceId: 124, login: 'bob', permanentIpv4: null, routedNetwork: null, macs: [] };

const of = (objects: DesiredObject[], menu: DesiredObject['menu']) => objects.filter((o) => o.menu === menu);
const state = (services: ServiceRow[]) => desiredState({ services, plans: [plan], hotspotUsers: [] });

describe('the desired state of a router', () => {
  it('gives a served subscriber a secret on its plan\'s profile, routes via its address, and a static lease for the first MAC', () => {
    const d = state([fixed]);
    expect(of(d, '/ppp/secret')).toEqual([
      {
        menu: '/ppp/secret',
        key: 'towerline:service=123',
        serviceId: 123,
        attributes: { name: 'ada', password: 's3cret', profile: 'towerline-plan-7', 'remote-address': '100.64.0.10', routes: '192.0.2.0/29 100.64.0.10 1', disabled: 'false', comment: 'towerline:service=123' },
      },
    ]);
    expect(of(d, '/ppp/profile').map((p) => p.attributes)).toEqual([{ name: 'towerline-plan-7', 'rate-limit': '10M/50M', 'address-list': '', comment: 'towerline:plan=7' }]);
    expect(of(d, '/ip/dhcp-server/lease').map((l) => l.attributes)).toEqual([{ address: '100.64.0.10', 'mac-address': 'AA:BB:CC:00:00:10', disabled: 'false', comment: 'towerline:service=123' }]);
    expect(of(d, '/ip/firewall/address-list')).toEqual([]);
  });

  it('follows the serving rule for every combination of service and subscription status', () => {
    const services: ServiceStatusName[] = ['Active', 'Disabled', 'Stopped', 'Pending', 'Archived'];
    for (const subscriptionStatus of SUBSCRIPTION_STATUSES) {
      for (const serviceStatus of services) {
        const d = state([{ ...fixed, serviceStatus, subscriptionStatus }, { ...roaming, serviceStatus, subscriptionStatus }]);
        const where = `${serviceStatus} service of a ${subscriptionStatus} subscription`;
        const none = serviceStatus === 'Archived' || serviceStatus === 'Pending' || subscriptionStatus === 'Cancelled' || subscriptionStatus === 'Completed';
        const served = !none && serviceStatus === 'Active' && subscriptionStatus === 'Active';
        if (none) {
          expect(d, where).toEqual([]);
        } else if (served) {
          expect(of(d, '/ip/firewall/address-list'), where).toEqual([]);
          expect(of(d, '/ppp/secret').map((s) => s.attributes.profile), where).toEqual(['towerline-plan-7', 'towerline-plan-7']);
        } else {
          // Withheld: the fixed address (and its routed network) in the list; the roaming one by the suspended profile.
          expect(of(d, '/ip/firewall/address-list').map((a) => a.attributes.address), where).toEqual(['100.64.0.10', '192.0.2.0/29']);
          expect(of(d, '/ppp/secret').map((s) => [s.attributes.name, s.attributes.profile]), where).toEqual([
            ['ada', 'towerline-plan-7'],
            ['bob', 'towerline-suspended'],
          ]);
          expect(of(d, '/ppp/profile').find((p) => p.attributes.name === 'towerline-suspended')?.attributes['address-list'], where).toBe('towerline-suspended');
        }
      }
    }
  });

  it('makes no suspended profile while nobody needs it', () => {
    expect(state([fixed, roaming]).some((o) => o.attributes.name === 'towerline-suspended')).toBe(false);
  });

  it('gives a simple-queue subscriber without PPP a queue on its address, upload first', () => {
    const d = desiredState({ services: [{ ...fixed, login: null, password: null }], plans: [{ ...plan, qosMode: 'Simple queue', priority: 4 }], hotspotUsers: [] });
    expect(of(d, '/queue/simple').map((q) => q.attributes)).toEqual([
      {
        name: 'towerline-service-123',
        target: '100.64.0.10/32,192.0.2.0/29',
        'max-limit': '10M/50M',
        'burst-limit': '0/0',
        'burst-threshold': '0/0',
        'burst-time': '0/0',
        priority: '4/4',
        disabled: 'false',
        comment: 'towerline:service=123',
      },
    ]);
    expect(of(d, '/ppp/secret')).toEqual([]);
  });

  it('leaves the rate out of the profile of a plan the router does not limit', () => {
    expect(desiredState({ services: [fixed], plans: [{ ...plan, qosMode: 'None' }], hotspotUsers: [] }).find((o) => o.menu === '/ppp/profile')?.attributes['rate-limit']).toBe('');
  });

  it('pushes hotspot users with their limits, disabled while the subscription is not Active, and drops expired ones', () => {
    const user = { id: 9, login: 'SITE-42', password: 'x1', status: 'Active' as const, macBinding: 'AA:BB:CC:00:00:99', subscriptionStatus: 'Active' as const, timeLimitMinutes: 90, dataLimitMb: 2 };
    const d = desiredState({ services: [], plans: [], hotspotUsers: [user, { ...user, id: 10, login: 'OLD', status: 'Expired' }, { ...user, id: 11, login: 'HELD', subscriptionStatus: 'Suspended' }] });
    expect(d.map((o) => o.attributes)).toEqual([
      { name: 'SITE-42', password: 'x1', 'mac-address': 'AA:BB:CC:00:00:99', 'limit-uptime': '5400s', 'limit-bytes-total': String(2 * 1024 * 1024), disabled: 'false', comment: 'towerline:hotspot=9' },
      { name: 'HELD', password: 'x1', 'mac-address': 'AA:BB:CC:00:00:99', 'limit-uptime': '5400s', 'limit-bytes-total': String(2 * 1024 * 1024), disabled: 'true', comment: 'towerline:hotspot=11' },
    ]);
  });

  it('has a key for each of its own objects and none for anyone else\'s', () => {
    for (const o of state([{ ...fixed, subscriptionStatus: 'Suspended' }, roaming])) expect(keyOf(o.menu, o.attributes)).toBe(o.key);
    expect(keyOf('/ppp/secret', { name: 'x', comment: 'field tech' })).toBeNull();
    expect(keyOf('/ppp/secret', { name: 'x' })).toBeNull();
  });
});

describe('the diff', () => {
  const asRouter = (objects: DesiredObject[]) => {
    const menus = { '/ppp/profile': [], '/ppp/secret': [], '/queue/simple': [], '/ip/dhcp-server/lease': [], '/ip/firewall/address-list': [], '/ip/hotspot/user': [] } as Record<DesiredObject['menu'], Record<string, string>[]>;
    objects.forEach((o, i) => menus[o.menu].push({ '.id': `*${i + 1}`, ...o.attributes }));
    return menus;
  };

  it('finds nothing to do where the router prints the same values in its own forms', () => {
    const desired = state([fixed]);
    const router = asRouter(desired);
    // The way RouterOS prints: rates in bits, booleans as words, a host with /32.
    const profile = router['/ppp/profile'][0];
    if (profile) profile['rate-limit'] = '10000k/50000000';
    const secret = router['/ppp/secret'][0];
    if (secret) secret.disabled = 'no';
    const plan = planSync(desired, router, new Map());
    expect(plan.operations).toEqual([]);
    expect(plan.unchanged).toBe(desired.length);
  });

  it('sets only the changed attributes, removes owned objects no longer wanted, and ignores foreign ones', () => {
    const before = state([fixed, roaming]);
    const router = asRouter(before);
    router['/ppp/secret'].push({ '.id': '*99', name: 'neighbour', password: 'theirs' });
    const after = state([{ ...fixed, password: 'n3w' }]);
    const plan = planSync(after, router, new Map());
    expect(plan.operations.map((o) => [o.action, o.menu, o.key, o.action === 'set' ? o.attributes : null])).toEqual([
      ['set', '/ppp/secret', 'towerline:service=123', { password: 'n3w' }],
      ['remove', '/ppp/secret', 'towerline:service=124', null],
    ]);
    expect(plan.dropSessions).toEqual(['bob']);
  });

  it('drops the session of a secret whose profile changes', () => {
    const router = asRouter(state([roaming]));
    const plan = planSync(state([{ ...roaming, subscriptionStatus: 'Suspended' }]), router, new Map());
    expect(plan.dropSessions).toEqual(['bob']);
    expect(plan.operations.map((o) => [o.action, o.menu])).toEqual([
      ['add', '/ppp/profile'],
      ['set', '/ppp/secret'],
      ['remove', '/ppp/profile'],
    ]);
  });

  it('removes a duplicate of its own object and reports it as drift', () => {
    const desired = state([roaming]);
    const router = asRouter(desired);
    router['/ppp/secret'].push({ '.id': '*50', name: 'bob-copy', comment: 'towerline:service=124' });
    const plan = planSync(desired, router, new Map());
    expect(plan.drift.map((d) => d.kind)).toEqual(['duplicate']);
    expect(plan.operations).toEqual([{ action: 'remove', menu: '/ppp/secret', key: 'towerline:service=124', serviceId: 124, id: '*50' }]);
  });
});
