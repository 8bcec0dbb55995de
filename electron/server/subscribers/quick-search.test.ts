import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makeContact, makeHotspotPlan, makeNetwork, makePlan, makeRouter, makeService, makeSubscription } from '../../../test/fixtures/factories';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend();
});
afterEach(async () => {
  await t.close();
});

const find = async (query: string) => (await t.call('search.quick', { query, limit: 10 })).map((h) => ({ id: h.subscriptionId, kind: h.kind, matched: h.matched, opens: h.opens }));

describe('Ctrl+K finds what a support call starts with', () => {
  it('finds every subscription of an organization by its name, and the list does too', async () => {
    const marina = await t.call('organizations.create', { name: 'Big Sky Marina', kind: 'Company' });
    const ann = await makeContact(t, { firstName: 'Ann', lastName: 'Keller' });
    const slip1 = await t.call('subscriptions.update', { id: (await makeSubscription(t, { contactId: ann.id, name: 'Slip 1' })).id, organizationId: marina.id });
    const slip2 = await t.call('subscriptions.update', { id: (await makeSubscription(t, { contactId: ann.id, name: 'Slip 2' })).id, organizationId: marina.id });
    await makeSubscription(t, { name: 'Sky View cabin' });

    const hits = await find('Big Sky Marina');
    expect(hits.map((h) => h.id).sort()).toEqual([slip1.id, slip2.id].sort());
    expect(hits[0]).toMatchObject({ kind: 'organization', matched: 'Organization Big Sky Marina' });

    const list = await t.call('subscriptions.list', { query: 'big sky marina' });
    expect(list.rows.map((r) => r.id).sort()).toEqual([slip1.id, slip2.id].sort());
    // A word of the name still finds the subscription named with it, besides the marina's.
    expect((await t.call('subscriptions.list', { query: 'sky' })).total).toBe(3);
    const byOrganization = await t.call('subscriptions.list', { organizationId: marina.id });
    expect(byOrganization.total).toBe(2);
  });

  it('follows an organization renamed after its subscriptions were made', async () => {
    const org = await t.call('organizations.create', { name: 'Pine Hollow RV Park', kind: 'Company' });
    const sub = await t.call('subscriptions.update', { id: (await makeSubscription(t)).id, organizationId: org.id });
    await t.call('organizations.update', { id: org.id, name: 'Cedar Bend RV Resort' });
    expect((await find('cedar bend')).map((h) => h.id)).toEqual([sub.id]);
    expect(await find('pine hollow')).toEqual([]);
  });

  it('finds a service by its IP address and says which service', async () => {
    const router = await makeRouter(t);
    await makeNetwork(t, { routerId: router.id });
    const plan = await makePlan(t, { name: 'Wireless 100/20' });
    const svc = await makeService(t, { planId: plan.id, routerId: router.id, ipv4Assignment: 'permanent', ipv4Address: '10.20.0.45' });
    await makeService(t, { planId: plan.id, routerId: router.id, ipv4Assignment: 'permanent', ipv4Address: '10.20.0.46' });
    const hits = await find('10.20.0.45');
    expect(hits).toEqual([{ id: svc.subscriptionId, kind: 'ip', matched: 'IP 10.20.0.45 · service Wireless 100/20', opens: 'services' }]);
    expect((await find('10.20.0.')).filter((h) => h.kind === 'ip')).toHaveLength(2);
  });

  it('finds a MAC however it is spelled, on services, devices and hotspot bindings', async () => {
    const svc = await makeService(t, { macAddresses: '00:1A:2B:3C:4D:5E, 00:1A:2B:3C:4D:5F' });
    const deviceSub = await makeSubscription(t);
    await t.call('devices.create', { subscriptionId: deviceSub.id, type: 'CPE radio', vendor: 'Ubiquiti', model: 'LiteBeam 5AC', serial: 'UBI0042', macAddress: 'F0:9F:C2:00:00:01' });
    for (const spelling of ['00-1a-2b-3c-4d-5f', '001a.2b3c.4d5f', '001A2B3C4D5F']) {
      expect(await find(spelling)).toEqual([{ id: svc.subscriptionId, kind: 'mac', matched: `MAC 00:1A:2B:3C:4D:5F · service ${svc.description}`, opens: 'services' }]);
    }
    expect(await find('f0:9f:c2:00:00:01')).toEqual([{ id: deviceSub.id, kind: 'mac', matched: 'MAC F0:9F:C2:00:00:01 · device Ubiquiti LiteBeam 5AC', opens: 'devices' }]);
    expect(await find('ubi00')).toEqual([{ id: deviceSub.id, kind: 'serial', matched: 'Serial UBI0042 · CPE radio Ubiquiti LiteBeam 5AC', opens: 'devices' }]);
  });

  it('finds PPPoE logins, hotspot logins and voucher codes regardless of case', async () => {
    const svc = await makeService(t, { login: 'marina-slip-12' });
    const park = await makeSubscription(t);
    const plan = await makeHotspotPlan(t);
    await t.call('hotspotUsers.create', { subscriptionId: park.id, hotspotPlanId: plan.id, login: 'site14-guest' });
    const batch = await t.call('vouchers.generateBatch', { subscriptionId: park.id, hotspotPlanId: plan.id, count: 3, prefix: 'BSM' });
    const code = batch.vouchers[1]!.login;

    expect(await find('MARINA-SLIP-12')).toEqual([{ id: svc.subscriptionId, kind: 'login', matched: `Login marina-slip-12 · service ${svc.description}`, opens: 'services' }]);
    expect(await find('site14')).toEqual([{ id: park.id, kind: 'hotspotLogin', matched: 'Hotspot login site14-guest', opens: 'hotspot' }]);
    const voucher = await find(code.toLowerCase());
    expect(voucher).toEqual([{ id: park.id, kind: 'voucher', matched: `Voucher ${code} · batch ${batch.batchId}`, opens: 'hotspot' }]);
  });

  it('finds an invoice by its number written in full or short', async () => {
    const sub = await makeSubscription(t);
    const now = new Date().toISOString();
    await t.backend.datastore.db
      .insertInto('invoices')
      .values({ subscription_id: sub.id, status: 'closed', number: 'INV-000123', issue_date: '2026-11-01', due_date: '2026-11-15', created_at: now, closed_at: now })
      .execute();
    for (const q of ['INV-000123', 'inv 123', '123']) {
      expect((await find(q)).find((h) => h.kind === 'invoice')).toEqual({ id: sub.id, kind: 'invoice', matched: 'Invoice INV-000123 · issued', opens: 'billing' });
    }
  });

  it('lists a value typed in full before names that merely start with it', async () => {
    const named = await makeSubscription(t, { name: 'Ubi0042 test bench' });
    const deviceSub = await makeSubscription(t);
    await t.call('devices.create', { subscriptionId: deviceSub.id, type: 'CPE radio', serial: 'UBI0042' });
    const hits = await find('ubi0042');
    expect(hits.map((h) => h.id)).toEqual([deviceSub.id, named.id]);
  });
});
