import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';

/** A plan and its monthly data cap are saved by one command: both, or neither. */
let t: TestBackend;
beforeEach(async () => {
  t = await testBackend();
});
afterEach(async () => {
  await t.close();
});

const internet = { kind: 'Internet' as const, name: 'Home 50/10', priceCents: 5000, downloadKbps: 50_000, uploadKbps: 10_000 };

describe('a plan\'s data cap, saved with the plan', () => {
  it('creates a plan with its cap, shows it in the list, changes and removes it with the plan', async () => {
    const created = await t.call('plans.create', { ...internet, dataCap: { capGb: 300, action: 'throttle', throttleDownloadKbps: 1000, throttleUploadKbps: 512 } });
    expect(created.dataCap).toEqual({ capGb: 300, action: 'throttle', throttleDownloadKbps: 1000, throttleUploadKbps: 512 });
    expect(await t.call('usage.planCap', { planId: created.id })).toMatchObject({ capGb: 300, action: 'throttle' });
    expect((await t.call('plans.list', {})).rows.find((p) => p.id === created.id)?.dataCap?.capGb).toBe(300);

    // Left out: the cap stays as it is.
    expect((await t.call('plans.update', { id: created.id, name: 'Home 50/10 plus' })).dataCap?.capGb).toBe(300);
    const disabling = await t.call('plans.update', { id: created.id, dataCap: { capGb: 500, action: 'disable', throttleDownloadKbps: 1000, throttleUploadKbps: 512 } });
    // A disable action keeps no throttle speeds.
    expect(disabling.dataCap).toEqual({ capGb: 500, action: 'disable', throttleDownloadKbps: null, throttleUploadKbps: null });
    expect((await t.call('plans.update', { id: created.id, dataCap: null })).dataCap).toBeNull();
    expect(await t.call('usage.planCap', { planId: created.id })).toBeNull();
  });

  it('writes neither the plan nor its cap when the cap is refused, naming the field', async () => {
    await expect(t.call('plans.create', { ...internet, name: 'Bad cap', dataCap: { capGb: 100, action: 'throttle', throttleDownloadKbps: null, throttleUploadKbps: 512 } })).rejects.toMatchObject({
      fields: { 'dataCap.throttleDownloadKbps': expect.any(String) },
    });
    await expect(t.call('plans.create', { kind: 'Voice', name: 'Phone', priceCents: 1500, dataCap: { capGb: 100, action: 'disable' } })).rejects.toMatchObject({ fields: { dataCap: expect.any(String) } });
    expect((await t.call('plans.list', {})).rows.filter((p) => p.name === 'Bad cap' || p.name === 'Phone')).toEqual([]);

    const plan = await t.call('plans.create', { ...internet, dataCap: { capGb: 200, action: 'disable' } });
    // Turning a capped plan into Voice without removing the cap: refused, plan unchanged.
    await expect(t.call('plans.update', { id: plan.id, kind: 'Voice', downloadKbps: null, uploadKbps: null })).rejects.toMatchObject({ fields: { dataCap: expect.any(String) } });
    expect((await t.call('plans.get', { id: plan.id })).kind).toBe('Internet');
  });
});
