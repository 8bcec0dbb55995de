import { describe, expect, it } from 'vitest';
import { startRouterOsTestServer } from '../../../../test/routeros/server';
import { connectRouterOs } from './client';
import {
  counterDelta,
  parsePppActive,
  parseRouterOsDuration,
  parseSimpleQueues,
  type QueueCounters,
  readUsage,
  sessionQueueName,
  sessionUsage,
  usageDeltas,
  type UsageSnapshot,
} from './usage';

const queue = (over: Partial<QueueCounters> & Pick<QueueCounters, 'id' | 'name'>): QueueCounters => ({
  targets: [],
  dynamic: false,
  disabled: false,
  comment: null,
  uploadBytes: 0,
  downloadBytes: 0,
  uploadPackets: 0,
  downloadPackets: 0,
  uploadRate: 0,
  downloadRate: 0,
  ...over,
});

const snapshot = (at: number, queues: QueueCounters[]): UsageSnapshot => ({ at, sessions: [], queues, problems: [] });

describe('RouterOS durations', () => {
  it.each([
    ['0s', 0],
    ['45s', 45],
    ['1h30m', 5400],
    ['1w2d3h4m5s', 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5],
    ['3m12s340ms', 192],
    ['500ms', 0],
    ['00:10:00', 600],
    ['2d 01:00:05', 2 * 86400 + 3605],
    ['3600', 3600],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseRouterOsDuration(text)).toBe(seconds);
  });

  it.each(['', 'soon', '1x', '1h-2m', '10:0:0'])('refuses %j', (text) => {
    expect(parseRouterOsDuration(text)).toBeUndefined();
  });
});

describe('reading /ppp/active', () => {
  it('types each session and reports rows it cannot read instead of dropping them silently', () => {
    const { sessions, problems } = parsePppActive([
      { '.id': '*81', name: 'alice', service: 'pppoe', 'caller-id': 'AA:BB:CC:00:00:01', address: '100.64.0.2', uptime: '2h5m', 'session-id': '0x81100001', radius: 'false' },
      { '.id': '*82', name: 'bob', service: 'pppoe', uptime: '10s', radius: 'true' },
      { '.id': '*83', name: 'carol', uptime: 'forever' },
      { name: 'nobody' },
    ]);
    expect(sessions).toEqual([
      { id: '*81', name: 'alice', service: 'pppoe', callerId: 'AA:BB:CC:00:00:01', address: '100.64.0.2', uptimeSeconds: 7500, sessionId: '0x81100001', radius: false },
      { id: '*82', name: 'bob', service: 'pppoe', callerId: '', address: null, uptimeSeconds: 10, sessionId: '', radius: true },
    ]);
    expect(problems).toEqual([
      { menu: '/ppp/active', id: '*83', reason: 'uptime "forever" is not a duration' },
      { menu: '/ppp/active', id: undefined, reason: 'no .id' },
    ]);
  });
});

describe('reading /queue/simple counters', () => {
  it('splits upload/download pairs and keeps counters past 32 bits exact', () => {
    const { queues, problems } = parseSimpleQueues([
      { '.id': '*1', name: '<pppoe-alice>', target: '<pppoe-alice>', dynamic: 'true', disabled: 'false', bytes: '5000000000/123456789012', packets: '10/20', rate: '8000/64000' },
      { '.id': '*2', name: 'towerline-7', target: '100.64.0.3/32,100.64.1.0/24', comment: 'towerline service=7', bytes: '0/0' },
      { '.id': '*3', name: 'broken', bytes: '12' },
      { '.id': '*4', name: 'huge', bytes: '99999999999999999999/0' },
    ]);
    expect(queues[0]).toEqual(
      queue({ id: '*1', name: '<pppoe-alice>', targets: ['<pppoe-alice>'], dynamic: true, uploadBytes: 5_000_000_000, downloadBytes: 123_456_789_012, uploadPackets: 10, downloadPackets: 20, uploadRate: 8000, downloadRate: 64000 }),
    );
    expect(queues[1]).toMatchObject({ name: 'towerline-7', targets: ['100.64.0.3/32', '100.64.1.0/24'], comment: 'towerline service=7', uploadBytes: 0 });
    expect(queues).toHaveLength(2);
    expect(problems.map((p) => p.id)).toEqual(['*3', '*4']);
  });
});

