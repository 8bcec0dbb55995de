import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../../test/fixtures/backend';
import { makeHotspotPlan, makeNetwork, makePlan, makeRouter, makeService, makeSubscription } from '../../../../test/fixtures/factories';
import { radclient } from '../../../../test/radius/peers';
import { Code, attr, checkMessageAuthenticator, decode, encodeAccessRequest, encodeSignedRequest, verifyResponse, type OutAttribute } from './codec';
import { startRadiusServer, type RadiusServer } from './server';

const SECRET = 'tower-secret-1';
let t: TestBackend;
let server: RadiusServer;
let suspendedSubscriptionId: number;

/** Sends one datagram and waits for one answer (or null after the timeout). */
function exchange(port: number, packet: Buffer, timeoutMs = 500): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => (s.close(), resolve(null)), timeoutMs);
    s.on('message', (m) => (clearTimeout(timer), s.close(), resolve(m)));
    s.send(packet, port, '127.0.0.1');
  });
}

beforeAll(async () => {
  t = await testBackend();
  const router = await makeRouter(t, { address: '127.0.0.1', radiusSecret: SECRET });
  await makeNetwork(t, { cidr: '100.64.0.0/24', kind: 'permanent', gateway: '100.64.0.1', routerId: router.id });
  const plan = await makePlan(t, { downloadKbps: 50_000, uploadKbps: 10_000 });
  const burstPlan = await makePlan(t, { downloadKbps: 20_000, uploadKbps: 4_000, burstDownloadKbps: 40_000, burstUploadKbps: 8_000, burstThresholdPercent: 75, burstTimeSeconds: 16 });
  await makeService(t, { login: 'alice', password: 'alice-pw', planId: plan.id, routerId: router.id, ipv4Assignment: 'permanent', ipv4Address: '100.64.0.10' });
  await makeService(t, { login: 'bob', password: 'bob-pw', planId: burstPlan.id, routerId: router.id });
  const suspended = await makeSubscription(t);
  suspendedSubscriptionId = suspended.id;
  await makeService(t, { login: 'carol', password: 'carol-pw', planId: plan.id, subscriptionId: suspended.id, routerId: router.id });
  await t.call('subscriptions.setStatus', { id: suspended.id, status: 'Suspended', reason: 'Unpaid' });
  await makeService(t, { login: 'dave', password: 'dave-pw', planId: plan.id, status: 'Disabled' });
  const sub = await makeSubscription(t);
  const hp = await makeHotspotPlan(t, { timeLimitMinutes: 60, dataLimitMb: 5000, downloadKbps: 10_000, uploadKbps: 2_000, validityDays: 1 });
  await t.call('hotspotUsers.create', { subscriptionId: sub.id, hotspotPlanId: hp.id, login: 'guest1', password: 'g-pw' });
  server = await startRadiusServer(t.backend, { authPort: 0, acctPort: 0, heartbeatMs: 100, log: () => {} });
});

afterAll(async () => {
  await server?.stop();
  await t?.close();
});

