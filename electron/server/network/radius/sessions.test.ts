import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../../test/fixtures/backend';
import { makePlan, makeRouter, makeService, makeSubscription } from '../../../../test/fixtures/factories';

let t: TestBackend;

beforeAll(async () => {
  t = await testBackend();
  const router = await makeRouter(t, { name: 'Ridge', address: '127.0.0.1' });
  const plan = await makePlan(t);
  const rows = [];
  for (const [i, name] of ['Lakeside cabin', 'Mill 50% house', 'Orchard farm'].entries()) {
    const sub = await makeSubscription(t, { name });
    const service = await makeService(t, { subscriptionId: sub.id, planId: plan.id, routerId: router.id, login: `user_${i}` });
    rows.push({ nas_address: '127.0.0.1', router_id: router.id, acct_session_id: `s${i}`, login: `user_${i}`, service_id: service.id, framed_ip: `100.64.0.${10 + i}`, started_at: `2026-12-01T10:0${i}:00.000Z`, updated_at: `2026-12-01T10:0${i}:00.000Z` });
  }
  // A session that ended is not online.
  rows.push({ ...rows[0]!, acct_session_id: 'old', stopped_at: '2026-12-01T09:00:00.000Z', started_at: '2026-12-01T08:00:00.000Z' });
  await t.backend.datastore.db.insertInto('radius_sessions').values(rows).execute();
});

afterAll(async () => {
  await t?.close();
});

describe('radius.sessions', () => {
  it('lists online sessions newest first, paged on the server', async () => {
    const first = await t.call('radius.sessions', { page: 1, pageSize: 2 });
    expect(first.total).toBe(3);
    expect(first.rows.map((r) => r.login)).toEqual(['user_2', 'user_1']);
    const second = await t.call('radius.sessions', { page: 2, pageSize: 2 });
    expect(second.rows.map((r) => r.login)).toEqual(['user_0']);
    expect(second.rows[0]!.subscriptionName).toBe('Lakeside cabin');
  });

  it('finds sessions by the start of a login or address, or part of the subscription name', async () => {
    const logins = async (query: string) => (await t.call('radius.sessions', { query, page: 1, pageSize: 50 })).rows.map((r) => r.login).sort();
    expect(await logins('user_1')).toEqual(['user_1']);
    expect(await logins('100.64.0.12')).toEqual(['user_2']);
    expect(await logins('orchard')).toEqual(['user_2']);
    expect(await logins('ser_')).toEqual([]);
  });

  it('takes LIKE wildcards typed into the search as themselves', async () => {
    const found = await t.call('radius.sessions', { query: '50%', page: 1, pageSize: 50 });
    expect(found.rows.map((r) => r.login)).toEqual(['user_1']);
    // "_" and "%" match only themselves: "user_" finds all three, "user%" none.
    expect((await t.call('radius.sessions', { query: 'user_', page: 1, pageSize: 50 })).total).toBe(3);
    expect((await t.call('radius.sessions', { query: 'user%', page: 1, pageSize: 50 })).total).toBe(0);
  });
});
