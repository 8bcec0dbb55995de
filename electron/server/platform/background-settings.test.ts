import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';

let t: TestBackend;
beforeEach(async () => (t = await testBackend()));
afterEach(async () => t.close());

describe('where the always-on work runs', () => {
  it('is off in the desktop app until chosen, with RADIUS on 127.0.0.1:1812/1813', async () => {
    expect(await t.call('background.settings', {})).toMatchObject({ runOnThisComputer: false, radiusHost: '127.0.0.1', radiusAuthPort: 1812, radiusAcctPort: 1813 });
    expect(await t.call('background.updateSettings', { runOnThisComputer: true, radiusHost: '0.0.0.0' })).toMatchObject({ runOnThisComputer: true, radiusHost: '0.0.0.0' });
  });

  it('refuses one port for both authentication and accounting, naming the field', async () => {
    const error = await t.fail('background.updateSettings', { radiusAcctPort: 1812 });
    expect(error.code).toBe('validation');
    expect(error.fields).toEqual({ radiusAcctPort: 'Same port as the other' });
    const bad = await t.fail('background.updateSettings', { radiusAuthPort: 70000 });
    expect(Object.keys(bad.fields ?? {})).toEqual(['radiusAuthPort']);
  });
});