describe('the built-in RADIUS server answering radclient', () => {
  it('accepts a PAP login with its permanent address and the plan\'s rate limit, signed with a Message-Authenticator', async () => {
    const r = await radclient(server.authPort, 'auth', SECRET, ['User-Name = alice', 'User-Password = alice-pw', 'Message-Authenticator = 0x00']);
    expect(r.reply, r.stdout + r.stderr).toBe('Access-Accept');
    expect(r.attributes['Framed-IP-Address']).toBe('100.64.0.10');
    expect(r.attributes['Mikrotik-Rate-Limit']).toBe('10M/50M');
    expect(r.attributes['Message-Authenticator']).toBeDefined();
    expect(r.attributes['Mikrotik-Address-List']).toBeUndefined();
  });

  it('sends burst rates, thresholds and times in RouterOS syntax', async () => {
    const r = await radclient(server.authPort, 'auth', SECRET, ['User-Name = bob', 'User-Password = bob-pw', 'Message-Authenticator = 0x00']);
    expect(r.reply).toBe('Access-Accept');
    expect(r.attributes['Mikrotik-Rate-Limit']).toBe('4M/20M 8M/40M 3M/15M 16/16');
  });

  it('accepts a CHAP login', async () => {
    const r = await radclient(server.authPort, 'auth', SECRET, ['User-Name = alice', 'CHAP-Password = alice-pw', 'Message-Authenticator = 0x00']);
    expect(r.reply, r.stdout).toBe('Access-Accept');
    expect(r.attributes['Framed-IP-Address']).toBe('100.64.0.10');
  });

  it('rejects a wrong password (PAP and CHAP) and an unknown login', async () => {
    const before = server.counters();
    expect((await radclient(server.authPort, 'auth', SECRET, ['User-Name = alice', 'User-Password = nope', 'Message-Authenticator = 0x00'])).reply).toBe('Access-Reject');
    expect((await radclient(server.authPort, 'auth', SECRET, ['User-Name = alice', 'CHAP-Password = nope', 'Message-Authenticator = 0x00'])).reply).toBe('Access-Reject');
    expect((await radclient(server.authPort, 'auth', SECRET, ['User-Name = nobody', 'User-Password = x', 'Message-Authenticator = 0x00'])).reply).toBe('Access-Reject');
    const after = server.counters();
    expect(after.rejected.wrongPassword - before.rejected.wrongPassword).toBe(2);
    expect(after.rejected.unknownLogin - before.rejected.unknownLogin).toBe(1);
  });

  it('does not answer a request signed with the wrong secret, and counts it', async () => {
    const before = server.counters().dropped.badAuthenticator;
    const r = await radclient(server.authPort, 'auth', 'not-the-secret', ['User-Name = alice', 'User-Password = alice-pw', 'Message-Authenticator = 0x00'], { retries: 1, timeoutS: 0.5 });
    expect(r.reply).toBeNull();
    expect(server.counters().dropped.badAuthenticator - before).toBeGreaterThanOrEqual(1);
  });

  it('drops an Access-Request without a Message-Authenticator by default, and answers it once the setting allows', async () => {
    const before = server.counters().dropped.missingMessageAuthenticator;
    const r = await radclient(server.authPort, 'auth', SECRET, ['User-Name = alice', 'User-Password = alice-pw'], { retries: 1, timeoutS: 0.5 });
    expect(r.reply).toBeNull();
    expect(server.counters().dropped.missingMessageAuthenticator - before).toBeGreaterThanOrEqual(1);
    await t.call('radius.updateSettings', { requireMessageAuthenticator: false });
    try {
      const again = await radclient(server.authPort, 'auth', SECRET, ['User-Name = alice', 'User-Password = alice-pw']);
      expect(again.reply).toBe('Access-Accept');
    } finally {
      await t.call('radius.updateSettings', { requireMessageAuthenticator: true });
    }
  });

  it('puts a suspended subscriber in the towerline-suspended address list, or rejects it per setting', async () => {
    const listed = await radclient(server.authPort, 'auth', SECRET, ['User-Name = carol', 'User-Password = carol-pw', 'Message-Authenticator = 0x00']);
    expect(listed.reply).toBe('Access-Accept');
    expect(listed.attributes['Mikrotik-Address-List']).toBe('towerline-suspended');
    await t.call('radius.updateSettings', { suspendedAnswer: 'reject' });
    try {
      expect((await radclient(server.authPort, 'auth', SECRET, ['User-Name = carol', 'User-Password = carol-pw', 'Message-Authenticator = 0x00'])).reply).toBe('Access-Reject');
    } finally {
      await t.call('radius.updateSettings', { suspendedAnswer: 'address-list' });
    }
    // Reactivated: served with its plan again, out of the list.
    await t.call('subscriptions.setStatus', { id: suspendedSubscriptionId, status: 'Active' });
    const back = await radclient(server.authPort, 'auth', SECRET, ['User-Name = carol', 'User-Password = carol-pw', 'Message-Authenticator = 0x00']);
    expect(back.reply).toBe('Access-Accept');
    expect(back.attributes['Mikrotik-Address-List']).toBeUndefined();
    expect(back.attributes['Mikrotik-Rate-Limit']).toBe('10M/50M');
  });

  it('rejects a Disabled service', async () => {
    expect((await radclient(server.authPort, 'auth', SECRET, ['User-Name = dave', 'User-Password = dave-pw', 'Message-Authenticator = 0x00'])).reply).toBe('Access-Reject');
  });

  it('accepts a hotspot user with its plan\'s time, data and speed limits', async () => {
    const r = await radclient(server.authPort, 'auth', SECRET, ['User-Name = guest1', 'User-Password = g-pw', 'Message-Authenticator = 0x00']);
    expect(r.reply).toBe('Access-Accept');
    expect(r.attributes['Session-Timeout']).toBe('3600');
    expect(r.attributes['Mikrotik-Total-Limit']).toBe(String((5_000 * 1_048_576) % 2 ** 32));
    expect(r.attributes['Mikrotik-Total-Limit-Gigawords']).toBe('1');
    expect(r.attributes['Mikrotik-Rate-Limit']).toBe('2M/10M');
  });

  it('stores radclient\'s accounting as a session and acknowledges it', async () => {
    const r = await radclient(server.acctPort, 'acct', SECRET, ['User-Name = alice', 'Acct-Status-Type = Start', 'Acct-Session-Id = "rc-1"', 'Framed-IP-Address = 100.64.0.10']);
    expect(r.reply, r.stdout + r.stderr).toBe('Accounting-Response');
    const online = await t.call('radius.sessions', { login: 'alice' });
    expect(online.rows.map((s) => s.acctSessionId)).toContain('rc-1');
  });
});