describe('pairing sessions with their queues', () => {
  it('finds a session by its dynamic queue, else by a static queue on its address', () => {
    const sessions = parsePppActive([
      { '.id': '*81', name: 'alice', service: 'pppoe', address: '100.64.0.2' },
      { '.id': '*82', name: 'bob', service: 'pppoe', address: '100.64.0.3' },
      { '.id': '*83', name: 'carol', service: 'l2tp', address: '100.64.0.4' },
    ]).sessions;
    const queues = [queue({ id: '*1', name: '<pppoe-alice>', dynamic: true }), queue({ id: '*2', name: 'towerline-bob', targets: ['100.64.0.3/32'] })];
    expect(sessionQueueName(sessions[0]!)).toBe('<pppoe-alice>');
    expect(sessionUsage({ sessions, queues }).map((u) => [u.session.name, u.queue?.id ?? null])).toEqual([
      ['alice', '*1'],
      ['bob', '*2'],
      ['carol', null],
    ]);
  });
});

describe('counter deltas', () => {
  it('counts growth, and everything after a reset', () => {
    expect(counterDelta(100, 150)).toEqual({ bytes: 50, reset: false });
    expect(counterDelta(100, 100)).toEqual({ bytes: 0, reset: false });
    expect(counterDelta(1_000, 30)).toEqual({ bytes: 30, reset: true });
  });

  it('attributes nothing on the first reading', () => {
    expect(usageDeltas(null, snapshot(0, [queue({ id: '*1', name: 'a', uploadBytes: 9 })]))).toEqual([]);
  });

  it('follows queues between readings: growth, a reconnect with a new queue, a reset, one gone', () => {
    const before = snapshot(1_000, [
      queue({ id: '*1', name: '<pppoe-alice>', uploadBytes: 1_000, downloadBytes: 10_000 }),
      queue({ id: '*2', name: '<pppoe-bob>', uploadBytes: 500, downloadBytes: 5_000 }),
      queue({ id: '*3', name: 'towerline-7', uploadBytes: 700, downloadBytes: 7_000 }),
      queue({ id: '*4', name: '<pppoe-gone>', uploadBytes: 1, downloadBytes: 1 }),
    ]);
    const after = snapshot(61_000, [
      queue({ id: '*1', name: '<pppoe-alice>', uploadBytes: 1_600, downloadBytes: 16_000 }),
      // bob reconnected: a new dynamic queue under a new .id
      queue({ id: '*9', name: '<pppoe-bob>', uploadBytes: 40, downloadBytes: 400 }),
      // counters reset on the router (only download went down; both restart)
      queue({ id: '*3', name: 'towerline-7', uploadBytes: 800, downloadBytes: 100 }),
    ]);
    expect(usageDeltas(before, after).map((d) => [d.queue.name, d.uploadBytes, d.downloadBytes, d.reset, d.seconds])).toEqual([
      ['<pppoe-alice>', 600, 6_000, false, 60],
      ['<pppoe-bob>', 40, 400, true, 60],
      ['towerline-7', 800, 100, true, 60],
    ]);
  });
});

describe('polling a router', () => {
  it('reads sessions and queue counters from the router in one round of prints', async () => {
    const router = await startRouterOsTestServer({ user: 'admin', password: 'pw' });
    try {
      router.menu('/ppp/active').add({ name: 'alice', service: 'pppoe', address: '100.64.0.2', uptime: '1h', 'caller-id': 'AA:BB:CC:00:00:01' });
      router.menu('/queue/simple').add({ name: '<pppoe-alice>', target: '100.64.0.2', dynamic: 'true', bytes: '2048/4096', packets: '2/4' });
      const connection = await connectRouterOs(router.connectOptions());
      const usage = await readUsage(connection, () => 42);
      await connection.close();
      expect(usage.at).toBe(42);
      expect(usage.problems).toEqual([]);
      expect(sessionUsage(usage)).toEqual([
        {
          session: { id: '*1', name: 'alice', service: 'pppoe', callerId: 'AA:BB:CC:00:00:01', address: '100.64.0.2', uptimeSeconds: 3600, sessionId: '0x81000000', radius: false },
          queue: queue({ id: '*1', name: '<pppoe-alice>', targets: ['100.64.0.2/32'], dynamic: true, uploadBytes: 2048, downloadBytes: 4096, uploadPackets: 2, downloadPackets: 4 }),
        },
      ]);
      expect(router.writes().total).toBe(0);
    } finally {
      await router.close();
    }
  });
});
