import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makePlan, makeService } from '../../../test/fixtures/factories';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend();
});
afterEach(async () => {
  await t.close();
});

describe('tax classes', () => {
  it('keep the rate as exact decimal text and refuse a rate over 100%', async () => {
    const tc = await t.call('taxClasses.create', { name: 'Idaho telecom', ratePercent: '7.250' });
    expect(tc).toMatchObject({ ratePercent: '7.25', active: true, planCount: 0 });
    expect((await t.fail('taxClasses.create', { name: 'Too much', ratePercent: '101' })).fields).toHaveProperty('ratePercent');
    expect((await t.fail('taxClasses.create', { name: 'Float', ratePercent: '1e2' })).fields).toHaveProperty('ratePercent');
  });

  it('cannot be deleted while a plan uses it', async () => {
    const tc = await t.call('taxClasses.create', { name: 'Standard', ratePercent: '6' });
    await makePlan(t, { taxClassId: tc.id });
    expect((await t.fail('taxClasses.delete', { id: tc.id })).code).toBe('refused');
  });
});

describe('plans', () => {
  it('carry Internet speeds, burst and QoS; other kinds drop them', async () => {
    const p = await makePlan(t, { burstDownloadKbps: 40_000, burstUploadKbps: 8_000, burstThresholdPercent: 75, burstTimeSeconds: 16, priority: 4, contentionRatio: 20 });
    expect(p).toMatchObject({ kind: 'Internet', downloadKbps: 25_000, burstDownloadKbps: 40_000, qosMode: 'Simple queue', accessTechnology: 'wireless', priceCents: 4500 });
    const voice = await makePlan(t, { kind: 'Voice', name: 'VoIP line', priceCents: 2000 });
    expect(voice).toMatchObject({ kind: 'Voice', downloadKbps: null, qosMode: null });
  });

  it('name the field at fault: speeds required, burst above the rate, pay period 1/3/6/12, whole cents', async () => {
    const noSpeed = await t.fail('plans.create', { kind: 'Internet', name: 'Bare', priceCents: 100 });
    expect(noSpeed.fields).toMatchObject({ downloadKbps: expect.any(String), uploadKbps: expect.any(String) });
    const lowBurst = await t.fail('plans.create', { kind: 'Internet', name: 'B', priceCents: 100, downloadKbps: 10_000, uploadKbps: 1_000, burstDownloadKbps: 5_000, burstUploadKbps: 2_000, burstThresholdPercent: 50, burstTimeSeconds: 8 });
    expect(lowBurst.fields).toEqual({ burstDownloadKbps: 'Burst download must be above the download speed' });
    const period = await t.fail('plans.create', { kind: 'Custom', name: 'P', priceCents: 100, payPeriodMonths: 2 });
    expect(period.fields).toEqual({ payPeriodMonths: 'Pay period is 1, 3, 6 or 12 months' });
    const fraction = await t.fail('plans.create', { kind: 'Custom', name: 'F', priceCents: 10.5 });
    expect(fraction.fields).toEqual({ priceCents: 'Must be whole cents' });
  });

  it('in use cannot be deleted, only retired; unused ones can be deleted', async () => {
    const used = await makePlan(t, { name: 'Wireless 25/5' });
    await makeService(t, { planId: used.id });
    const refused = await t.fail('plans.delete', { id: used.id });
    expect(refused.code).toBe('refused');
    expect(refused.message).toContain('Wireless 25/5 is in use by 1 service');
    expect(refused.message).toContain('retired');
    expect(await t.call('plans.retire', { id: used.id })).toMatchObject({ active: false, serviceCount: 1 });
    expect((await t.call('plans.list', { active: true })).total).toBe(0);
    const unused = await makePlan(t);
    await t.call('plans.delete', { id: unused.id });
    expect((await t.fail('plans.get', { id: unused.id })).code).toBe('not_found');
  });

  it('a retired plan is not offered for new services', async () => {
    const p = await makePlan(t);
    await t.call('plans.retire', { id: p.id });
    expect((await t.fail('services.create', { subscriptionId: (await makeService(t)).subscriptionId, planId: p.id, startDate: '2026-11-01' })).fields).toHaveProperty('planId');
  });

  it('list by kind and name with paging', async () => {
    await makePlan(t, { name: 'B wireless' });
    await makePlan(t, { name: 'A wireless' });
    await makePlan(t, { kind: 'Hosting', name: 'Web hosting', priceCents: 900 });
    const page = await t.call('plans.list', { kind: 'Internet', pageSize: 1 });
    expect(page.total).toBe(2);
    expect(page.rows.map((p) => p.name)).toEqual(['A wireless']);
  });
});

