import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../test/fixtures/backend';
import { makeHotspotPlan, makeSubscription } from '../../../test/fixtures/factories';
import { BYTES_PER_MB, exhaustion } from '../../../shared/domain/hotspot';
import { expireHotspotUsers } from './expiry';

let clock = new Date('2026-06-01T12:00:00.000Z');
let t: TestBackend;
let subscriptionId: number;

beforeAll(async () => {
  t = await testBackend({ now: () => clock });
  subscriptionId = (await makeSubscription(t)).id;
});
afterAll(async () => {
  await t?.close();
});

const db = () => t.backend.datastore.db;

/** A session as the RADIUS accounting writer stores it. */
async function session(hotspotUserId: number, id: string, at: string, seconds: number, bytes: number) {
  await db()
    .insertInto('radius_sessions')
    .values({ nas_address: '127.0.0.1', acct_session_id: id, login: `u${hotspotUserId}`, hotspot_user_id: hotspotUserId, started_at: at, updated_at: at, session_seconds: seconds, input_bytes: 0, output_bytes: bytes })
    .execute();
  await db().updateTable('hotspot_users').set({ first_used_at: at }).where('id', '=', hotspotUserId).where('first_used_at', 'is', null).execute();
}

describe('vouchers on the Hotspot tab', () => {
  it('shows two vouchers with the same plan and the same first use with the same status, expiry and what is left', async () => {
    const plan = await makeHotspotPlan(t, { timeLimitMinutes: 1440, dataLimitMb: 2048, validityDays: 1 });
    const batch = await t.call('vouchers.generateBatch', { subscriptionId, hotspotPlanId: plan.id, count: 2, prefix: 'TW' });
    const [a, b] = batch.vouchers;
    for (const v of [a!, b!]) await db().updateTable('hotspot_users').set({ first_used_at: '2026-06-01T09:00:00.000Z' }).where('id', '=', v.id).execute();
    await session(a!.id, 'twin-a', '2026-06-01T09:00:00.000Z', 600, 1000);
    const list = await t.call('hotspotUsers.list', { subscriptionId, batchId: batch.batchId });
    const [sa, sb] = list.rows.map((r) => r.state);
    expect(sa).toEqual({ status: 'Active', reason: null, expiresAt: '2026-06-02T09:00:00.000Z', timeLeftSeconds: 86_400 - 600, dataLeftBytes: 2048 * BYTES_PER_MB - 1000 });
    expect(sb!.status).toBe(sa!.status);
    expect(sb!.expiresAt).toBe(sa!.expiresAt);
    // A day later both read Expired, whatever is stored, and the expiry job stores it with history.
    clock = new Date('2026-06-02T09:00:00.000Z');
    expect((await t.call('hotspotUsers.list', { subscriptionId, batchId: batch.batchId })).rows.map((r) => [r.status, r.state.status])).toEqual([['Active', 'Expired'], ['Active', 'Expired']]);
    const expired = await expireHotspotUsers(db(), clock);
    expect(expired.filter((e) => e.login === a!.login || e.login === b!.login).map((e) => e.reason)).toEqual(['Validity ended', 'Validity ended']);
    expect((await t.call('hotspotUsers.get', { id: a!.id })).status).toBe('Expired');
    expect(await t.call('hotspotUsers.history', { id: a!.id })).toMatchObject([{ fromStatus: 'Active', toStatus: 'Expired', reason: 'Validity ended', actor: 'Hotspot expiry job' }]);
    // Run again: nothing more to do, no second history line.
    expect((await expireHotspotUsers(db(), clock)).filter((e) => e.login === a!.login)).toEqual([]);
    clock = new Date('2026-06-01T12:00:00.000Z');
  });

  it('finds a voucher within its batch by part of its code', async () => {
    const plan = await makeHotspotPlan(t);
    const batch = await t.call('vouchers.generateBatch', { subscriptionId, hotspotPlanId: plan.id, count: 30, prefix: 'SRCH' });
    const target = batch.vouchers[17]!;
    const found = await t.call('hotspotUsers.list', { subscriptionId, batchId: batch.batchId, query: target.login.slice(-5).toLowerCase() });
    expect(found.rows.map((r) => r.login)).toContain(target.login);
    expect(found.total).toBeLessThan(30);
    expect((await t.call('hotspotUsers.list', { subscriptionId, batchId: batch.batchId, query: '%' })).total).toBe(0);
    expect((await t.call('hotspotUsers.list', { subscriptionId, batchId: batch.batchId, query: 'SRCH' })).total).toBe(30);
  });

  it('voids a batch: every voucher stays on record as Voided, with history, refused by the rule and disabled for the router', async () => {
    const plan = await makeHotspotPlan(t);
    const batch = await t.call('vouchers.generateBatch', { subscriptionId, hotspotPlanId: plan.id, count: 3, prefix: 'VOID' });
    await session(batch.vouchers[0]!.id, 'void-1', '2026-06-01T10:00:00.000Z', 60, 10);
    expect(await t.call('vouchers.voidBatch', { batchId: batch.batchId, reason: 'Printed with the wrong plan' })).toEqual({ voided: 3, alreadyVoided: 0 });
    const after = await t.call('vouchers.batch', { batchId: batch.batchId });
    expect(after.vouchers.map((v) => [v.status, v.state.status])).toEqual([['Disabled', 'Voided'], ['Disabled', 'Voided'], ['Disabled', 'Voided']]);
    expect(after.vouchers[0]!.usedSeconds).toBe(60);
    expect(await t.call('hotspotUsers.history', { id: batch.vouchers[1]!.id })).toMatchObject([{ fromStatus: 'Active', toStatus: 'Voided', reason: `Batch ${batch.batchId} voided: Printed with the wrong plan` }]);
    expect(await t.call('vouchers.voidBatch', { batchId: batch.batchId })).toEqual({ voided: 0, alreadyVoided: 3 });
    const err = await t.fail('hotspotUsers.update', { id: batch.vouchers[1]!.id, status: 'Active' });
    expect(err.fields).toHaveProperty('status');
  });

  it('deletes a batch only when none of its vouchers was used; a used one must be voided', async () => {
    const plan = await makeHotspotPlan(t);
    const unused = await t.call('vouchers.generateBatch', { subscriptionId, hotspotPlanId: plan.id, count: 4, prefix: 'DEL' });
    expect(await t.call('vouchers.deleteBatch', { batchId: unused.batchId })).toEqual({ deleted: 4 });
    expect((await t.fail('vouchers.batch', { batchId: unused.batchId })).code).toBe('not_found');
    const used = await t.call('vouchers.generateBatch', { subscriptionId, hotspotPlanId: plan.id, count: 2, prefix: 'USED' });
    await session(used.vouchers[1]!.id, 'del-1', '2026-06-01T10:00:00.000Z', 5, 5);
    const err = await t.fail('vouchers.deleteBatch', { batchId: used.batchId });
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/1 voucher of this batch was already used.*void it instead/);
    expect((await t.call('vouchers.batch', { batchId: used.batchId })).vouchers).toHaveLength(2);
  });

  it('keeps what the cards print: the Wi-Fi network name and login address, checked at the boundary', async () => {
    expect(await t.call('hotspotSettings.update', { ssid: 'Big Sky Marina Guest', loginAddress: 'login.wifi' })).toMatchObject({ ssid: 'Big Sky Marina Guest', loginAddress: 'login.wifi' });
    expect((await t.fail('hotspotSettings.update', { ssid: 'x'.repeat(33) })).fields).toHaveProperty('ssid');
    expect((await t.fail('hotspotSettings.update', { loginAddress: 'http://a b' })).fields).toHaveProperty('loginAddress');
    expect(await t.call('hotspotSettings.update', { ssid: '' })).toMatchObject({ ssid: null, loginAddress: 'login.wifi' });
  });

  it('offers a login page with the ISP\'s name, escaped for HTML and for RouterOS variables', async () => {
    await t.call('billingSettings.update', { ispName: 'Bob & Sons <Wi-Fi> $(identity)' });
    const page = await t.call('hotspot.loginPage', {});
    expect(page.filename).toBe('login.html');
    expect(page.html).toContain('Bob &amp; Sons &lt;Wi-Fi&gt; &#36;(identity)');
    expect(page.html).not.toContain('<Wi-Fi>');
    expect(page.html).toMatch(/<form name="login" action="\$\(link-login-only\)" method="post"/);
  });
});

