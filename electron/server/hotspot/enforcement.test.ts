import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../test/fixtures/backend';
import { makeHotspotPlan, makeRouter, makeSubscription } from '../../../test/fixtures/factories';
import { radclient } from '../../../test/radius/peers';
import { BYTES_PER_MB } from '../../../shared/domain/hotspot';
import { startRadiusServer, type RadiusServer } from '../network/radius/server';

/** Vouchers logging in through the built-in RADIUS server, as a MikroTik hotspot would: radclient on loopback. */
const SECRET = 'hotspot-secret-7';
let t: TestBackend;
let server: RadiusServer;
let timed: { id: number; login: string };
let capped: { id: number; login: string };

const auth = (login: string, password = login) => radclient(server.authPort, 'auth', SECRET, [`User-Name = ${login}`, `User-Password = ${password}`, 'Message-Authenticator = 0x00']);
const acct = (lines: string[]) => radclient(server.acctPort, 'acct', SECRET, lines);

beforeAll(async () => {
  t = await testBackend();
  await makeRouter(t, { address: '127.0.0.1', radiusSecret: SECRET });
  const sub = await makeSubscription(t);
  const hourPass = await makeHotspotPlan(t, { name: 'Hour pass', timeLimitMinutes: 60, dataLimitMb: 2048, downloadKbps: 10_000, uploadKbps: 2_000, validityDays: 1 });
  const dataPass = await makeHotspotPlan(t, { name: '5 MB pass', timeLimitMinutes: null, dataLimitMb: 5, downloadKbps: 5_000, uploadKbps: 1_000, validityDays: 7 });
  timed = (await t.call('vouchers.generateBatch', { subscriptionId: sub.id, hotspotPlanId: hourPass.id, count: 1, prefix: 'HR' })).vouchers[0]!;
  capped = (await t.call('vouchers.generateBatch', { subscriptionId: sub.id, hotspotPlanId: dataPass.id, count: 1, prefix: 'MB' })).vouchers[0]!;
  server = await startRadiusServer(t.backend, { authPort: 0, acctPort: 0, heartbeatMs: 100, log: () => {} });
});

afterAll(async () => {
  await server?.stop();
  await t?.close();
});

describe('hotspot vouchers the network enforces (radclient against the built-in RADIUS server)', () => {
  it('accepts a voucher with its code as password, with its time, data and speed limits', async () => {
    const r = await auth(timed.login);
    expect(r.reply, r.stdout + r.stderr).toBe('Access-Accept');
    expect(r.attributes['Session-Timeout']).toBe('3600');
    expect(r.attributes['Mikrotik-Total-Limit']).toBe(String((2048 * BYTES_PER_MB) % 2 ** 32));
    expect(r.attributes['Mikrotik-Rate-Limit']).toBe('2M/10M');
    expect((await auth(timed.login, 'not-the-code')).reply).toBe('Access-Reject');
  });

  it('counts time across sessions, then refuses the voucher and shows it Expired once its hour is used', async () => {
    const session = (id: string, type: string, seconds: number) => acct([`User-Name = ${timed.login}`, `Acct-Session-Id = "${id}"`, `Acct-Status-Type = ${type}`, `Acct-Session-Time = ${seconds}`, 'Acct-Input-Octets = 1000', 'Acct-Output-Octets = 50000']);
    expect((await session('hr-1', 'Start', 0)).reply).toBe('Accounting-Response');
    expect((await session('hr-1', 'Stop', 2400)).reply).toBe('Accounting-Response');
    const again = await auth(timed.login);
    expect(again.reply).toBe('Access-Accept');
    expect(again.attributes['Session-Timeout']).toBe(String(3600 - 2400));
    let shown = await t.call('hotspotUsers.get', { id: timed.id });
    expect(shown.firstUsedAt).not.toBeNull();
    expect(shown.state).toMatchObject({ status: 'Active', timeLeftSeconds: 1200 });
    // The second session's Interim-Update uses the rest: stored Expired at once, login refused.
    expect((await session('hr-2', 'Start', 0)).reply).toBe('Accounting-Response');
    expect((await session('hr-2', 'Interim-Update', 1200)).reply).toBe('Accounting-Response');
    expect((await auth(timed.login)).reply).toBe('Access-Reject');
    shown = await t.call('hotspotUsers.get', { id: timed.id });
    expect(shown.status).toBe('Expired');
    expect(shown.state).toMatchObject({ status: 'Expired', reason: 'Time used up', timeLeftSeconds: 0 });
    expect(await t.call('hotspotUsers.history', { id: timed.id })).toMatchObject([{ fromStatus: 'Active', toStatus: 'Expired', reason: 'Time used up', actor: 'RADIUS accounting' }]);
  });

  it('refuses a data voucher once download plus upload reach its limit, and shows it Expired', async () => {
    const first = await auth(capped.login);
    expect(first.reply).toBe('Access-Accept');
    expect(first.attributes['Mikrotik-Total-Limit']).toBe(String(5 * BYTES_PER_MB));
    // 7 days' validity from this first login bounds the session.
    expect(first.attributes['Session-Timeout']).toBe(String(7 * 86_400));
    const lines = (type: string, input: number, output: number) => [`User-Name = ${capped.login}`, 'Acct-Session-Id = "mb-1"', `Acct-Status-Type = ${type}`, 'Acct-Session-Time = 300', `Acct-Input-Octets = ${input}`, `Acct-Output-Octets = ${output}`];
    expect((await acct(lines('Start', 0, 0))).reply).toBe('Accounting-Response');
    expect((await acct(lines('Interim-Update', BYTES_PER_MB, 2 * BYTES_PER_MB))).reply).toBe('Accounting-Response');
    const partway = await auth(capped.login);
    expect(partway.attributes['Mikrotik-Total-Limit']).toBe(String(2 * BYTES_PER_MB));
    expect((await acct(lines('Stop', BYTES_PER_MB, 4 * BYTES_PER_MB))).reply).toBe('Accounting-Response');
    expect((await auth(capped.login)).reply).toBe('Access-Reject');
    expect((await t.call('hotspotUsers.get', { id: capped.id })).state).toMatchObject({ status: 'Expired', reason: 'Data used up', dataLeftBytes: 0 });
  });
});
