import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../../test/fixtures/backend';
import { makePlan, makeRouter, makeService, makeSubscription } from '../../../../test/fixtures/factories';
import type { ServiceLogin } from './answer';
import { Code, attr, decode, encodeAccessRequest } from './codec';
import { ServiceLoginCache } from './login-cache';
import { startRadiusServer, type RadiusServer } from './server';

const SECRET = 'cache-secret-9';
let t: TestBackend;
let server: RadiusServer;

function ask(login: string, password: string): Promise<{ code: number; rateLimit?: string; addressList?: string } | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => (s.close(), resolve(null)), 1000);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      const d = decode(m);
      if (!d.ok) return resolve(null);
      resolve({ code: d.packet.code, rateLimit: attr(d.packet, 'Mikrotik-Rate-Limit') as string | undefined, addressList: attr(d.packet, 'Mikrotik-Address-List') as string | undefined });
    });
    s.send(encodeAccessRequest(7, randomBytes(16), [['User-Name', login], ['User-Password', password]], SECRET), server.authPort, '127.0.0.1');
  });
}

beforeAll(async () => {
  t = await testBackend();
  await makeRouter(t, { address: '127.0.0.1', radiusSecret: SECRET });
  server = await startRadiusServer(t.backend, { authPort: 0, acctPort: 0, heartbeatMs: 50, log: () => {} });
});

afterAll(async () => {
  await server?.stop();
  await t?.close();
});

describe('the RADIUS server\'s logins in memory', () => {
  it('answers every office edit from the very next request: new service, password, login, plan speed, status, deletion', async () => {
    const plan = await makePlan(t, { downloadKbps: 20_000, uploadKbps: 5_000 });
    const sub = await makeSubscription(t);
    const svc = await makeService(t, { login: 'erin', password: 'erin-pw', planId: plan.id, subscriptionId: sub.id });
    expect(await ask('erin', 'erin-pw')).toMatchObject({ code: Code.AccessAccept, rateLimit: '5M/20M' });

    await t.call('services.update', { id: svc.id, password: 'erin-new' });
    expect((await ask('erin', 'erin-pw'))?.code).toBe(Code.AccessReject);
    expect((await ask('erin', 'erin-new'))?.code).toBe(Code.AccessAccept);

    await t.call('services.update', { id: svc.id, login: 'erin2' });
    const unknownBefore = server.counters().rejected.unknownLogin;
    expect((await ask('erin', 'erin-new'))?.code).toBe(Code.AccessReject);
    expect(server.counters().rejected.unknownLogin).toBe(unknownBefore + 1);
    expect((await ask('erin2', 'erin-new'))?.code).toBe(Code.AccessAccept);

    await t.call('plans.update', { id: plan.id, downloadKbps: 40_000 });
    expect(await ask('erin2', 'erin-new')).toMatchObject({ code: Code.AccessAccept, rateLimit: '5M/40M' });

    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Suspended', reason: 'Unpaid' });
    expect(await ask('erin2', 'erin-new')).toMatchObject({ code: Code.AccessAccept, addressList: 'towerline-suspended' });
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Active' });
    expect((await ask('erin2', 'erin-new'))?.addressList).toBeUndefined();

    await t.call('services.update', { id: svc.id, status: 'Disabled' });
    expect((await ask('erin2', 'erin-new'))?.code).toBe(Code.AccessReject);

    await t.call('services.delete', { id: svc.id });
    expect((await ask('erin2', 'erin-new'))?.code).toBe(Code.AccessReject);
    expect(server.counters().rejected.unknownLogin).toBe(unknownBefore + 2);
  });

  it('answers a login created after an unknown-login reject (nobody\'s logins are forgotten at the next commit)', async () => {
    const plan = await makePlan(t, { downloadKbps: 10_000, uploadKbps: 2_000 });
    expect((await ask('frank', 'frank-pw'))?.code).toBe(Code.AccessReject);
    await makeService(t, { login: 'frank', password: 'frank-pw', planId: plan.id });
    expect((await ask('frank', 'frank-pw'))?.code).toBe(Code.AccessAccept);
  });

  it('prunes the change log it has read', async () => {
    const plan = await makePlan(t, { downloadKbps: 10_000, uploadKbps: 2_000 });
    await makeService(t, { login: 'gina', password: 'gina-pw', planId: plan.id });
    expect((await ask('gina', 'gina-pw'))?.code).toBe(Code.AccessAccept);
    const count = async () => Number((await t.backend.datastore.db.selectFrom('radius_login_changes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const deadline = Date.now() + 3000;
    while ((await count()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(await count()).toBe(0);
    // Ids never go back once pruned (AUTOINCREMENT): the next edit is still seen.
    await makeService(t, { login: 'hank', password: 'hank-pw', planId: plan.id });
    expect((await ask('hank', 'hank-pw'))?.code).toBe(Code.AccessAccept);
  });
});

describe('ServiceLoginCache', () => {
  const record = (serviceId: number, password: string): ServiceLogin => ({
    kind: 'service', serviceId, password, serviceStatus: 'Active', subscriptionStatus: 'Active', routerId: null, permanentIp: null, pool: null,
    plan: { downloadKbps: null, uploadKbps: null, burstDownloadKbps: null, burstUploadKbps: null, burstThresholdPercent: null, burstTimeSeconds: null, priority: null },
  });

  it('follows two services swapping logins in one commit, and drops a service that lost its login', () => {
    const cache = new ServiceLoginCache();
    cache.load({ cursor: 3, changedIds: [1, 2, 3], records: [['a', record(1, 'p1')], ['b', record(2, 'p2')], ['c', record(3, 'p3')]] });
    cache.apply({ cursor: 5, changedIds: [1, 2, 3], records: [['b', record(1, 'p1')], ['a', record(2, 'p2')]] });
    expect(cache.get('a')?.serviceId).toBe(2);
    expect(cache.get('b')?.serviceId).toBe(1);
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size).toBe(2);
    expect(cache.cursor).toBe(5);
  });
});
