import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../test/fixtures/backend';
import { makeHotspotPlan, makePlan, makeRouter, makeService, makeSubscription } from '../../../test/fixtures/factories';
import { Code, encodeSignedRequest, type OutAttribute } from '../network/radius/codec';
import { startRadiusServer, type RadiusServer } from '../network/radius/server';
import { WRAP } from './counters';

const SECRET = 'usage-secret';
let t: TestBackend;
let server: RadiusServer;
let serviceId: number;
let subscriptionId: number;
let clock = new Date('2026-03-01T23:50:00.000Z');

function send(attributes: OutAttribute[]): Promise<void> {
  const packet = encodeSignedRequest(Code.AccountingRequest, 1, attributes, SECRET);
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => (s.close(), reject(new Error('no Accounting-Response'))), 2000);
    s.on('message', () => (clearTimeout(timer), s.close(), resolve()));
    s.send(packet, server.acctPort, '127.0.0.1');
  });
}

const STATUS = { start: 1, stop: 2, interim: 3 } as const;
/** One accounting packet of a session, with the clock at the moment the NAS sends it. */
interface Sent {
  at: string;
  attributes: OutAttribute[];
}
function packet(session: string, login: string, kind: keyof typeof STATUS, at: string, seconds: number, input: [number, number?], output: [number, number?]): Sent {
  const attrs: OutAttribute[] = [['User-Name', login], ['Acct-Session-Id', session], ['Acct-Status-Type', STATUS[kind]], ['Acct-Session-Time', seconds], ['Acct-Input-Octets', input[0]], ['Acct-Output-Octets', output[0]]];
  if (input[1] !== undefined) attrs.push(['Acct-Input-Gigawords', input[1]]);
  if (output[1] !== undefined) attrs.push(['Acct-Output-Gigawords', output[1]]);
  return { at, attributes: attrs };
}

beforeAll(async () => {
  t = await testBackend();
  await makeRouter(t, { address: '127.0.0.1', radiusSecret: SECRET });
  const plan = await makePlan(t, { downloadKbps: 50_000, uploadKbps: 10_000 });
  const sub = await makeSubscription(t);
  subscriptionId = sub.id;
  serviceId = (await makeService(t, { login: 'wrapper', password: 'pw', planId: plan.id, subscriptionId: sub.id })).id;
  const hp = await makeHotspotPlan(t, { timeLimitMinutes: 600, dataLimitMb: 50_000, downloadKbps: 10_000, uploadKbps: 2_000, validityDays: 3 });
  await t.call('hotspotUsers.create', { subscriptionId: sub.id, hotspotPlanId: hp.id, login: 'marina-7', password: 'pw' });
  server = await startRadiusServer(t.backend, { authPort: 0, acctPort: 0, heartbeatMs: 1000, log: () => {}, now: () => clock });
});

afterAll(async () => {
  await server?.stop();
  await t?.close();
});

