/**
 * RADIUS accounting (RFC 2866) stored as sessions. NAS counters are running totals, so a report
 * REPLACES what a session holds with the larger value instead of adding: a retransmitted,
 * duplicated or reordered packet can never count twice, and a late Interim-Update cannot reopen a
 * stopped session or wind its counters back.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../../db/open';
import { isBusy } from '../../db/errors';
import { AcctStatus, attrInt, attrText, type Packet } from './codec';
import { countRadiusReport } from '../../usage/radius-ingest';
import { radiusSessionKey } from '../../usage/ingest';

export interface SessionReport {
  nasAddress: string;
  routerId: number | null;
  acctSessionId: string;
  login: string;
  kind: 'start' | 'interim' | 'stop';
  serviceId: number | null;
  hotspotUserId: number | null;
  /** When the NAS says the event happened (now minus Acct-Delay-Time). */
  at: string;
  startedAt: string;
  stoppedAt: string | null;
  sessionSeconds: number;
  inputBytes: number;
  outputBytes: number;
  framedIp: string | null;
  callingStationId: string | null;
  nasPortId: string | null;
  terminateCause: string | null;
}

const TERMINATE_CAUSES: Record<number, string> = {
  1: 'User-Request', 2: 'Lost-Carrier', 3: 'Lost-Service', 4: 'Idle-Timeout', 5: 'Session-Timeout', 6: 'Admin-Reset',
  7: 'Admin-Reboot', 8: 'Port-Error', 9: 'NAS-Error', 10: 'NAS-Request', 11: 'NAS-Reboot', 12: 'Port-Unneeded',
  13: 'Port-Preempted', 14: 'Port-Suspended', 15: 'Service-Unavailable', 16: 'Callback', 17: 'User-Error', 18: 'Host-Request',
};

const GIGA = 2 ** 32;

/** 64-bit totals from the 32-bit Octets and their Gigawords (RFC 2869 §5.1-5.2). */
export const totalBytes = (octets: number | undefined, gigawords: number | undefined) => (gigawords ?? 0) * GIGA + (octets ?? 0);

export type ReportResult = { ok: true; report: SessionReport } | { ok: false; reason: 'ignored' | 'invalid'; message: string };

/**
 * What an Accounting-Request reports, or why it is not a session report (Accounting-On/Off are
 * acknowledged but stored nowhere; a request without a session id or user is invalid).
 */
export function reportOf(packet: Packet, nas: { address: string; routerId: number | null }, now: Date, owner: { serviceId: number | null; hotspotUserId: number | null }): ReportResult {
  const status = attrInt(packet, 'Acct-Status-Type');
  if (status === AcctStatus.AccountingOn || status === AcctStatus.AccountingOff) return { ok: false, reason: 'ignored', message: 'Accounting-On/Off' };
  const kind = status === AcctStatus.Start ? 'start' : status === AcctStatus.Stop ? 'stop' : status === AcctStatus.InterimUpdate ? 'interim' : null;
  if (!kind) return { ok: false, reason: 'invalid', message: `Acct-Status-Type ${status ?? 'missing'}` };
  const acctSessionId = attrText(packet, 'Acct-Session-Id');
  const login = attrText(packet, 'User-Name');
  if (!acctSessionId || !login) return { ok: false, reason: 'invalid', message: 'Acct-Session-Id or User-Name missing' };
  const delay = attrInt(packet, 'Acct-Delay-Time') ?? 0;
  const atMs = now.getTime() - delay * 1000;
  const sessionSeconds = attrInt(packet, 'Acct-Session-Time') ?? 0;
  const cause = attrInt(packet, 'Acct-Terminate-Cause');
  return {
    ok: true,
    report: {
      nasAddress: nas.address,
      routerId: nas.routerId,
      acctSessionId,
      login,
      kind,
      serviceId: owner.serviceId,
      hotspotUserId: owner.hotspotUserId,
      at: new Date(atMs).toISOString(),
      startedAt: new Date(atMs - sessionSeconds * 1000).toISOString(),
      stoppedAt: kind === 'stop' ? new Date(atMs).toISOString() : null,
      sessionSeconds,
      inputBytes: totalBytes(attrInt(packet, 'Acct-Input-Octets'), attrInt(packet, 'Acct-Input-Gigawords')),
      outputBytes: totalBytes(attrInt(packet, 'Acct-Output-Octets'), attrInt(packet, 'Acct-Output-Gigawords')),
      framedIp: attrText(packet, 'Framed-IP-Address') ?? null,
      callingStationId: attrText(packet, 'Calling-Station-Id') ?? null,
      nasPortId: attrText(packet, 'NAS-Port-Id') ?? null,
      terminateCause: cause === undefined ? null : (TERMINATE_CAUSES[cause] ?? String(cause)),
    },
  };
}

/**
 * A statement kysely compiled once from sample values, run with new values in the same order.
 * Insert and update parameters follow the order of the columns given, which is checked here.
 */
