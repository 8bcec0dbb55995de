import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makeNetwork, makePlan, makeRouter, makeService, makeSubscription } from '../../../test/fixtures/factories';
import { MENU_PATHS } from '../../../test/routeros/menus';
import { type RouterOsTestServer, startRouterOsTestServer } from '../../../test/routeros/server';
import type { UsageSnapshot } from '../network/routeros/usage';
import { type PollResult, type PollUnit, type RouterosUsagePoll, planPoll, pollUnits, routerosSessionKey, startRouterosUsagePoll, type StoredCounters } from './routeros-poll';

/**
 * The RouterOS usage poll against the test router (the real API wire protocol on 127.0.0.1): the
 * bytes between two readings land in usage.daily exactly, a reset counter counts its new value, a
 * restart between polls neither loses nor double counts, a router that is down is skipped and
 * shown, and a session gone from /ppp/active leaves "online now".
 */
let router: RouterOsTestServer;
let t: TestBackend;
let dataDir: string;
let clock: Date;
let job: RouterosUsagePoll | undefined;
let polled: PollResult[] = [];

beforeAll(async () => {
  router = await startRouterOsTestServer({ user: 'towerline', password: 'api-secret' });
});
afterAll(async () => {
  await router.close();
});
beforeEach(async () => {
  clock = new Date('2026-12-01T09:00:00Z');
  dataDir = mkdtempSync(join(tmpdir(), 'towerline-rospoll-'));
  t = await testBackend({ now: () => clock, dataDir });
});
afterEach(async () => {
  await job?.stop();
  job = undefined;
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (router.isDown) await router.up();
  for (const path of MENU_PATHS) router.menu(path).clear();
  router.resetCounters();
});

async function world() {
  const r = await makeRouter(t, { name: 'Creek tower', address: router.host, apiPort: router.port, apiUser: 'towerline', apiPassword: 'api-secret' });
  const plan = await makePlan(t, { name: 'Home 25/5', downloadKbps: 25_000, uploadKbps: 5_000, qosMode: 'Simple queue' });
  const sub = await makeSubscription(t, { billDay: 1 });
  const alice = await makeService(t, { subscriptionId: sub.id, planId: plan.id, routerId: r.id, login: 'alice', password: 'pw-alice', startDate: '2026-11-01' });
  return { router: r, plan, sub, alice };
}

/** A PPPoE session online on the test router with the dynamic queue RouterOS makes for it. */
function connect(name: string, address: string, uptime: string, bytes: string) {
  const session = router.menu('/ppp/active').add({ name, service: 'pppoe', address, uptime, 'caller-id': 'AA:BB:CC:00:00:01' });
  const queue = router.menu('/queue/simple').add({ name: `<pppoe-${name}>`, target: `${address}/32`, dynamic: 'true', 'max-limit': '5M/25M', bytes });
  return { session, queue };
}

/** The counters and uptime move on, as between two polls. */
function traffic(s: { session: string; queue: string }, uptime: string, bytes: string) {
  router.menu('/ppp/active').set(s.session, { uptime });
  router.menu('/queue/simple').set(s.queue, { bytes });
}

function disconnect(s: { session: string; queue: string }) {
  router.menu('/ppp/active').remove(s.session);
  router.menu('/queue/simple').remove(s.queue);
}

/** One pass of the job, `minutes` after the last (due every five minutes by default). */
async function pass(minutes = 5): Promise<PollResult[]> {
  clock = new Date(clock.getTime() + minutes * 60_000);
  const results: PollResult[] = (polled = []);
  job ??= startRouterosUsagePoll(t.backend, { now: () => clock, tickMs: 3_600_000, log: () => undefined, onPoll: (r) => polled.push(r) });
  await job.runNow();
  // The pass at start may still be the one running: run the one asked for.
  if (results.length === 0) await job.runNow();
  return results;
}

async function daily(serviceId: number) {
  const d = await t.call('usage.daily', { serviceId, from: '2026-12-01', to: '2026-12-01' });
  return { download: d.downloadBytes, upload: d.uploadBytes };
}

const online = async (serviceId: number) => (await t.call('usage.presence', { serviceIds: [serviceId] }))[0];