describe('accounting that uses a voucher up', () => {
  it('stores Expired with its history in the accounting report\'s own write, for time and for data', async () => {
    const plan = await makeHotspotPlan(t, { timeLimitMinutes: 30, dataLimitMb: 1, validityDays: 7 });
    const batch = await t.call('vouchers.generateBatch', { subscriptionId, hotspotPlanId: plan.id, count: 2, prefix: 'ACCT' });
    const [timed, data] = batch.vouchers;
    await session(timed!.id, 'acct-1', '2026-06-01T10:00:00.000Z', 1200, 0);
    expect((await t.call('hotspotUsers.get', { id: timed!.id })).status).toBe('Active');
    // The second session's report brings the total to 30 minutes.
    await session(timed!.id, 'acct-2', '2026-06-01T11:00:00.000Z', 600, 0);
    expect((await t.call('hotspotUsers.get', { id: timed!.id })).status).toBe('Expired');
    expect(await t.call('hotspotUsers.history', { id: timed!.id })).toMatchObject([{ toStatus: 'Expired', reason: 'Time used up', actor: 'RADIUS accounting' }]);
    await session(data!.id, 'acct-3', '2026-06-01T10:00:00.000Z', 10, 1000);
    await db().updateTable('radius_sessions').set({ output_bytes: BYTES_PER_MB, updated_at: '2026-06-01T10:05:00.000Z' }).where('acct_session_id', '=', 'acct-3').execute();
    expect(await t.call('hotspotUsers.history', { id: data!.id })).toMatchObject([{ toStatus: 'Expired', reason: 'Data used up', at: '2026-06-01T10:05:00.000Z' }]);
  });

  it('agrees with the one status rule on what is used up (property: random plans and sessions)', async () => {
    const plan = fc.record({ timeLimitMinutes: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }), dataLimitMb: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }), validityDays: fc.integer({ min: 1, max: 3 }) });
    const sessions = fc.array(fc.record({ seconds: fc.integer({ min: 0, max: 4000 }), bytes: fc.integer({ min: 0, max: 30 * BYTES_PER_MB }), hours: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 4 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(plan, sessions, async (p, ss) => {
        n += 1;
        const hp = await makeHotspotPlan(t, p);
        const user = await t.call('hotspotUsers.create', { subscriptionId, hotspotPlanId: hp.id, login: `prop-${n}` });
        const first = Date.parse('2026-06-01T00:00:00.000Z');
        let seconds = 0;
        let bytes = 0;
        let expected: string | null = null;
        for (const [i, s] of ss.entries()) {
          const at = new Date(first + s.hours * 3_600_000 * (i === 0 ? 0 : 1)).toISOString();
          await session(user.id, `prop-${n}-${i}`, at, s.seconds, s.bytes);
          seconds += s.seconds;
          bytes += s.bytes;
          expected ??= exhaustion({ status: 'Active', voidedAt: null, firstUsedAt: '2026-06-01T00:00:00.000Z', validityDays: p.validityDays, timeLimitMinutes: p.timeLimitMinutes, dataLimitMb: p.dataLimitMb, usedSeconds: seconds, usedBytes: bytes }, new Date(at));
        }
        const history = await t.call('hotspotUsers.history', { id: user.id });
        expect(history.map((h) => h.reason)).toEqual(expected ? [expected] : []);
        expect((await t.call('hotspotUsers.get', { id: user.id })).status).toBe(expected ? 'Expired' : 'Active');
      }),
      { numRuns: 25 },
    );
  });
});