function positional(sqlite: BetterSqlite3.Database, compiled: { sql: string; parameters: readonly unknown[] }, count: number) {
  if (compiled.parameters.length !== count) throw new Error(`Expected ${count} parameters, compiled ${compiled.parameters.length}`);
  const statement = sqlite.prepare(compiled.sql);
  return (values: readonly (string | number | null)[]) => statement.run(values as unknown[]);
}

/** The columns of a stored session in parameter order. */
function sessionRow(r: SessionReport) {
  return {
    nas_address: r.nasAddress, router_id: r.routerId, acct_session_id: r.acctSessionId, login: r.login, service_id: r.serviceId,
    hotspot_user_id: r.hotspotUserId, framed_ip: r.framedIp, calling_station_id: r.callingStationId, nas_port_id: r.nasPortId,
    started_at: r.startedAt, updated_at: r.at, stopped_at: r.stoppedAt, session_seconds: r.sessionSeconds, input_bytes: r.inputBytes,
    output_bytes: r.outputBytes, terminate_cause: r.terminateCause,
  };
}

/** What the session table holds of a session beside its counters (the upsert returns it). */
interface StoredSession {
  id: number;
  started_at: string;
  stopped_at: string | null;
  framed_ip: string | null;
  calling_station_id: string | null;
  nas_port_id: string | null;
  service_id: number | null;
  hotspot_user_id: number | null;
  router_id: number | null;
}

/** Whether the full upsert would leave every column but the counters as they are (see its merge rules). */
function unchangedBesidesCounters(s: StoredSession, r: SessionReport): boolean {
  return (
    r.kind !== 'stop' && r.stoppedAt === null && r.terminateCause === null && r.startedAt >= s.started_at &&
    (r.framedIp === null || r.framedIp === s.framed_ip) &&
    (r.callingStationId === null || s.calling_station_id !== null) &&
    (r.nasPortId === null || s.nas_port_id !== null) &&
    (r.serviceId === null || s.service_id !== null) &&
    (r.hotspotUserId === null || s.hotspot_user_id !== null) &&
    (r.routerId === null || s.router_id !== null)
  );
}

const SAMPLE: SessionReport = {
  nasAddress: '', routerId: null, acctSessionId: '', login: '', kind: 'start', serviceId: null, hotspotUserId: null, at: '', startedAt: '',
  stoppedAt: null, sessionSeconds: 0, inputBytes: 0, outputBytes: 0, framedIp: null, callingStationId: null, nasPortId: null, terminateCause: null,
};

export interface SessionWriter {
  /** Stores a report; resolves once it is committed (the reply waits for this), rejects if it cannot be. */
  store(report: SessionReport): Promise<void>;
  /** Reports waiting for the write lock. */
  readonly pending: number;
  close(): void;
}

/**
 * Writes reports in batches, one transaction per batch, on a connection of its own that never
 * waits for the lock (busy_timeout 0): when the office holds it, the batch is retried shortly.
 */
