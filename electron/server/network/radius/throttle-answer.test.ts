import { afterEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../../test/fixtures/backend';
import { makePlan, makeRouter, makeService, makeSubscription } from '../../../../test/fixtures/factories';
import { radclient } from '../../../../test/radius/peers';
import { startRadiusServer, type RadiusServer } from './server';

/**
 * The running server keeps every service login in memory and re-reads only what the change log
 * lists: entering and leaving dunning's throttle stage, and a new throttle rate, must reach its
 * answer without a restart. December 2026: the invoice is due Friday 11th; the throttle starts
 * on Tuesday 15th (3 days of grace past the weekend).
 */
const SECRET = 'tower-secret-throttle';
let t: TestBackend | undefined;
let server: RadiusServer | undefined;
let clock = new Date('2026-12-01T09:00:00Z');

afterEach(async () => {
  await server?.stop();
  await t?.close();
});

const login = async (port: number) =>
  (await radclient(port, 'auth', SECRET, ['User-Name = dyn1', 'User-Password = pw-dyn', 'Message-Authenticator = 0x00'])).attributes['Mikrotik-Rate-Limit'];

describe('the RADIUS answer of a throttled subscriber', () => {
  it('follows the throttle stage and rate while the server runs, and the plan comes back after payment', async () => {
    t = await testBackend({ now: () => clock });
    await t.call('billingSettings.update', { paymentTermsDays: 10 });
    await t.call('dunning.updateSettings', { enabled: true, graceDays: 20, minimumOverdueCents: 1000, noCutoffWeekdays: ['Sat', 'Sun'], throttleDays: 3, throttleRate: '512k/1M' });
    const router = await makeRouter(t, { address: '127.0.0.1', radiusSecret: SECRET });
    const plan = await makePlan(t, { priceCents: 5000, downloadKbps: 50_000, uploadKbps: 10_000 });
    const sub = await makeSubscription(t, { billDay: 1 });
    await makeService(t, { subscriptionId: sub.id, planId: plan.id, routerId: router.id, login: 'dyn1', password: 'pw-dyn', startDate: '2026-12-01' });
    await t.call('billing.run', { date: '2026-12-01', wait: true });
    const [open] = await t.call('invoices.listBySubscription', { subscriptionId: sub.id });
    await t.call('invoices.close', { id: open!.id, date: '2026-12-01' });

    server = await startRadiusServer(t.backend, { authPort: 0, acctPort: 0, heartbeatMs: 100, log: () => {} });
    expect(await login(server.authPort)).toBe('10M/50M');

    clock = new Date('2026-12-15T09:00:00Z');
    expect((await t.call('dunning.run', {})).moves.map((m) => m.to)).toEqual(['throttle']);
    expect(await login(server.authPort)).toBe('512k/1M');

    await t.call('dunning.updateSettings', { throttleRate: '256k/512k' });
    expect(await login(server.authPort)).toBe('256k/512k');

    await t.call('payments.record', { subscriptionId: sub.id, method: 'cash', receivedDate: '2026-12-15', amountCents: 5000 });
    expect(await login(server.authPort)).toBe('10M/50M');
  });
});
