import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../../test/fixtures/backend';
import { openConnection, setBusyTimeout } from '../../db/connection';
import { createSessionWriter, type SessionReport, type SessionWriter } from './accounting';

let t: TestBackend;
let writer: ReturnType<typeof openConnection>;
let sessions: SessionWriter;

const report = (over: Partial<SessionReport>): SessionReport => ({
  nasAddress: '10.9.0.1', routerId: null, acctSessionId: 'S1', login: 'fastpath', kind: 'interim', serviceId: null, hotspotUserId: null,
  at: '2026-05-01T10:00:00.000Z', startedAt: '2026-05-01T09:00:00.000Z', stoppedAt: null, sessionSeconds: 0, inputBytes: 0, outputBytes: 0,
  framedIp: null, callingStationId: null, nasPortId: null, terminateCause: null, ...over,
});
const row = () => t.backend.datastore.db.selectFrom('radius_sessions').selectAll().where('acct_session_id', '=', 'S1').executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await testBackend();
  writer = openConnection(t.backend.datastore.file);
  setBusyTimeout(writer, 0);
  sessions = createSessionWriter(t.backend.datastore.db, writer);
});
afterAll(async () => {
  sessions?.close();
  writer?.close();
  await t?.close();
});

describe('the session writer on sessions it already knows', () => {
  it('keeps the larger counters and the earliest start through the fast path, and takes a new framed IP', async () => {
    await sessions.store(report({ kind: 'start', sessionSeconds: 0 }));
    await sessions.store(report({ at: '2026-05-01T10:05:00.000Z', sessionSeconds: 300, inputBytes: 500, outputBytes: 900 }));
    await sessions.store(report({ at: '2026-05-01T10:02:00.000Z', sessionSeconds: 120, inputBytes: 200, outputBytes: 300 }));
    expect(await row()).toMatchObject({ updated_at: '2026-05-01T10:05:00.000Z', session_seconds: 300, input_bytes: 500, output_bytes: 900, stopped_at: null });
    await sessions.store(report({ at: '2026-05-01T10:10:00.000Z', startedAt: '2026-05-01T08:59:59.000Z', sessionSeconds: 600, inputBytes: 700, outputBytes: 1000, framedIp: '100.64.0.9' }));
    expect(await row()).toMatchObject({ started_at: '2026-05-01T08:59:59.000Z', framed_ip: '100.64.0.9', session_seconds: 600, input_bytes: 700 });
  });

  it('does not reopen a session another connection closed meanwhile, though this writer last saw it open', async () => {
    await t.backend.datastore.db.updateTable('radius_sessions').set({ stopped_at: '2026-05-01T10:10:00.000Z', terminate_cause: 'Lost (no Stop)' }).where('acct_session_id', '=', 'S1').execute();
    await sessions.store(report({ at: '2026-05-01T10:15:00.000Z', sessionSeconds: 900, inputBytes: 800, outputBytes: 1100 }));
    expect(await row()).toMatchObject({ stopped_at: '2026-05-01T10:10:00.000Z', terminate_cause: 'Lost (no Stop)', input_bytes: 800 });
  });
});