describe('the RouterOS usage poll', () => {
  it('defaults a RouterOS router with an API user and no RADIUS secret to the API poll, one with a secret to RADIUS', async () => {
    const polled = await makeRouter(t, { apiUser: 'towerline' });
    const radius = await makeRouter(t, { apiUser: 'towerline', radiusSecret: 'shh' });
    const neither = await makeRouter(t, { vendor: 'Generic RADIUS NAS' });
    expect([polled.usageSource, radius.usageSource, neither.usageSource]).toEqual(['routeros', 'radius', 'none']);
    expect(polled.usagePoll).toBeNull();
    expect((await t.call('routers.update', { id: radius.id, usageSource: 'routeros' })).usageSource).toBe('routeros');
    const bad = await t.fail('routers.update', { id: radius.id, usageSource: 'snmp' });
    expect(bad.fields).toHaveProperty('usageSource');
  });

  it('counts exactly the bytes between two readings into usage.daily, and shows the session online', async () => {
    const w = await world();
    const alice = connect('alice', '100.64.0.5', '10m', '1000/5000');
    const [first] = await pass();
    // The first reading only remembers: those bytes ran before anyone read them.
    expect(first).toMatchObject({ error: null, sessions: 1, downloadBytes: 0, uploadBytes: 0 });
    expect(await daily(w.alice.id)).toEqual({ download: 0, upload: 0 });
    expect(await online(w.alice.id)).toMatchObject({ online: true, onlineSince: '2026-12-01T08:55:00.000Z' });

    traffic(alice, '15m', '3000/12000');
    await pass();
    expect(await daily(w.alice.id)).toEqual({ download: 7000, upload: 2000 });
    traffic(alice, '20m', '3500/20000');
    await pass();
    expect(await daily(w.alice.id)).toEqual({ download: 15000, upload: 2500 });
    const hourly = await t.call('usage.hourly', { serviceId: w.alice.id, day: '2026-12-01' });
    expect(hourly.hours.find((h) => h.hour === '2026-12-01T09:00:00.000Z')).toMatchObject({ downloadBytes: 15000, uploadBytes: 2500 });

    // Not due yet (one minute later): nothing is read.
    router.resetCounters();
    expect(await pass(1)).toEqual([]);
    expect(router.commands.filter((c) => c.path === '/queue/simple/print')).toHaveLength(0);
    expect((await t.call('routers.get', { id: w.router.id })).usagePoll).toMatchObject({ lastError: null, sessions: 1, lastSuccessAt: '2026-12-01T09:15:00.000Z' });
  });

  it('counts a reset counter\'s new value, never a negative or a wrap', async () => {
    const w = await world();
    const alice = connect('alice', '100.64.0.5', '1h', '50000/900000');
    await pass();
    traffic(alice, '1h5m', '60000/1000000');
    await pass();
    // Counters reset behind the session's back (someone ran /queue/simple/reset-counters).
    traffic(alice, '1h10m', '300/4000');
    const [r] = await pass();
    expect(r).toMatchObject({ resets: 1, downloadBytes: 4000, uploadBytes: 300 });
    expect(await daily(w.alice.id)).toEqual({ download: 100000 + 4000, upload: 10000 + 300 });
    traffic(alice, '1h15m', '400/5000');
    await pass();
    expect(await daily(w.alice.id)).toEqual({ download: 105000, upload: 10400 });
  });

  it('after a router reboot counts the sessions that came back in full', async () => {
    const w = await world();
    const before = connect('alice', '100.64.0.5', '2d', '10/20');
    await pass();
    // Reboot: every session drops and reconnects with new ids and fresh counters.
    disconnect(before);
    connect('alice', '100.64.0.5', '3m', '700/9000');
    const [r] = await pass();
    expect(r).toMatchObject({ ended: 1, downloadBytes: 9000, uploadBytes: 700 });
    expect(await daily(w.alice.id)).toEqual({ download: 9000, upload: 700 });
  });

  it('neither loses nor double counts across a restart between two polls', async () => {
    const w = await world();
    const alice = connect('alice', '100.64.0.5', '10m', '1000/5000');
    await pass();
    traffic(alice, '15m', '2000/8000');
    await pass();
    expect(await daily(w.alice.id)).toEqual({ download: 3000, upload: 1000 });

    // The process stops and starts again: a new job, a new back end on the same datastore.
    await job?.stop();
    job = undefined;
    await t.close();
    t = await testBackend({ now: () => clock, dataDir });
    traffic(alice, '20m', '2500/10000');
    const [r] = await pass();
    expect(r).toMatchObject({ error: null, downloadBytes: 2000, uploadBytes: 500 });
    expect(await daily(w.alice.id)).toEqual({ download: 5000, upload: 1500 });
  });

  it('skips a router that is down, shows why, and counts everything once it is back', async () => {
    const w = await world();
    const alice = connect('alice', '100.64.0.5', '10m', '1000/5000');
    await pass();
    await router.down();
    traffic(alice, '15m', '1500/6000');
    const [down] = await pass();
    expect(down?.error).toBeTruthy();
    const shown = await t.call('routers.get', { id: w.router.id });
    expect(shown.usagePoll).toMatchObject({ lastAttemptAt: '2026-12-01T09:10:00.000Z', lastSuccessAt: '2026-12-01T09:05:00.000Z' });
    expect(shown.usagePoll?.lastError).toBeTruthy();
    expect(await t.call('network.status', { routerId: w.router.id })).toMatchObject({ reachable: false });
    expect(await daily(w.alice.id)).toEqual({ download: 0, upload: 0 });

    await router.up();
    traffic(alice, '20m', '2000/9000');
    const [up] = await pass();
    expect(up).toMatchObject({ error: null, downloadBytes: 4000, uploadBytes: 1000 });
    expect(await daily(w.alice.id)).toEqual({ download: 4000, upload: 1000 });
    expect((await t.call('routers.get', { id: w.router.id })).usagePoll?.lastError).toBeNull();
    expect(await t.call('network.status', { routerId: w.router.id })).toMatchObject({ reachable: true });
  });

  it('closes the live session of a PPP session gone from /ppp/active, saying when it was last seen, and counts a new one in full', async () => {
    const w = await world();
    const alice = connect('alice', '100.64.0.5', '10m', '1000/5000');
    await pass();
    expect(await online(w.alice.id)).toMatchObject({ online: true });
    disconnect(alice);
    const [r] = await pass();
    expect(r).toMatchObject({ ended: 1, sessions: 0 });
    // Last seen by the reading before the one that found it gone.
    expect(await online(w.alice.id)).toMatchObject({ online: false, lastSeenAt: '2026-12-01T09:05:00.000Z' });
    expect(await t.backend.datastore.db.selectFrom('usage_live_sessions').selectAll().execute()).toEqual([]);

    // Back two minutes later: everything its new queue counted is new traffic.
    connect('alice', '100.64.0.9', '2m', '111/2222');
    await pass();
    expect(await online(w.alice.id)).toMatchObject({ online: true, onlineSince: '2026-12-01T09:13:00.000Z' });
    expect(await daily(w.alice.id)).toEqual({ download: 2222, upload: 111 });
  });

  it('counts a fixed-address service through the queue Towerline marked for it', async () => {
    const w = await world();
    await makeNetwork(t, { cidr: '100.64.0.0/24', kind: 'permanent', routerId: w.router.id, gateway: '100.64.0.1' });
    const fixed = await makeService(t, { subscriptionId: w.sub.id, planId: w.plan.id, routerId: w.router.id, login: null, ipv4Assignment: 'permanent', ipv4Address: '100.64.0.10', startDate: '2026-11-01' });
    const q = router.menu('/queue/simple').add({ name: 'towerline-fixed', target: '100.64.0.10/32', 'max-limit': '5M/25M', comment: `towerline:service=${fixed.id}`, bytes: '5/50' });
    // Someone else's queue on the router is left alone.
    router.menu('/queue/simple').add({ name: 'backhaul', target: '10.0.0.0/8', bytes: '999999/999999' });
    await pass();
    router.menu('/queue/simple').set(q, { bytes: '105/1050' });
    await pass();
    expect(await daily(fixed.id)).toEqual({ download: 1000, upload: 100 });
    expect(await daily(w.alice.id)).toEqual({ download: 0, upload: 0 });
  });

  it('counts a router with more sessions than one transaction writes exactly, across the transactions', async () => {
    const w = await world();
    const sessions = Array.from({ length: 1_200 }, (_, i) => connect(i === 0 ? 'alice' : `guest${i}`, `100.65.${i >> 8}.${i & 255}`, '10m', `${i}/${i * 10}`));
    await pass();
    sessions.forEach((s, i) => traffic(s, '15m', `${i + 7}/${i * 10 + 70}`));
    const [r] = await pass();
    expect(r).toMatchObject({ sessions: 1_200, downloadBytes: 1_200 * 70, uploadBytes: 1_200 * 7 });
    expect(await daily(w.alice.id)).toEqual({ download: 70, upload: 7 });
    expect(await online(w.alice.id)).toMatchObject({ online: true });
  });

  it('reads only routers whose usage comes from the API poll', async () => {
    const w = await world();
    await t.call('routers.update', { id: w.router.id, usageSource: 'radius' });
    connect('alice', '100.64.0.5', '10m', '1000/5000');
    const logins = router.logins;
    expect(await pass()).toEqual([]);
    expect(router.logins).toBe(logins);
    await t.call('routers.update', { id: w.router.id, usageSource: 'routeros' });
    expect(await pass()).toHaveLength(1);
    expect(await online(w.alice.id)).toMatchObject({ online: true });
    // Switched away: its sessions leave "online now" at the next pass, not two days later.
    await t.call('routers.update', { id: w.router.id, usageSource: 'none' });
    expect(await pass()).toEqual([]);
    expect(await online(w.alice.id)).toMatchObject({ online: false });
    // Polled again: what the counters gathered meanwhile ran unread, so it is only remembered.
    await t.call('routers.update', { id: w.router.id, usageSource: 'routeros' });
    router.menu('/queue/simple').set(router.menu('/queue/simple').find({ name: '<pppoe-alice>' })[0]?.['.id'] ?? '', { bytes: '9000/90000' });
    expect(await pass()).toMatchObject([{ downloadBytes: 0, uploadBytes: 0 }]);
    expect(await daily(w.alice.id)).toEqual({ download: 0, upload: 0 });
  });
});

