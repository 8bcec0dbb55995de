import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFreeradius, radclientAuth, startFreeradius } from '../../../../test/peers/freeradius';
import { type TestPostgres, startPostgres } from '../../../../test/peers/postgres';
import { type TestBackend, testBackend } from '../../../../test/fixtures/backend';
import { makeHotspotPlan, makeNetwork, makePlan, makeRouter, makeService, makeSubscription } from '../../../../test/fixtures/factories';
import { sqliteHandle } from '../../db/json-rows';
import { decide } from '../radius/answer';
import { createLookup } from '../radius/lookup';
import { startFreeradiusSync } from './job';

/**
 * Against a real PostgreSQL holding FreeRADIUS's stock schema and a real FreeRADIUS 3.2 reading
 * it (rlm_sql_postgresql, clients from the nas table), both started here on loopback ports.
 */
const STOCK_SCHEMA = '/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql';
const SECRET = 'tower-secret-1';

let pgServer: TestPostgres;
let radius: RunningFreeradius | undefined;
let t: TestBackend;
let client: pg.Client;
let alice: Awaited<ReturnType<typeof makeService>>;
let bob: Awaited<ReturnType<typeof makeService>>;
let planId: number;

const sync = () => t.call('freeradius.sync', {});
const auth = (user: string, password: string) => radclientAuth(radius!, SECRET, { 'User-Name': user, 'User-Password': password, 'NAS-IP-Address': '127.0.0.1' });
const foreignRows = async () => (await client.query(`select username, attribute, value from radcheck where username = 'carol' union all select groupname, attribute, value from radgroupreply where groupname = 'staff-wifi' union all select nasname, shortname, secret from nas where nasname = '192.0.2.50' order by 1, 2`)).rows;

beforeAll(async () => {
  pgServer = await startPostgres();
  client = new pg.Client({ connectionString: pgServer.connectionString });
  await client.connect();
  await client.query(readFileSync(STOCK_SCHEMA, 'utf8'));
  // The ISP's own rows, which Towerline must never touch.
  await client.query(`insert into radcheck (username, attribute, op, value) values ('carol', 'Cleartext-Password', ':=', 'carol-pw')`);
  await client.query(`insert into radgroupreply (groupname, attribute, op, value) values ('staff-wifi', 'Mikrotik-Rate-Limit', ':=', '1M/1M')`);
  await client.query(`insert into nas (nasname, shortname, secret) values ('192.0.2.50', 'old-ap', 'foreign')`);

  t = await testBackend();
  await makeRouter(t, { name: 'Loopback tower', address: '127.0.0.1', radiusSecret: SECRET });
  await makeNetwork(t);
  planId = (await makePlan(t, { downloadKbps: 25_000, uploadKbps: 5_000, qosMode: 'RADIUS rate limit' })).id;
  alice = await makeService(t, { planId, login: 'alice', password: 'alice-pw', ipv4Assignment: 'permanent', ipv4Address: '10.20.0.10', routedNetwork: '10.99.0.0/29' });
  bob = await makeService(t, { planId, login: 'bob', password: 'bob-pw' });
  await t.call('subscriptions.setStatus', { id: bob.subscriptionId, status: 'Suspended', reason: 'Unpaid' });
  const hotspotPlan = await makeHotspotPlan(t, { timeLimitMinutes: 60, downloadKbps: 10_000, uploadKbps: 2_000 });
  const owner = await makeSubscription(t);
  await t.call('hotspotUsers.create', { subscriptionId: owner.id, hotspotPlanId: hotspotPlan.id, login: 'guest7', password: 'g7' });
  await t.call('freeradius.updateSettings', { enabled: true, host: pgServer.host, port: pgServer.port, database: pgServer.database, user: pgServer.user, password: pgServer.password, suspendedAction: 'reject' });
}, 120_000);

afterAll(async () => {
  await radius?.stop();
  await client?.end();
  await t?.close();
  await pgServer?.stop();
});