describe('the built-in RADIUS server, packet by packet', () => {
  const acct = (attributes: OutAttribute[]) => encodeSignedRequest(Code.AccountingRequest, 1, attributes, SECRET);

  it('counts accounting once however often and in whatever order it arrives, with gigawords', async () => {
    const base: OutAttribute[] = [['User-Name', 'guest1'], ['Acct-Session-Id', 'sess-42']];
    const start = acct([...base, ['Acct-Status-Type', 1]]);
    const interim = acct([...base, ['Acct-Status-Type', 3], ['Acct-Session-Time', 600], ['Acct-Input-Octets', 100], ['Acct-Output-Octets', 5], ['Acct-Output-Gigawords', 1]]);
    const stop = acct([...base, ['Acct-Status-Type', 2], ['Acct-Session-Time', 900], ['Acct-Input-Octets', 200], ['Acct-Output-Octets', 10], ['Acct-Output-Gigawords', 1], ['Acct-Terminate-Cause', 1]]);
    // Stop before Interim, everything twice.
    for (const p of [start, stop, interim, start, interim, stop]) {
      const answer = await exchange(server.acctPort, p);
      expect(answer).not.toBeNull();
      expect(verifyResponse(answer!, p.subarray(4, 20), SECRET)).toBe(true);
      expect(checkMessageAuthenticator(answer!, SECRET, Buffer.alloc(16))).toBe('valid');
    }
    const rows = await t.backend.datastore.db.selectFrom('radius_sessions').selectAll().where('acct_session_id', '=', 'sess-42').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ session_seconds: 900, input_bytes: 200, output_bytes: 2 ** 32 + 10, terminate_cause: 'User-Request' });
    expect(rows[0]!.stopped_at).not.toBeNull();
    // The voucher's first use is marked, and its used time counts against the next login.
    const r = await radclient(server.authPort, 'auth', SECRET, ['User-Name = guest1', 'User-Password = g-pw', 'Message-Authenticator = 0x00']);
    expect(r.attributes['Session-Timeout']).toBe(String(3600 - 900));
    const user = await t.backend.datastore.db.selectFrom('hotspot_users').select('first_used_at').where('login', '=', 'guest1').executeTakeFirstOrThrow();
    expect(user.first_used_at).not.toBeNull();
  });

  it('drops accounting whose Request Authenticator is wrong', async () => {
    const p = acct([['User-Name', 'alice'], ['Acct-Session-Id', 'x'], ['Acct-Status-Type', 1]]);
    p[5]! ^= 0xff;
    const before = server.counters().dropped.badAuthenticator;
    expect(await exchange(server.acctPort, p, 300)).toBeNull();
    expect(server.counters().dropped.badAuthenticator).toBe(before + 1);
  });

  it('keeps answering after 10,000 random and mutated datagrams, each dropped and counted', async () => {
    const good = encodeAccessRequest(1, randomBytes(16), [['User-Name', 'alice'], ['User-Password', 'alice-pw']], SECRET);
    const s = dgram.createSocket('udp4');
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 10_000; i++) {
      const b = i % 2 ? Buffer.from(good) : randomBytes(Math.floor(rand() * 100));
      if (i % 2) for (let f = 0; f < 3; f++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      s.send(b, i % 3 ? server.authPort : server.acctPort, '127.0.0.1');
      if (i % 200 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    // Until the server has read everything the kernel kept for it.
    const seen = () => server.counters().authRequests + server.counters().acctRequests;
    for (let last = -1; seen() !== last; ) {
      last = seen();
      await new Promise((r) => setTimeout(r, 200));
    }
    s.close();
    const c = server.counters();
    expect(c.dropped.internal).toBe(0);
    expect(c.dropped.malformed + c.dropped.badAuthenticator + c.dropped.wrongPort).toBeGreaterThan(1000);
    const p = encodeAccessRequest(2, randomBytes(16), [['User-Name', 'alice'], ['User-Password', 'alice-pw']], SECRET);
    const answer = await exchange(server.authPort, p, 3000);
    expect(answer, JSON.stringify(server.counters())).not.toBeNull();
    const d = decode(answer!);
    expect(d.ok && d.packet.code).toBe(Code.AccessAccept);
    expect(d.ok && attr(d.packet, 'Framed-IP-Address')).toBe('100.64.0.10');
  });

  it('reports its state and counters through radius.status', async () => {
    await new Promise((r) => setTimeout(r, 250));
    const status = await t.call('radius.status');
    expect(status.listening).toBe(true);
    expect(status.authPort).toBe(server.authPort);
    expect(status.counters.accepts).toBeGreaterThan(3);
    expect(status.counters.dropped.badAuthenticator).toBeGreaterThan(0);
  });
});