describe('planPoll', () => {
  const unit = (key: string, sessionSeconds: number, input: number, output: number, kind: PollUnit['kind'] = 'ppp'): PollUnit => ({
    key,
    kind,
    serviceId: 1,
    login: 'alice',
    startedAt: '2026-12-01T09:00:00.000Z',
    counters: { sessionSeconds, input, output },
  });
  const stored = (entries: [string, number, number, number][]) =>
    new Map<string, StoredCounters>(entries.map(([k, s, i, o]) => [k, { startedAt: '2026-12-01T09:00:00.000Z', counters: { sessionSeconds: s, input: i, output: o } }]));

  it('only remembers counters on a router never read before', () => {
    expect(planPoll([unit('a', 600, 10, 20)], new Map(), null).map((s) => s.kind)).toEqual(['remember']);
  });

  it('counts a session that started since the last reading and remembers one that started before it', () => {
    const steps = planPoll([unit('new', 120, 10, 20), unit('old', 3600, 10, 20)], new Map(), 300);
    expect(steps.map((s) => s.kind)).toEqual(['count', 'remember']);
  });

  it('restarts a session whose counters or uptime went down, and ends one gone', () => {
    const before = stored([['down', 600, 500, 500], ['uptime', 600, 10, 10], ['gone', 60, 1, 1], ['grew', 60, 1, 1]]);
    const steps = planPoll([unit('down', 900, 400, 900), unit('uptime', 30, 20, 20), unit('grew', 360, 2, 2)], before, 300);
    expect(steps.map((s) => `${s.kind}:${s.kind === 'end' ? s.key : s.unit.key}`)).toEqual(['restart:down', 'restart:uptime', 'count:grew', 'end:gone']);
  });
});

