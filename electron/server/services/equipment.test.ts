import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makeHotspotPlan, makeService, makeSubscription } from '../../../test/fixtures/factories';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend();
});
afterEach(async () => {
  await t.close();
});

describe('devices', () => {
  it('record customer equipment with a normalized MAC, linked to a service of the same subscription', async () => {
    const s = await makeService(t);
    const d = await t.call('devices.create', {
      subscriptionId: s.subscriptionId,
      serviceId: s.id,
      type: 'CPE radio',
      vendor: 'Ubiquiti',
      model: 'LiteBeam 5AC',
      serial: 'LB5-0001',
      macAddress: 'fc-ec-da-01-02-03',
      managementIp: '10.99.0.2',
      firmware: '8.7.11',
      installDate: '2026-11-02',
      location: 'Roof, south side',
    });
    expect(d).toMatchObject({ macAddress: 'FC:EC:DA:01:02:03', serviceDescription: s.description, status: 'Active' });
    const bad = await t.fail('devices.create', { subscriptionId: s.subscriptionId, type: 'Router', macAddress: 'fc:ec:da:01:02' });
    expect(bad.fields?.macAddress).toContain('fc:ec:da:01:02');
    const other = await makeSubscription(t);
    expect((await t.fail('devices.create', { subscriptionId: other.id, serviceId: s.id, type: 'Router' })).fields).toHaveProperty('serviceId');
    const updated = await t.call('devices.update', { id: d.id, status: 'Faulty', firmware: '8.7.12' });
    expect(updated).toMatchObject({ status: 'Faulty', firmware: '8.7.12', vendor: 'Ubiquiti' });
    expect((await t.call('devices.listBySubscription', { subscriptionId: s.subscriptionId })).total).toBe(1);
    await t.call('devices.delete', { id: d.id });
    expect((await t.call('devices.listBySubscription', { subscriptionId: s.subscriptionId })).total).toBe(0);
  });
});

describe('hotspot users and vouchers', () => {
  it('add a login user with MAC binding; a duplicate login is refused naming it', async () => {
    const sub = await makeSubscription(t, { name: 'Lakeside RV Park' });
    const plan = await makeHotspotPlan(t);
    const u = await t.call('hotspotUsers.create', { subscriptionId: sub.id, hotspotPlanId: plan.id, login: 'site-14', password: 'pw', macBinding: 'AABB.CCDD.EEFF' });
    expect(u).toMatchObject({ kind: 'login', macBinding: 'AA:BB:CC:DD:EE:FF', hotspotPlanName: plan.name, validityDays: 1, status: 'Active' });
    const dup = await t.fail('hotspotUsers.create', { subscriptionId: sub.id, hotspotPlanId: plan.id, login: 'site-14' });
    expect(dup.code).toBe('conflict');
    expect(dup.fields?.login).toContain('site-14');
    expect(await t.call('hotspotUsers.update', { id: u.id, status: 'Disabled' })).toMatchObject({ status: 'Disabled', macBinding: 'AA:BB:CC:DD:EE:FF' });
  });

  it('generate a batch of unique voucher codes, printable as a list', async () => {
    const sub = await makeSubscription(t, { name: 'Marina' });
    const plan = await makeHotspotPlan(t, { name: 'Week pass', validityDays: 7 });
    const batch = await t.call('vouchers.generateBatch', { subscriptionId: sub.id, hotspotPlanId: plan.id, count: 25, prefix: 'MR' });
    expect(batch.batchId).toBe('VB-000001');
    expect(batch.vouchers).toHaveLength(25);
    expect(new Set(batch.vouchers.map((v) => v.login)).size).toBe(25);
    expect(batch.vouchers.every((v) => /^MR[A-Z2-9]{8}$/.test(v.login) && v.kind === 'voucher' && v.validityDays === 7)).toBe(true);
    const second = await t.call('vouchers.generateBatch', { subscriptionId: sub.id, hotspotPlanId: plan.id, count: 5 });
    expect(second.batchId).toBe('VB-000002');
    expect((await t.call('vouchers.batch', { batchId: batch.batchId })).vouchers.map((v) => v.login)).toEqual(batch.vouchers.map((v) => v.login));
    expect(await t.call('vouchers.listBatches', { subscriptionId: sub.id })).toEqual([
      expect.objectContaining({ batchId: 'VB-000002', count: 5, hotspotPlanName: 'Week pass' }),
      expect.objectContaining({ batchId: 'VB-000001', count: 25 }),
    ]);
    expect((await t.call('hotspotUsers.list', { subscriptionId: sub.id, batchId: 'VB-000002' })).total).toBe(5);
    expect((await t.fail('vouchers.generateBatch', { subscriptionId: sub.id, hotspotPlanId: plan.id, count: 0 })).fields).toHaveProperty('count');
    const voucher = batch.vouchers[0]!;
    expect((await t.fail('hotspotUsers.update', { id: voucher.id, login: 'renamed' })).fields).toHaveProperty('login');
  });
});