describe('packages', () => {
  it('hold products with rating methods, profile questions and contracts', async () => {
    const plan = await makePlan(t, { name: 'Wireless 50/10', priceCents: 6000 });
    const custom = { kind: 'Custom', downloadKbps: undefined, uploadKbps: undefined, qosMode: undefined, accessTechnology: undefined } as const;
    const fee = await makePlan(t, { ...custom, name: 'Installation', priceCents: 9900 });
    const data = await makePlan(t, { ...custom, name: 'Data', priceCents: 1000 });
    let k = await t.call('packages.create', { name: 'Silver', description: 'Home wireless' });
    k = await t.call('packages.addProduct', { packageId: k.id, planId: plan.id, name: 'Internet 50/10', ratingMethod: 'recurring', priceCents: 6000 });
    k = await t.call('packages.addProduct', { packageId: k.id, planId: fee.id, name: 'Installation', ratingMethod: 'one-time', priceCents: 9900 });
    k = await t.call('packages.addProduct', { packageId: k.id, planId: data.id, name: 'Data block', ratingMethod: 'prepaid-usage', priceCents: 1000, minQuantity: 2, unit: 'GB' });
    // Without a plan a product could never be provisioned (nor billed): refused, naming the field.
    const planless = await t.fail('packages.addProduct', { packageId: k.id, name: 'Router rental', ratingMethod: 'recurring', priceCents: 500 });
    expect(planless.fields).toEqual({ planId: 'Required' });
    k = await t.call('packages.addQuestion', { packageId: k.id, label: 'Tower', kind: 'choice', choices: ['North', 'South'], required: true });
    k = await t.call('packages.addQuestion', { packageId: k.id, label: 'Antenna height (m)', kind: 'number' });
    k = await t.call('packages.addContract', { packageId: k.id, name: '12-month', termMonths: 12, cancellationFeeCents: 15000 });
    expect(k.products.map((p) => [p.name, p.ratingMethod, p.minQuantity])).toEqual([
      ['Internet 50/10', 'recurring', null],
      ['Installation', 'one-time', null],
      ['Data block', 'prepaid-usage', 2],
    ]);
    expect(k.products[0]).toMatchObject({ planName: 'Wireless 50/10', planKind: 'Internet' });
    expect(k.questions.map((q) => q.label)).toEqual(['Tower', 'Antenna height (m)']);
    expect(k.contracts).toEqual([expect.objectContaining({ termMonths: 12, cancellationFeeCents: 15000 })]);
    expect(k.recurringCents).toBe(6000);
    expect((await t.fail('packages.addQuestion', { packageId: k.id, label: 'Empty', kind: 'choice', choices: [] })).fields).toHaveProperty('choices');
    expect((await t.fail('packages.create', { name: 'Silver' })).code).toBe('conflict');
    // A plan in a package is in use.
    expect((await t.fail('plans.delete', { id: plan.id })).message).toContain('1 package product');
  });

  it('validates a package service\'s profile answers against its questions', async () => {
    const plan = await makePlan(t);
    let k = await t.call('packages.create', { name: 'Gold' });
    k = await t.call('packages.addProduct', { packageId: k.id, planId: plan.id, name: 'Internet', priceCents: 8000 });
    k = await t.call('packages.addQuestion', { packageId: k.id, label: 'Tower', kind: 'choice', choices: ['North', 'South'], required: true });
    k = await t.call('packages.addQuestion', { packageId: k.id, label: 'Antenna height', kind: 'number' });
    const [tower, height] = k.questions;
    const s = await makeService(t, { planId: plan.id });
    const db = t.backend.datastore.db;
    const { id: accountPackageId } = await db
      .insertInto('account_packages')
      .values({ subscription_id: s.subscriptionId, package_id: k.id, start_date: '2026-11-01', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const base = { subscriptionId: s.subscriptionId, planId: plan.id, startDate: '2026-11-01', accountPackageId, packageProductId: k.products[0]!.id };
    const missing = await t.fail('services.create', { ...base, profileAnswers: [] });
    expect(missing.fields).toEqual({ [`profileAnswers.${tower!.id}`]: 'Tower is required' });
    const wrong = await t.fail('services.create', { ...base, profileAnswers: [{ questionId: tower!.id, answer: 'East' }, { questionId: height!.id, answer: 'tall' }] });
    expect(wrong.fields).toEqual({ [`profileAnswers.${tower!.id}`]: 'Tower must be one of: North, South', [`profileAnswers.${height!.id}`]: 'Antenna height must be a number' });
    const ok = await t.call('services.create', { ...base, profileAnswers: [{ questionId: tower!.id, answer: 'North' }, { questionId: height!.id, answer: '12.5' }] });
    expect(ok.profileAnswers).toEqual([
      { questionId: tower!.id, label: 'Tower', answer: 'North' },
      { questionId: height!.id, label: 'Antenna height', answer: '12.5' },
    ]);
    expect((await t.fail('packages.removeQuestion', { id: tower!.id })).code).toBe('refused');
    expect((await t.fail('packages.removeProduct', { id: k.products[0]!.id })).code).toBe('refused');
    expect((await t.fail('packages.delete', { id: k.id })).code).toBe('refused');
  });
});

describe('hotspot plans', () => {
  it('carry time, data and speed limits and validity; cannot be deleted while used', async () => {
    const h = await t.call('hotspotPlans.create', { name: 'Weekend', timeLimitMinutes: 2880, dataLimitMb: 5120, downloadKbps: 10_000, uploadKbps: 2_000, validityDays: 3, priceCents: 1200 });
    expect(h).toMatchObject({ validityDays: 3, priceCents: 1200, userCount: 0 });
    const sub = (await makeService(t)).subscriptionId;
    await t.call('vouchers.generateBatch', { subscriptionId: sub, hotspotPlanId: h.id, count: 1 });
    expect((await t.fail('hotspotPlans.delete', { id: h.id })).code).toBe('refused');
    expect(await t.call('hotspotPlans.update', { id: h.id, active: false })).toMatchObject({ active: false, validityDays: 3 });
  });
});
