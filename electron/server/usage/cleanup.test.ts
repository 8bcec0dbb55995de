import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../test/fixtures/backend';
import { makeService } from '../../../test/fixtures/factories';
import { cleanUpUsage } from './cleanup';
import { radiusSessionKey } from './ingest';

let t: TestBackend;
let serviceId: number;
const now = new Date('2026-06-30T12:00:00.000Z');

beforeAll(async () => {
  t = await testBackend();
  serviceId = (await makeService(t, { login: 'keeper' })).id;
  const db = t.backend.datastore.db;
  await t.call('usage.updateSettings', { hourlyDays: 7, dailyDays: 60, sessionDays: 30, staleSessionHours: 24 });
  await db.insertInto('usage_hourly').values([
    { service_id: serviceId, hour: '2026-06-23T11', download_bytes: 1, upload_bytes: 1 },
    { service_id: serviceId, hour: '2026-06-23T12', download_bytes: 2, upload_bytes: 2 },
  ]).execute();
  await db.insertInto('usage_daily').values([
    { service_id: serviceId, day: '2026-04-30', download_bytes: 1, upload_bytes: 1 },
    { service_id: serviceId, day: '2026-05-01', download_bytes: 2, upload_bytes: 2 },
  ]).execute();
  const session = (id: string, stoppedAt: string | null, updatedAt: string) => ({ nas_address: '10.0.0.1', acct_session_id: id, login: 'keeper', service_id: serviceId, started_at: '2026-05-01T00:00:00.000Z', updated_at: updatedAt, stopped_at: stoppedAt });
  await db.insertInto('radius_sessions').values([session('old', '2026-05-30T00:00:00.000Z', '2026-05-30T00:00:00.000Z'), session('recent', '2026-06-10T00:00:00.000Z', '2026-06-10T00:00:00.000Z'), session('lost', null, '2026-06-28T00:00:00.000Z'), session('live', null, '2026-06-30T11:00:00.000Z')]).execute();
  const live = (id: string, updatedAt: string) => ({ session_key: radiusSessionKey('10.0.0.1', id, 'keeper'), source: 'radius' as const, service_id: serviceId, hotspot_user_id: null, router_id: null, login: 'keeper', started_at: '2026-05-01T00:00:00.000Z', updated_at: updatedAt, session_seconds: 0, input_counter: 0, output_counter: 0 });
  await db.insertInto('usage_live_sessions').values([live('lost', '2026-06-28T00:00:00.000Z'), live('live', '2026-06-30T11:00:00.000Z')]).execute();
});

afterAll(async () => {
  await t?.close();
});

describe('the usage cleanup', () => {
  it('keeps each kind of figure for its days, and closes a session whose Stop was lost', async () => {
    expect(await cleanUpUsage(t.backend.datastore.db, now)).toEqual({ hourly: 1, daily: 1, sessions: 1, staleClosed: 1 });
    const db = t.backend.datastore.db;
    expect((await db.selectFrom('usage_hourly').select('hour').execute()).map((r) => r.hour)).toEqual(['2026-06-23T12']);
    expect((await db.selectFrom('usage_daily').select('day').execute()).map((r) => r.day)).toEqual(['2026-05-01']);
    const sessions = await db.selectFrom('radius_sessions').select(['acct_session_id', 'stopped_at']).orderBy('acct_session_id').execute();
    expect(sessions).toEqual([
      { acct_session_id: 'live', stopped_at: null },
      { acct_session_id: 'lost', stopped_at: '2026-06-28T00:00:00.000Z' },
      { acct_session_id: 'recent', stopped_at: '2026-06-10T00:00:00.000Z' },
    ]);
    const [p] = await t.call('usage.presence', { serviceIds: [serviceId] });
    expect(p).toMatchObject({ online: true, lastSeenAt: '2026-06-30T11:00:00.000Z' });
    expect((await t.call('usage.settings')).lastCleanupAt).toBe(now.toISOString());
  });
});
