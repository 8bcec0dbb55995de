import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { makeHotspotPlan, makeService, makeSubscription } from '../fixtures/factories';

/** Logins are unique regardless of case among live services and hotspot users, in the handler and in the database. */
let t: TestBackend;
beforeEach(async () => {
  t = await testBackend();
});
afterEach(async () => {
  await t.close();
});

async function conflictOnLogin(procedure: Parameters<TestBackend['fail']>[0], input: unknown): Promise<string> {
  const error = await t.fail(procedure, input);
  expect(error.code, error.message).toBe('conflict');
  expect(Object.keys(error.fields ?? {})).toEqual(['login']);
  return error.fields!.login!;
}

describe('logins regardless of case', () => {
  it('refuses "ALICE" for a service when a service has "alice", and names the holder', async () => {
    const first = await makeService(t, { login: 'alice' });
    const sub = await makeSubscription(t);
    const message = await conflictOnLogin('services.create', { subscriptionId: sub.id, planId: first.planId, startDate: '2026-11-01', login: 'ALICE' });
    expect(message).toMatch(/already used by a service of S-\d{6} \(as "alice"/);
    const other = await makeService(t, { subscriptionId: sub.id, planId: first.planId, login: 'bob' });
    await conflictOnLogin('services.update', { id: other.id, login: 'Alice' });
    // Its own login in another case is fine.
    expect((await t.call('services.update', { id: first.id, login: 'Alice' })).login).toBe('Alice');
  });

  it('refuses the same login across services and hotspot users, in either order', async () => {
    const service = await makeService(t, { login: 'carol' });
    const plan = await makeHotspotPlan(t);
    const user = { subscriptionId: service.subscriptionId, hotspotPlanId: plan.id };
    expect(await conflictOnLogin('hotspotUsers.create', { ...user, login: 'CAROL' })).toMatch(/a service of/);
    const guest = await t.call('hotspotUsers.create', { ...user, login: 'dave' });
    expect(await conflictOnLogin('services.create', { subscriptionId: service.subscriptionId, planId: service.planId, startDate: '2026-11-01', login: 'Dave' })).toMatch(/a hotspot user of/);
    await t.call('hotspotUsers.create', { ...user, login: 'erin' });
    await conflictOnLogin('hotspotUsers.update', { id: guest.id, login: 'ERIN' });
  });

  it('lets an Archived service keep a clashing login, but not come back with it', async () => {
    const old = await makeService(t, { login: 'frank' });
    await t.call('services.update', { id: old.id, status: 'Archived' });
    const now = await makeService(t, { login: 'FRANK' });
    expect(now.login).toBe('FRANK');
    await conflictOnLogin('services.update', { id: old.id, status: 'Active' });
  });

  it('is enforced by the database too, for writes that bypass the handlers', async () => {
    const service = await makeService(t, { login: 'grace' });
    const db = t.backend.datastore.db;
    const row = await db.selectFrom('services').selectAll().where('id', '=', service.id).executeTakeFirstOrThrow();
    const { id: _id, ...copy } = row;
    await expect(db.insertInto('services').values({ ...copy, login: 'GRACE', ipv4_address: null }).execute()).rejects.toThrow(/conflict:login:/);
    await expect(db.insertInto('hotspot_users').values({ subscription_id: service.subscriptionId, hotspot_plan_id: (await makeHotspotPlan(t)).id, kind: 'login', login: 'Grace', status: 'Active', created_at: 'x', updated_at: 'x' }).execute()).rejects.toThrow(
      /conflict:login:/,
    );
    // The dispatcher answers such a refusal as a 409 naming the field.
    const envelope = await t.backend.call('services.update', { id: service.id, login: 'grace2' });
    expect(envelope.ok).toBe(true);
  });

  it('gives exactly one winner when twenty saves race for logins differing only by case', async () => {
    const sub = await makeSubscription(t);
    const first = await makeService(t, { subscriptionId: sub.id, login: 'seed' });
    const saves = Array.from({ length: 20 }, (_, i) =>
      t.backend.call('services.create', { subscriptionId: sub.id, planId: first.planId, startDate: '2026-11-01', login: i % 2 ? 'heidi' : 'HEIDI' }),
    );
    const results = await Promise.all(saves);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.error.code).toBe('conflict');
  });
});
