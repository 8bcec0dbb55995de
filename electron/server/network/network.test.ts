import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makeNetwork, makeRouter, makeService } from '../../../test/fixtures/factories';
import { DATABASE_FILE } from '../backend';
import { keyFileSecretBox } from '../platform/secrets';
import { routerSecrets } from './routers';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend();
});
afterEach(async () => {
  await t.close();
});

describe('routers', () => {
  it('never answer their secrets in clear and store them encrypted', async () => {
    const r = await t.call('routers.create', { name: 'North tower', address: '10.255.0.1', apiUser: 'towerline', apiPassword: 'Api-Pa55-North', radiusSecret: 'Radius-S3cret-North' });
    expect(r).toMatchObject({ hasApiPassword: true, hasRadiusSecret: true, vendor: 'MikroTik RouterOS' });
    const everything = JSON.stringify([r, await t.call('routers.get', { id: r.id }), await t.call('routers.list', {})]);
    expect(everything).not.toContain('Api-Pa55-North');
    expect(everything).not.toContain('Radius-S3cret-North');
    // Nowhere in the database file, the WAL included, in clear.
    await t.backend.datastore.db.selectFrom('routers').select('id').execute();
    const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`].map((f) => {
      try {
        return readFileSync(join(t.dataDir, f)).toString('latin1');
      } catch {
        return '';
      }
    });
    for (const content of files) {
      expect(content).not.toContain('Api-Pa55-North');
      expect(content).not.toContain('Radius-S3cret-North');
    }
    const stored = await t.backend.datastore.db.selectFrom('routers').select(['api_password_sealed', 'radius_secret_sealed']).executeTakeFirstOrThrow();
    expect(stored.api_password_sealed).toMatch(/^v1:/);
    // The back end itself can still read them, for provisioning.
    expect(await routerSecrets(t.backend.datastore.db, r.id, keyFileSecretBox(t.dataDir))).toEqual({ apiPassword: 'Api-Pa55-North', radiusSecret: 'Radius-S3cret-North' });
  });

  it('keep a secret left out of an edit, replace a new one, and clear on null', async () => {
    const r = await makeRouter(t, { apiPassword: 'first', radiusSecret: 'shared' });
    const box = keyFileSecretBox(t.dataDir);
    await t.call('routers.update', { id: r.id, notes: 'Roof mount' });
    expect(await routerSecrets(t.backend.datastore.db, r.id, box)).toEqual({ apiPassword: 'first', radiusSecret: 'shared' });
    await t.call('routers.update', { id: r.id, apiPassword: 'second' });
    expect(await routerSecrets(t.backend.datastore.db, r.id, box)).toEqual({ apiPassword: 'second', radiusSecret: 'shared' });
    expect(await t.call('routers.update', { id: r.id, radiusSecret: null })).toMatchObject({ hasApiPassword: true, hasRadiusSecret: false, notes: 'Roof mount' });
  });

  it('cannot be deleted while a service uses it', async () => {
    const r = await makeRouter(t, { name: 'South tower' });
    await makeService(t, { routerId: r.id });
    expect((await t.fail('routers.delete', { id: r.id })).message).toContain('South tower is used by 1 service');
  });
});

describe('IPv4 networks', () => {
  it('refuse an overlapping network, a gateway outside it and excluded ranges outside it', async () => {
    await makeNetwork(t, { cidr: '10.20.0.0/24' });
    expect((await t.fail('ipNetworks.create', { cidr: '10.20.0.128/25', kind: 'pool' })).fields).toEqual({ cidr: '10.20.0.128/25 overlaps network 10.20.0.0/24' });
    expect((await t.fail('ipNetworks.create', { cidr: '10.30.0.0/24', kind: 'permanent', gateway: '10.31.0.1' })).fields).toHaveProperty('gateway');
    expect((await t.fail('ipNetworks.create', { cidr: '10.30.0.0/24', kind: 'permanent', excluded: [{ first: '10.30.1.1', last: '10.30.1.5' }] })).fields).toHaveProperty('excluded.0.first');
    expect((await t.fail('ipNetworks.create', { cidr: 'ten/8', kind: 'pool' })).fields).toHaveProperty('cidr');
  });

  it('report utilization and list networks in address order with filters', async () => {
    const b = await makeNetwork(t, { cidr: '10.30.0.0/28', gateway: '10.30.0.1', excluded: [{ first: '10.30.0.2', last: '10.30.0.3' }] });
    await makeNetwork(t, { cidr: '10.20.0.0/24' });
    await makeNetwork(t, { cidr: '100.64.0.0/22', kind: 'pool', gateway: null });
    expect(b.utilization).toEqual({ size: 16, usable: 11, used: 0, free: 11 });
    await makeService(t, { ipv4Assignment: 'permanent', ipv4Address: '10.30.0.4' });
    expect((await t.call('ipNetworks.get', { id: b.id })).utilization).toMatchObject({ used: 1, free: 10 });
    expect((await t.call('ipNetworks.list', {})).rows.map((n) => n.cidr)).toEqual(['10.20.0.0/24', '10.30.0.0/28', '100.64.0.0/22']);
    expect((await t.call('ipNetworks.list', { kind: 'pool' })).rows.map((n) => n.cidr)).toEqual(['100.64.0.0/22']);
  });

  it('cannot be changed to exclude or drop an address a service holds, nor deleted while used', async () => {
    const n = await makeNetwork(t, { cidr: '10.20.0.0/24' });
    await makeService(t, { ipv4Assignment: 'permanent', ipv4Address: '10.20.0.9' });
    expect((await t.fail('ipNetworks.update', { id: n.id, excluded: [{ first: '10.20.0.5', last: '10.20.0.10' }] })).message).toContain('10.20.0.9');
    expect((await t.fail('ipNetworks.delete', { id: n.id })).code).toBe('refused');
    const updated = await t.call('ipNetworks.update', { id: n.id, description: 'Main /24', excluded: [{ first: '10.20.0.200', last: '10.20.0.210', reason: 'Tower gear' }] });
    expect(updated).toMatchObject({ description: 'Main /24', excluded: [{ first: '10.20.0.200', last: '10.20.0.210', reason: 'Tower gear' }] });
  });
});
