import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../../test/fixtures/backend';
import { makePlan, makeRouter, makeService, makeSubscription } from '../../../../test/fixtures/factories';
import { startTestNas, type TestNas } from '../../../../test/radius/nas';
import { captureLoopback, messageAuthenticatorMatches, readRadiusCapture } from '../../../../test/radius/peers';
import { startRouterOsTestServer, type RouterOsTestServer } from '../../../../test/routeros/server';
import { attr, Code } from './codec';
import { type DynamicOutbox, startRadiusDynamic } from './dynamic-outbox';

/**
 * The CoA / Disconnect outbox end to end: a change made through the API queues a request for each
 * live session in the same transaction; the worker delivers it to a NAS on 127.0.0.1 (ACK, NAK or
 * silence), falls back to the RouterOS API, records what happened, and keeps what failed for the
 * next try, across a restart.
 */
const SECRET = 'coa-outbox-secret';
let dir: string;
let nas: TestNas;
let ros: RouterOsTestServer;
let t: TestBackend | undefined;
let worker: DynamicOutbox | undefined;
let clock = new Date('2026-12-01T09:00:00Z');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'towerline-coa-outbox-'));
  nas = await startTestNas(SECRET);
  ros = await startRouterOsTestServer({ user: 'admin', password: 'api-pw' });
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await t?.close();
  t = undefined;
  clock = new Date('2026-12-01T09:00:00Z');
});

afterAll(async () => {
  await nas?.close();
  await ros?.close();
  rmSync(dir, { recursive: true, force: true });
});

const start = (backend: TestBackend) =>
  startRadiusDynamic(backend.backend, { pollMs: 60_000, now: () => clock, send: { attempts: 2, timeoutMs: 100 }, backoff: { baseMs: 60_000, maxMs: 600_000 } });

/** A router on 127.0.0.1 (the test NAS answers CoA; the RouterOS test server is its API) with a service online. */
async function setup(backend: TestBackend, options: { login: string; api?: boolean }) {
  await backend.call('radius.updateSettings', { coaPort: nas.port });
  const router = await makeRouter(backend, { address: '127.0.0.1', radiusSecret: SECRET, ...(options.api === false ? { apiUser: null } : { apiPort: ros.port, apiUser: 'admin', apiPassword: 'api-pw' }) });
  const plan = await makePlan(backend, { priceCents: 5000, downloadKbps: 50_000, uploadKbps: 10_000 });
  const sub = await makeSubscription(backend, { billDay: 1 });
  const service = await makeService(backend, { subscriptionId: sub.id, planId: plan.id, routerId: router.id, login: options.login, password: 'pw', startDate: '2026-12-01' });
  await backend.backend.datastore.db
    .insertInto('radius_sessions')
    .values({ nas_address: '127.0.0.1', router_id: router.id, acct_session_id: `sess-${options.login}`, login: options.login, service_id: service.id, started_at: '2026-12-01T08:00:00.000Z', updated_at: '2026-12-01T08:00:00.000Z' })
    .execute();
  return { router, plan, sub, service };
}

const outbox = (backend: TestBackend) => backend.backend.datastore.db.selectFrom('radius_dynamic_outbox').selectAll().orderBy('id').execute();
const log = (backend: TestBackend) => backend.backend.datastore.db.selectFrom('radius_dynamic_log').selectAll().orderBy('id').execute();

