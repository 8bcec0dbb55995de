import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend({ now: () => new Date('2026-12-01T09:00:00Z') });
});
afterEach(async () => {
  await t.close();
});

describe('the While suspended billing setting', () => {
  it('keeps billing by default and saves a switch to pause', async () => {
    expect((await t.call('billingSettings.get', {})).whileSuspended).toBe('keep');
    const saved = await t.call('billingSettings.update', { whileSuspended: 'pause' });
    expect(saved.whileSuspended).toBe('pause');
    expect((await t.call('billingSettings.get', {})).whileSuspended).toBe('pause');
  });

  it('is left alone by an update that does not name it', async () => {
    await t.call('billingSettings.update', { whileSuspended: 'pause' });
    expect((await t.call('billingSettings.update', { graceDays: 5 })).whileSuspended).toBe('pause');
  });

  it('refuses anything but keep or pause, naming the field', async () => {
    const error = await t.fail('billingSettings.update', { whileSuspended: 'sometimes' });
    expect(error.fields).toHaveProperty('whileSuspended');
  });
});