describe('FreeRADIUS SQL provisioning', () => {
  it('provisions every served login, group and router from empty, leaving the ISP\'s own rows alone', async () => {
    const result = await sync();
    expect(result.error).toBeNull();
    expect(result).toMatchObject({ users: 3, clients: 1, updated: 0, deleted: 0 });
    expect(result.inserted).toBeGreaterThanOrEqual(9);
    const nas = await client.query(`select nasname, secret from nas order by nasname`);
    expect(nas.rows).toEqual([{ nasname: '127.0.0.1', secret: SECRET }, { nasname: '192.0.2.50', secret: 'foreign' }]);
    expect(await foreignRows()).toHaveLength(3);
    // The password is stored sealed in the datastore and reported only as present.
    expect(await t.call('freeradius.settings', {})).toMatchObject({ hasPassword: true });
  });

  it('writes nothing on a second sync', async () => {
    const result = await sync();
    expect(result).toMatchObject({ inserted: 0, updated: 0, deleted: 0, error: null });
    expect(result.unchanged).toBeGreaterThanOrEqual(9);
  });

  it('has FreeRADIUS accept a served login with its address, route and rate limit', async () => {
    // Clients come from the nas table Towerline just wrote: FreeRADIUS reads it at start.
    radius = await startFreeradius({ sql: { host: pgServer.host, port: pgServer.port, user: pgServer.user, password: pgServer.password, database: pgServer.database, readClients: true } });
    const answer = auth('alice', 'alice-pw');
    expect(answer.code, answer.raw).toBe('Access-Accept');
    expect(answer.attributes['Framed-IP-Address']).toEqual(['10.20.0.10']);
    expect(answer.attributes['Framed-Route']).toEqual(['10.99.0.0/29 0.0.0.0 1']);
    expect(answer.attributes['Mikrotik-Rate-Limit']).toEqual(['5M/25M']);
    expect(answer.attributes['Mikrotik-Address-List']).toBeUndefined();
  }, 60_000);

  it('has FreeRADIUS reject a wrong password and a suspended subscriber, and accept a hotspot user with its limits', () => {
    expect(auth('alice', 'wrong').code).toBe('Access-Reject');
    expect(auth('bob', 'bob-pw').code).toBe('Access-Reject');
    const guest = auth('guest7', 'g7');
    expect(guest.code, guest.raw).toBe('Access-Accept');
    expect(guest.attributes['Session-Timeout']).toEqual(['3600']);
    expect(guest.attributes['Mikrotik-Rate-Limit']).toEqual(['2M/10M']);
    // The ISP's own user still authenticates.
    expect(auth('carol', 'carol-pw').code).toBe('Access-Accept');
  });

  it('carries a plan speed change to PostgreSQL and to FreeRADIUS\'s answer, as one updated row', async () => {
    await t.call('plans.update', { id: planId, downloadKbps: 50_000, uploadKbps: 10_000 });
    const result = await sync();
    expect(result).toMatchObject({ inserted: 0, updated: 1, deleted: 0, error: null });
    expect(auth('alice', 'alice-pw').attributes['Mikrotik-Rate-Limit']).toEqual(['10M/50M']);
  });

  it('walls a suspended subscriber into the address list or rejects it, per setting, and serves it again when Active', async () => {
    await t.call('freeradius.updateSettings', { suspendedAction: 'address-list' });
    expect((await sync()).error).toBeNull();
    const walled = auth('bob', 'bob-pw');
    expect(walled.code, walled.raw).toBe('Access-Accept');
    expect(walled.attributes['Mikrotik-Address-List']).toEqual(['towerline-suspended']);

    await t.call('subscriptions.setStatus', { id: alice.subscriptionId, status: 'Suspended', reason: 'Unpaid' });
    await t.call('freeradius.updateSettings', { suspendedAction: 'reject' });
    await sync();
    expect(auth('alice', 'alice-pw').code).toBe('Access-Reject');

    await t.call('subscriptions.setStatus', { id: alice.subscriptionId, status: 'Active', reason: 'Paid' });
    await sync();
    const back = auth('alice', 'alice-pw');
    expect(back.code).toBe('Access-Accept');
    expect(back.attributes['Mikrotik-Address-List']).toBeUndefined();
    expect(back.attributes['Framed-IP-Address']).toEqual(['10.20.0.10']);
  });

  it('repairs its own rows edited or deleted by hand, and never touches the ISP\'s rows', async () => {
    await client.query(`update radcheck set value = 'tampered' where username = 'alice' and attribute = 'Cleartext-Password'`);
    await client.query(`delete from radreply where username = 'alice' and attribute = 'Framed-IP-Address'`);
    const result = await sync();
    expect(result).toMatchObject({ inserted: 1, updated: 1, deleted: 0, error: null });
    expect(auth('alice', 'alice-pw').attributes['Framed-IP-Address']).toEqual(['10.20.0.10']);
    expect(await foreignRows()).toEqual([
      { username: '192.0.2.50', attribute: 'old-ap', value: 'foreign' },
      { username: 'carol', attribute: 'Cleartext-Password', value: 'carol-pw' },
      { username: 'staff-wifi', attribute: 'Mikrotik-Rate-Limit', value: '1M/1M' },
    ]);
  });

  it('removes a login whose service ends, and nothing else', async () => {
    await t.call('services.update', { id: bob.id, status: 'Archived' });
    const result = await sync();
    expect(result.error).toBeNull();
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect((await client.query(`select count(*)::int as n from radcheck where username = 'bob'`)).rows[0].n).toBe(0);
    expect(await foreignRows()).toHaveLength(3);
  });

  it('follows a change by itself when the job runs, and records the outcome', async () => {
    const job = startFreeradiusSync(t.backend, { debounceMs: 20, log: () => {} });
    try {
      await job.runNow();
      await t.call('services.update', { id: alice.id, password: 'rotated-pw' });
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && auth('alice', 'rotated-pw').code !== 'Access-Accept') await new Promise((r) => setTimeout(r, 100));
      expect(auth('alice', 'rotated-pw').code).toBe('Access-Accept');
      const status = await t.call('freeradius.status', {});
      expect(status).toMatchObject({ enabled: true, configured: true, lastError: null });
      expect(status.lastResult?.users).toBe(2);
    } finally {
      await job.stop();
    }
  });

  it('reports an unreachable PostgreSQL as the sync\'s error and in the status, without throwing', async () => {
    await t.call('freeradius.updateSettings', { port: 1 });
    const result = await sync();
    expect(result.error).toMatch(/refused|ECONNREFUSED/i);
    const status = await t.call('freeradius.status', {});
    expect(status.lastError).toBe(result.error);
    expect(status.lastSuccessAt).not.toBeNull();
    await t.call('freeradius.updateSettings', { port: pgServer.port });
    expect((await sync()).error).toBeNull();
  });

  it('answers throttled logins (dunning, data cap) with the throttle rate and rejects a cap-disabled one, as the built-in server does', async () => {
    await t.call('freeradius.updateSettings', { suspendedAction: 'address-list' });
    const db = t.backend.datastore.db;
    const capped = await makePlan(t, { downloadKbps: 50_000, uploadKbps: 10_000, qosMode: 'RADIUS rate limit' });
    const cutoff = await makePlan(t, { downloadKbps: 50_000, uploadKbps: 10_000, qosMode: 'RADIUS rate limit' });
    await t.call('usage.setPlanCap', { planId: capped.id, cap: { capGb: 1, action: 'throttle', throttleDownloadKbps: 2000, throttleUploadKbps: 512 } });
    await t.call('usage.setPlanCap', { planId: cutoff.id, cap: { capGb: 1, action: 'disable' } });
    const dave = await makeService(t, { planId: capped.id, login: 'dave', password: 'dave-pw' });
    const erin = await makeService(t, { planId: cutoff.id, login: 'erin', password: 'erin-pw' });
    const frank = await makeService(t, { planId, login: 'frank', password: 'frank-pw' });
    expect((await sync()).error).toBeNull();
    expect(auth('dave', 'dave-pw').attributes['Mikrotik-Rate-Limit']).toEqual(['10M/50M']);
    expect(auth('erin', 'erin-pw').code).toBe('Access-Accept');

    // Over the cap this month (the accounting tests prove how usage gets into the rollup).
    const today = new Date().toISOString().slice(0, 10);
    for (const s of [dave, erin]) await db.insertInto('usage_daily').values({ service_id: s.id, day: today, download_bytes: 2_000_000_000, upload_bytes: 0 }).execute();
    expect((await t.call('usage.applyCaps', {})).applied).toEqual([
      { serviceId: dave.id, action: 'throttle' },
      { serviceId: erin.id, action: 'disable' },
    ]);
    // Dunning's throttle stage, as its daily job writes it.
    await t.call('dunning.updateSettings', { throttleRate: '256k/1M' });
    await db.insertInto('dunning_states').values({ subscription_id: frank.subscriptionId, stage: 'throttle', since_date: today, previous_status: null, overdue_cents: 5000, invoice_numbers: '[]', updated_at: new Date().toISOString() }).execute();
    expect((await sync()).error).toBeNull();

    const dAnswer = auth('dave', 'dave-pw');
    expect(dAnswer.code, dAnswer.raw).toBe('Access-Accept');
    expect(dAnswer.attributes['Mikrotik-Rate-Limit']).toEqual(['512k/2M']);
    expect(auth('frank', 'frank-pw').attributes['Mikrotik-Rate-Limit']).toEqual(['256k/1M']);
    // Disabled by its cap: rejected even though suspended subscribers are walled in, not rejected.
    expect(auth('erin', 'erin-pw').code).toBe('Access-Reject');

    // The built-in server's answer for the same logins, by the same rule.
    const lookup = createLookup(db, sqliteHandle(db)!);
    const builtIn = (login: string) => decide(lookup.login(login)!, { suspendedAnswer: 'address-list', now: new Date(), nasRouterId: null });
    expect(builtIn('dave')).toEqual({ accept: true, attributes: [['Mikrotik-Rate-Limit', '512k/2M']] });
    expect(builtIn('frank')).toEqual({ accept: true, attributes: [['Mikrotik-Rate-Limit', '256k/1M']] });
    expect(builtIn('erin')).toMatchObject({ accept: false });

    // Paid: the throttle ends and the plan's rate comes back.
    await db.deleteFrom('dunning_states').where('subscription_id', '=', frank.subscriptionId).execute();
    expect((await sync()).error).toBeNull();
    expect(auth('frank', 'frank-pw').attributes['Mikrotik-Rate-Limit']).toEqual(['10M/50M']);
  });

  it('refuses to switch provisioning on without a host and user, naming the fields', async () => {
    const error = await t.fail('freeradius.updateSettings', { enabled: true, host: null, user: '' });
    expect(error.code).toBe('validation');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['host', 'user']);
  });
});