export function createSessionWriter(db: Db, sqlite: BetterSqlite3.Database, options: { retryMs?: number; maxPending?: number } = {}): SessionWriter {
  const retryMs = options.retryMs ?? 20;
  const maxPending = options.maxPending ?? 50_000;
  const sample = sessionRow(SAMPLE);
  const upsertCompiled = db
    .insertInto('radius_sessions')
    .values(sample)
    .onConflict((oc) =>
      oc.columns(['nas_address', 'acct_session_id', 'login']).doUpdateSet((eb) => {
        return {
          updated_at: eb.case().when('excluded.updated_at', '>', eb.ref('radius_sessions.updated_at')).then(eb.ref('excluded.updated_at')).else(eb.ref('radius_sessions.updated_at')).end(),
          session_seconds: eb.case().when('excluded.session_seconds', '>', eb.ref('radius_sessions.session_seconds')).then(eb.ref('excluded.session_seconds')).else(eb.ref('radius_sessions.session_seconds')).end(),
          input_bytes: eb.case().when('excluded.input_bytes', '>', eb.ref('radius_sessions.input_bytes')).then(eb.ref('excluded.input_bytes')).else(eb.ref('radius_sessions.input_bytes')).end(),
          output_bytes: eb.case().when('excluded.output_bytes', '>', eb.ref('radius_sessions.output_bytes')).then(eb.ref('excluded.output_bytes')).else(eb.ref('radius_sessions.output_bytes')).end(),
          started_at: eb.case().when('excluded.started_at', '<', eb.ref('radius_sessions.started_at')).then(eb.ref('excluded.started_at')).else(eb.ref('radius_sessions.started_at')).end(),
          stopped_at: eb.fn.coalesce('radius_sessions.stopped_at', 'excluded.stopped_at'),
          terminate_cause: eb.fn.coalesce('radius_sessions.terminate_cause', 'excluded.terminate_cause'),
          framed_ip: eb.fn.coalesce('excluded.framed_ip', 'radius_sessions.framed_ip'),
          calling_station_id: eb.fn.coalesce('radius_sessions.calling_station_id', 'excluded.calling_station_id'),
          nas_port_id: eb.fn.coalesce('radius_sessions.nas_port_id', 'excluded.nas_port_id'),
          service_id: eb.fn.coalesce('radius_sessions.service_id', 'excluded.service_id'),
          hotspot_user_id: eb.fn.coalesce('radius_sessions.hotspot_user_id', 'excluded.hotspot_user_id'),
          router_id: eb.fn.coalesce('radius_sessions.router_id', 'excluded.router_id'),
        };
      }),
    )
    .returning(['id', 'started_at', 'stopped_at', 'framed_ip', 'calling_station_id', 'nas_port_id', 'service_id', 'hotspot_user_id', 'router_id'])
    .compile();
  if (upsertCompiled.parameters.length !== Object.keys(sample).length) throw new Error(`Expected ${Object.keys(sample).length} parameters, compiled ${upsertCompiled.parameters.length}`);
  const upsertStatement = sqlite.prepare(upsertCompiled.sql);
  const upsert = (r: SessionReport) => upsertStatement.get(Object.values(sessionRow(r))) as StoredSession;
  // The fast path of an Interim-Update for an open session this writer knows: by primary key, and
  // only the columns no index holds, so none of the session table's indexes is rewritten. The hotspot
  // expiry trigger (after update of session_seconds...) still fires. No row changed means the
  // session ended or went away meanwhile (cleanup on another connection): the full upsert decides.
  const advanceOpen = positional(
    sqlite,
    db
      .updateTable('radius_sessions')
      .set((eb) => ({
        updated_at: eb.fn('max', [eb.ref('updated_at'), eb.val('')]),
        session_seconds: eb.fn('max', [eb.ref('session_seconds'), eb.val(0)]),
        input_bytes: eb.fn('max', [eb.ref('input_bytes'), eb.val(0)]),
        output_bytes: eb.fn('max', [eb.ref('output_bytes'), eb.val(0)]),
      }))
      .where('id', '=', 0)
      .where('stopped_at', 'is', null)
      .compile(),
    5,
  );
  // A voucher's validity runs from its first use: the first session that starts marks it.
  const firstUse = positional(sqlite, db.updateTable('hotspot_users').set({ first_used_at: '' }).where('id', '=', 0).where('first_used_at', 'is', null).compile(), 2);

  // Open sessions as last committed by this writer, keyed like the unique key: what the full upsert
  // would keep of a report the fast path skips. The datastore stays the truth: a miss, a changed
  // field or a failed batch (the cache is dropped) goes through the full upsert.
  const open = new Map<string, StoredSession>();

  let queue: { report: SessionReport; resolve: () => void; reject: (e: Error) => void }[] = [];
  let scheduled = false;
  let closed = false;

  // Usage (rollups per service, live sessions) is counted in the same transaction, before the
  // session row takes the report: the row tells a late packet after a Stop apart.
  const countUsage = countRadiusReport(db, sqlite);
  const writeAll = sqlite.transaction((batch: readonly SessionReport[]) => {
    for (const r of batch) {
      countUsage(r);
      const key = radiusSessionKey(r.nasAddress, r.acctSessionId, r.login);
      const known = open.get(key);
      if (known && unchangedBesidesCounters(known, r) && advanceOpen([r.at, r.sessionSeconds, r.inputBytes, r.outputBytes, known.id]).changes === 1) continue;
      const stored = upsert(r);
      if (stored.stopped_at === null) open.set(key, stored);
      else open.delete(key);
      if (r.hotspotUserId !== null) firstUse([r.startedAt, r.hotspotUserId]);
    }
  });

  function schedule(delay: number) {
    if (scheduled || closed) return;
    scheduled = true;
    const run = () => {
      scheduled = false;
      flush();
    };
    if (delay > 0) setTimeout(run, delay).unref?.();
    else setImmediate(run);
  }

  function flush() {
    if (queue.length === 0 || closed) return;
    const batch = queue;
    queue = [];
    try {
      writeAll(batch.map((b) => b.report));
      for (const b of batch) b.resolve();
    } catch (error) {
      // The batch rolled back: what it taught the cache may never have been committed.
      open.clear();
      if (isBusy(error)) {
        queue = batch.concat(queue);
        schedule(retryMs);
      } else {
        const e = error instanceof Error ? error : new Error(String(error));
        for (const b of batch) b.reject(e);
      }
    }
  }

  return {
    store(report) {
      if (closed) return Promise.reject(new Error('Accounting writer closed'));
      if (queue.length >= maxPending) return Promise.reject(new Error('Accounting backlog full'));
      return new Promise<void>((resolve, reject) => {
        queue.push({ report, resolve, reject });
        schedule(0);
      });
    },
    get pending() {
      return queue.length;
    },
    close() {
      flush();
      closed = true;
      for (const b of queue) b.reject(new Error('Accounting writer closed'));
      queue = [];
    },
  };
}