describe('pollUnits', () => {
  const snapshot = (sessions: UsageSnapshot['sessions'], queues: UsageSnapshot['queues']): UsageSnapshot => ({ at: Date.parse('2026-12-01T10:00:00Z'), sessions, queues, problems: [] });
  const session = (id: string, name: string, address: string | null, uptimeSeconds: number) => ({ id, name, service: 'pppoe', callerId: '', address, uptimeSeconds, sessionId: '', radius: false });
  const queue = (id: string, name: string, target: string, dynamic: boolean, up: number, down: number, comment: string | null = null) => ({
    id, name, targets: [target], dynamic, disabled: false, comment, uploadBytes: up, downloadBytes: down, uploadPackets: 0, downloadPackets: 0, uploadRate: 0, downloadRate: 0,
  });
  const services = { byLogin: new Map([['alice', 7]]), byAddress: new Map([['100.64.0.10', 8]]), ids: new Set([7, 8]) };

  it('maps a session by login (any case) through its dynamic queue, and a marked queue to its service', () => {
    const units = pollUnits(3, snapshot([session('*1', 'Alice', '100.64.0.5', 60)], [queue('*A', '<pppoe-Alice>', '100.64.0.5/32', true, 1, 2), queue('*B', 'fixed', '100.64.0.10/32', false, 3, 4, 'towerline:service=8')]), services, new Map());
    expect(units).toEqual([
      { key: routerosSessionKey(3, '*A', '<pppoe-Alice>'), kind: 'ppp', serviceId: 7, login: 'Alice', startedAt: '2026-12-01T09:59:00.000Z', counters: { sessionSeconds: 60, input: 1, output: 2 } },
      { key: routerosSessionKey(3, '*B', 'fixed'), kind: 'queue', serviceId: 8, login: 'fixed', startedAt: '2026-12-01T10:00:00.000Z', counters: { sessionSeconds: 0, input: 3, output: 4 } },
    ]);
  });

  it('keeps a session without a queue online with no counters, and skips a queue marked for a service not on this router', () => {
    const units = pollUnits(3, snapshot([session('*2', 'bob', null, 5)], [queue('*C', 'other', '100.64.0.99/32', false, 3, 4, 'towerline:service=99')]), services, new Map());
    expect(units).toEqual([{ key: routerosSessionKey(3, 'ppp:*2', 'bob'), kind: 'ppp', serviceId: null, login: 'bob', startedAt: '2026-12-01T09:59:55.000Z', counters: { sessionSeconds: 5, input: 0, output: 0 } }]);
  });
});