describe('the CoA / Disconnect outbox', () => {
  it('queues a CoA with a plan change for a service online only, and the worker delivers the new rate (ACK)', async () => {
    t = await testBackend({ now: () => clock });
    const { service } = await setup(t, { login: 'coa-plan' });
    const offline = await makeService(t, { login: 'coa-offline', password: 'pw' });
    const faster = await makePlan(t, { downloadKbps: 100_000, uploadKbps: 20_000 });
    await t.call('services.update', { id: service.id, planId: faster.id });
    await t.call('services.update', { id: offline.id, planId: faster.id });
    expect((await outbox(t)).map((o) => [o.service_id, o.kind, o.reason])).toEqual([[service.id, 'coa', `Service ${service.id} plan changed`]]);

    nas.behaviour = 'ack';
    const before = nas.received.length;
    worker = start(t);
    await worker.runNow();
    const sent = nas.received.slice(before);
    expect(sent.map((p) => p.code)).toEqual([Code.CoaRequest]);
    expect(attr(sent[0]!, 'Mikrotik-Rate-Limit')).toBe('20M/100M');
    expect(attr(sent[0]!, 'Acct-Session-Id')).toBe('sess-coa-plan');
    expect(await outbox(t)).toEqual([]);
    expect((await log(t)).map((l) => [l.service_id, l.kind, l.outcome, l.done, l.fallback])).toEqual([[service.id, 'coa', 'ack', 1, null]]);
  });

  it('sends the dunning throttle rate, which tshark decodes with a valid Message-Authenticator, and the plan rate after payment', async () => {
    t = await testBackend({ now: () => clock });
    await t.call('billingSettings.update', { paymentTermsDays: 10 });
    await t.call('dunning.updateSettings', { enabled: true, graceDays: 20, minimumOverdueCents: 1000, noCutoffWeekdays: ['Sat', 'Sun'], throttleDays: 3, throttleRate: '512k/1M' });
    const { sub, service } = await setup(t, { login: 'coa-dunning' });
    await t.call('billing.run', { date: '2026-12-01', wait: true });
    const [open] = await t.call('invoices.listBySubscription', { subscriptionId: sub.id });
    await t.call('invoices.close', { id: open!.id, date: '2026-12-01' });
    await t.backend.datastore.db.deleteFrom('radius_dynamic_outbox').execute();

    clock = new Date('2026-12-15T09:00:00Z');
    expect((await t.call('dunning.run', {})).moves.map((m) => m.to)).toEqual(['throttle']);
    expect((await outbox(t)).map((o) => [o.service_id, o.kind, o.reason])).toEqual([[service.id, 'coa', 'Throttled for non-payment']]);

    nas.behaviour = 'ack';
    const capture = await captureLoopback(nas.port, join(dir, 'throttle.pcap'));
    worker = start(t);
    await worker.runNow();
    const file = await capture.stop();
    const verbose = readRadiusCapture(file, nas.port, SECRET, ['-V']);
    expect(verbose).toContain('Code: CoA-Request (43)');
    expect(verbose).toContain('Code: CoA-ACK (44)');
    expect(verbose).toContain('User-Name: coa-dunning');
    expect(verbose).toContain('Acct-Session-Id: sess-coa-dunning');
    expect(verbose).toContain('Mikrotik-Rate-Limit: 512k/1M');
    const [request, ack] = readRadiusCapture(file, nas.port, SECRET, ['-T', 'fields', '-E', 'separator=|', '-e', 'radius.code', '-e', 'radius.authenticator.valid', '-e', 'udp.payload'])
      .trim()
      .split('\n')
      .map((line) => line.split('|'));
    expect(request![0]).toBe(String(Code.CoaRequest));
    expect(messageAuthenticatorMatches(request![2]!, SECRET)).toBe(true);
    // tshark checked the ACK's Response Authenticator against the request, with the secret.
    expect(ack![1]).toBe('1');
    expect(await outbox(t)).toEqual([]);

    await t.call('payments.record', { subscriptionId: sub.id, method: 'cash', receivedDate: '2026-12-15', amountCents: 5000 });
    expect((await outbox(t)).map((o) => o.reason)).toEqual(['No longer throttled for non-payment']);
    const before = nas.received.length;
    await worker.runNow();
    expect(nas.received.slice(before).map((p) => attr(p, 'Mikrotik-Rate-Limit'))).toEqual(['10M/50M']);
  });

  it('sends a data-cap throttle as a CoA and its lifting as another, to the router\'s own CoA port', async () => {
    t = await testBackend({ now: () => clock });
    const { service, router } = await setup(t, { login: 'coa-cap' });
    // The settings' port is wrong for this router; its own port wins.
    await t.call('radius.updateSettings', { coaPort: 9 });
    expect(await t.call('routers.update', { id: router.id, coaPort: nas.port })).toMatchObject({ coaPort: nas.port });
    const db = t.backend.datastore.db;
    await db.deleteFrom('radius_dynamic_outbox').execute();
    const { id } = await db
      .insertInto('usage_cap_actions')
      .values({ service_id: service.id, period: '2026-12', action: 'throttle', throttle_rate: '1M/2M', used_bytes: 200, cap_bytes: 100, previous_status: null, applied_at: '2026-12-01T09:00:00.000Z', lifted_at: null, lift_reason: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    nas.behaviour = 'ack';
    worker = start(t);
    let before = nas.received.length;
    await worker.runNow();
    expect(nas.received.slice(before).map((p) => attr(p, 'Mikrotik-Rate-Limit'))).toEqual(['1M/2M']);
    await db.updateTable('usage_cap_actions').set({ lifted_at: '2027-01-01T00:00:00.000Z', lift_reason: 'New month' }).where('id', '=', id).execute();
    before = nas.received.length;
    await worker.runNow();
    expect(nas.received.slice(before).map((p) => attr(p, 'Mikrotik-Rate-Limit'))).toEqual(['10M/50M']);
  });

  it('disconnects a suspended subscriber; a silent NAS falls back to removing /ppp/active through the RouterOS API', async () => {
    t = await testBackend({ now: () => clock });
    const { sub, service } = await setup(t, { login: 'coa-suspend' });
    await t.backend.datastore.db.deleteFrom('radius_dynamic_outbox').execute();
    ros.menu('/ppp/active').clear();
    ros.menu('/ppp/active').add({ name: 'coa-suspend', address: '100.64.3.3' });
    ros.menu('/ppp/active').add({ name: 'someone-else', address: '100.64.3.4' });
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Suspended', reason: 'By hand' });
    expect((await outbox(t)).map((o) => [o.service_id, o.kind])).toEqual([[service.id, 'disconnect']]);

    nas.behaviour = 'silent';
    const before = nas.received.length;
    worker = start(t);
    await worker.runNow();
    // Two tries of the same packet, then the API.
    expect(nas.received.slice(before).map((p) => p.code)).toEqual([Code.DisconnectRequest, Code.DisconnectRequest]);
    expect(ros.menu('/ppp/active').list().map((a) => a.name)).toEqual(['someone-else']);
    expect(await outbox(t)).toEqual([]);
    const [entry] = await log(t);
    expect(entry).toMatchObject({ service_id: service.id, kind: 'disconnect', outcome: 'timeout', done: 1, fallback: 'Removed 1 active session(s) through the API', nas_address: '127.0.0.1' });
    expect(entry!.reason).toContain('Active → Suspended');
  });

  it('falls back over TLS to a router set to API over TLS, never asking it in clear', async () => {
    const secure = await startRouterOsTestServer({ user: 'admin', password: 'api-pw', tls: true });
    try {
      t = await testBackend({ now: () => clock });
      const { router, sub } = await setup(t, { login: 'coa-tls' });
      await t.call('routers.update', { id: router.id, apiPort: secure.port, apiTls: true });
      secure.menu('/ppp/active').add({ name: 'coa-tls', address: '100.64.3.5' });
      await t.backend.datastore.db.deleteFrom('radius_dynamic_outbox').execute();
      await t.call('subscriptions.setStatus', { id: sub.id, status: 'Suspended', reason: 'By hand' });

      nas.behaviour = 'silent';
      worker = start(t);
      await worker.runNow();
      expect(secure.menu('/ppp/active').list()).toEqual([]);
      const [entry] = await log(t);
      expect(entry).toMatchObject({ kind: 'disconnect', outcome: 'timeout', done: 1, fallback: 'Removed 1 active session(s) through the API' });
    } finally {
      await secure.close();
    }
  });

  it('keeps a request nobody could deliver as failed with the reason, shown in network.status and the Services tab, and delivers it after a restart', async () => {
    t = await testBackend({ now: () => clock });
    const { router, sub, service } = await setup(t, { login: 'coa-restart', api: false });
    await t.backend.datastore.db.deleteFrom('radius_dynamic_outbox').execute();
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Suspended', reason: 'By hand' });

    nas.behaviour = 'silent';
    worker = start(t);
    await worker.runNow();
    const [row] = await outbox(t);
    expect(row).toMatchObject({ service_id: service.id, kind: 'disconnect', attempts: 1, failed_at: clock.toISOString(), next_attempt_at: new Date(clock.getTime() + 60_000).toISOString() });
    expect(row!.last_error).toMatch(/^127\.0\.0\.1: No answer from 127\.0\.0\.1:\d+ after 2 tries; API fallback failed: /);

    const status = await t.call('network.status', { routerId: router.id });
    expect(status.dynamic.pending).toBe(0);
    expect(status.dynamic.failed).toMatchObject([{ serviceId: service.id, login: 'coa-restart', kind: 'disconnect', attempts: 1 }]);
    expect(status.dynamic.failed[0]!.message).toContain('No answer from 127.0.0.1');
    const [state] = await t.call('network.serviceStates', { subscriptionId: sub.id });
    expect(state).toMatchObject({ serviceId: service.id, state: 'failed' });
    expect(state!.message).toMatch(/^Disconnect not delivered \(Subscription .* Active → Suspended\): 127\.0\.0\.1: No answer/);

    // Not due yet: the backoff holds it.
    const before = nas.received.length;
    await worker.runNow();
    expect(nas.received.length).toBe(before);

    // The process stops; the queue is in the datastore and the next start delivers it.
    await worker.stop();
    worker = undefined;
    const dataDir = t.dataDir;
    await t.backend.close();
    t = await testBackend({ now: () => clock, dataDir });
    clock = new Date(clock.getTime() + 61_000);
    nas.behaviour = 'ack';
    worker = start(t);
    await worker.runNow();
    expect(nas.received.slice(before).map((p) => p.code)).toEqual([Code.DisconnectRequest]);
    expect(await outbox(t)).toEqual([]);
    expect((await log(t)).map((l) => [l.outcome, l.done])).toEqual([
      ['timeout', 0],
      ['ack', 1],
    ]);
    expect((await t.call('network.serviceStates', { subscriptionId: sub.id }))[0]!.state).toBe('not on a router');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('drops a queued request whose session ended meanwhile, and queues nothing once no session is live', async () => {
    t = await testBackend({ now: () => clock });
    const { service, sub } = await setup(t, { login: 'coa-ended' });
    const db = t.backend.datastore.db;
    await db.deleteFrom('radius_dynamic_outbox').execute();
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Suspended', reason: 'By hand' });
    await db.updateTable('radius_sessions').set({ stopped_at: '2026-12-01T08:30:00.000Z' }).where('service_id', '=', service.id).execute();
    const before = nas.received.length;
    worker = start(t);
    await worker.runNow();
    expect(nas.received.length).toBe(before);
    expect(await outbox(t)).toEqual([]);
    expect((await log(t)).map((l) => l.outcome)).toEqual(['no-session']);
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Active', reason: 'Paid' });
    expect(await outbox(t)).toEqual([]);
  });
});
