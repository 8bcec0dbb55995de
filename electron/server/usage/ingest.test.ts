import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../test/fixtures/backend';
import { makePlan, makeService, makeSubscription } from '../../../test/fixtures/factories';
import { openConnection } from '../db/connection';
import { createUsageIngest, type UsageReport } from './ingest';

let t: TestBackend;
let serviceId: number;

beforeAll(async () => {
  t = await testBackend();
  const plan = await makePlan(t, { downloadKbps: 50_000, uploadKbps: 10_000 });
  const sub = await makeSubscription(t);
  serviceId = (await makeService(t, { login: 'late-owner', password: 'pw', planId: plan.id, subscriptionId: sub.id })).id;
});
afterAll(async () => {
  await t?.close();
});

const report = (at: string, seconds: number, bytes: number, owner: number | null): UsageReport => ({
  source: 'radius', sessionKey: 'nas\u0000S1\u0000late-owner', serviceId: owner, hotspotUserId: null, routerId: null, login: 'late-owner',
  at, startedAt: '2026-03-01T10:00:00.000Z', stop: false, counters: { sessionSeconds: seconds, input: bytes, output: bytes * 10 },
});

describe('counting reports into live sessions', () => {
  it('keeps the owner a later report names, then advances only the counters, counting each byte once', async () => {
    const db = t.backend.datastore.db;
    const writer = openConnection(t.backend.datastore.file);
    try {
      const ingest = createUsageIngest(db, writer);
      const count = (r: UsageReport) => writer.transaction(() => ingest.count(r, () => false))();
      count(report('2026-03-01T10:00:00.000Z', 0, 0, null));
      count(report('2026-03-01T10:05:00.000Z', 300, 1000, serviceId));
      count(report('2026-03-01T10:10:00.000Z', 600, 3000, serviceId));
      count(report('2026-03-01T10:10:00.000Z', 600, 3000, serviceId)); // a duplicate adds nothing
      const live = await db.selectFrom('usage_live_sessions').selectAll().execute();
      expect(live).toEqual([expect.objectContaining({ service_id: serviceId, updated_at: '2026-03-01T10:10:00.000Z', session_seconds: 600, input_counter: 3000, output_counter: 30_000 })]);
      // Counted once the session's owner is known: the upsert names it, the counters' update keeps it.
      const daily = await db.selectFrom('usage_daily').selectAll().execute();
      expect(daily).toEqual([{ service_id: serviceId, day: '2026-03-01', download_bytes: 30_000, upload_bytes: 3000 }]);
    } finally {
      writer.close();
    }
  });
});