describe('usage from a replayed accounting stream', () => {
  // Session A: a NAS without Gigawords; its upload counter wraps past 2^32 between I1 and I2.
  const a = {
    start: packet('A', 'wrapper', 'start', '2026-03-01T23:50:00.000Z', 0, [0], [0]),
    i1: packet('A', 'wrapper', 'interim', '2026-03-01T23:55:00.000Z', 300, [4_294_000_000], [1_000_000]),
    i2: packet('A', 'wrapper', 'interim', '2026-03-02T00:00:00.000Z', 600, [1_000_000], [3_000_000]),
    stop: packet('A', 'wrapper', 'stop', '2026-03-02T00:05:00.000Z', 900, [2_000_000], [5_000_000]),
  };
  // Session B: Gigawords; its Stop arrives first, then everything it follows, twice.
  const b = {
    start: packet('B', 'wrapper', 'start', '2026-03-02T01:00:00.000Z', 0, [0, 0], [0, 0]),
    i1: packet('B', 'wrapper', 'interim', '2026-03-02T01:10:00.000Z', 600, [100, 0], [5, 1]),
    stop: packet('B', 'wrapper', 'stop', '2026-03-02T01:20:00.000Z', 1200, [300, 0], [7, 2]),
  };
  // Session C: a hotspot user, counted into its totals.
  const c = {
    start: packet('C', 'marina-7', 'start', '2026-03-02T02:00:00.000Z', 0, [0], [0]),
    i1: packet('C', 'marina-7', 'interim', '2026-03-02T02:10:00.000Z', 600, [1_000], [9_000]),
  };
  const stream: Sent[] = [a.i1, a.start, a.i1, a.i2, a.stop, a.i2, a.stop, a.start, b.stop, b.i1, b.start, b.stop, b.i1, c.start, c.i1, c.i1, c.start];

  const upload = WRAP + 2_000_000 + 300;
  const download = 5_000_000 + 2 * WRAP + 7;

  beforeAll(async () => {
    for (const p of stream) {
      clock = new Date(p.at);
      await send(p.attributes);
    }
  });

  it('sums to the exact bytes, a wrap and Gigawords included, duplicates and late packets not counted', async () => {
    const r = await t.call('usage.daily', { serviceId, from: '2026-03-01', to: '2026-03-03' });
    expect(r.uploadBytes).toBe(upload);
    expect(r.downloadBytes).toBe(download);
    // The bytes land on the day each report came: I1 before midnight, the rest after.
    expect(r.days).toEqual([
      { day: '2026-03-01', downloadBytes: 1_000_000, uploadBytes: 4_294_000_000 },
      { day: '2026-03-02', downloadBytes: download - 1_000_000, uploadBytes: upload - 4_294_000_000 },
      { day: '2026-03-03', downloadBytes: 0, uploadBytes: 0 },
    ]);
  });

  it('has a daily rollup equal to the sum of its hours and to the sessions\' own totals', async () => {
    const db = t.backend.datastore.db;
    const hours = await db.selectFrom('usage_hourly').selectAll().where('service_id', '=', serviceId).execute();
    const days = await db.selectFrom('usage_daily').selectAll().where('service_id', '=', serviceId).execute();
    for (const d of days) {
      const ofDay = hours.filter((h) => h.hour.startsWith(d.day));
      expect(ofDay.reduce((n, h) => n + h.download_bytes, 0)).toBe(d.download_bytes);
      expect(ofDay.reduce((n, h) => n + h.upload_bytes, 0)).toBe(d.upload_bytes);
    }
    // The raw session B (Gigawords, no wrap) holds exactly what usage counted for it.
    const raw = await db.selectFrom('radius_sessions').selectAll().where('acct_session_id', '=', 'B').executeTakeFirstOrThrow();
    const hourOfB = hours.find((h) => h.hour === '2026-03-02T01')!;
    expect([hourOfB.download_bytes, hourOfB.upload_bytes]).toEqual([raw.output_bytes, raw.input_bytes]);
    const hourly = await t.call('usage.hourly', { serviceId, day: '2026-03-02' });
    expect(hourly.hours).toHaveLength(24);
    expect(hourly.hours[1]).toEqual({ hour: '2026-03-02T01:00:00.000Z', downloadBytes: 2 * WRAP + 7, uploadBytes: 300 });
  });

  it('keeps stopped sessions out of the live ones, and says when the service was last seen', async () => {
    const [p] = await t.call('usage.presence', { serviceIds: [serviceId] });
    expect(p).toEqual({ serviceId, online: false, onlineSince: null, lastSeenAt: '2026-03-02T01:20:00.000Z' });
    const live = await t.backend.datastore.db.selectFrom('usage_live_sessions').select('login').execute();
    expect(live.map((l) => l.login)).toEqual(['marina-7']);
  });

  it('totals a hotspot user\'s time and bytes across reports, once', async () => {
    const row = await t.backend.datastore.db
      .selectFrom('usage_hotspot_totals as u')
      .innerJoin('hotspot_users as h', 'h.id', 'u.hotspot_user_id')
      .select(['u.session_seconds', 'u.download_bytes', 'u.upload_bytes'])
      .where('h.login', '=', 'marina-7')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ session_seconds: 600, download_bytes: 9_000, upload_bytes: 1_000 });
  });

  it('gives the subscription\'s month total per service', async () => {
    const m = await t.call('usage.month', { subscriptionId, day: '2026-03-15' });
    expect(m).toMatchObject({ from: '2026-03-01', to: '2026-03-31', downloadBytes: download, uploadBytes: upload });
    expect(m.services).toEqual([{ serviceId, login: 'wrapper', planName: expect.any(String), downloadBytes: download, uploadBytes: upload, capBytes: null }]);
  });

  it('refuses a range that ends before it starts, naming the field', async () => {
    const e = await t.fail('usage.daily', { serviceId, from: '2026-03-05', to: '2026-03-01' });
    expect(e.code).toBe('validation');
    expect(e.fields).toHaveProperty('to');
  });
});
