/**
 * Usage ingest: counts each accounting report (RADIUS) or counter reading (RouterOS poll) into
 * the live session it belongs to and the hourly and daily rollups of its service. Runs inside
 * the caller's transaction on the caller's connection (the RADIUS server's writer batches many
 * reports per transaction), with statements kysely compiles once and SQLite keeps prepared.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../db/open';
import { advance, type Counters, dayOfInstant, hourOf } from './counters';

export interface UsageReport {
  source: 'radius' | 'routeros';
  sessionKey: string;
  serviceId: number | null;
  hotspotUserId: number | null;
  routerId: number | null;
  login: string;
  /** When the counters were read (ISO); the bytes they add are counted in this hour and day. */
  at: string;
  startedAt: string;
  /** The session ended with this report: it leaves the live sessions. */
  stop: boolean;
  counters: Counters;
}

export interface Counted {
  uploadBytes: number;
  downloadBytes: number;
  seconds: number;
}

/** The key of a RADIUS session, as usage_live_sessions holds it (the session table's unique key). */
export const radiusSessionKey = (nasAddress: string, acctSessionId: string, login: string) => `${nasAddress}\u0000${acctSessionId}\u0000${login}`;

type Param = string | number | null;

/** A compiled kysely statement prepared once; the parameter count is checked against the values given. */
function prepare(sqlite: BetterSqlite3.Database, compiled: { sql: string; parameters: readonly unknown[] }) {
  const statement = sqlite.prepare(compiled.sql);
  const count = compiled.parameters.length;
  const check = (values: readonly Param[]) => {
    if (values.length !== count) throw new Error(`Statement takes ${count} parameters, given ${values.length}`);
    return values as Param[];
  };
  return {
    run: (values: readonly Param[]) => statement.run(check(values)),
    get: <T>(values: readonly Param[]) => statement.get(check(values)) as T | undefined,
  };
}

export interface UsageIngest {
  /**
   * Counts one report. `closed` says whether the session already ended before (a late packet
   * after its Stop): it is asked only when the session is not live, and such a report adds nothing.
   */
  count(report: UsageReport, closed: () => boolean): Counted;
  /**
   * Keeps a session's counters as counted without counting them: the first reading of counters
   * that ran before anyone read them (a router polled for the first time), which later readings
   * count from.
   */
  remember(report: UsageReport): void;
}

export function createUsageIngest(db: Db, sqlite: BetterSqlite3.Database): UsageIngest {
  const live = prepare(
    sqlite,
    db.selectFrom('usage_live_sessions').select(['session_seconds', 'input_counter', 'output_counter', 'service_id', 'hotspot_user_id']).where('session_key', '=', '').compile(),
  );
  // A live session whose owner is already known takes only its counters and time: no indexed
  // column is written, so no index entry moves (migration 2360). A new session, or one whose
  // service or hotspot user a report names for the first time, goes through the upsert.
  const touch = prepare(
    sqlite,
    db
      .updateTable('usage_live_sessions')
      .set({ updated_at: '', session_seconds: 0, input_counter: 0, output_counter: 0 })
      .where('session_key', '=', '')
      .compile(),
  );
  const keep = prepare(
    sqlite,
    db
      .insertInto('usage_live_sessions')
      .values({ session_key: '', source: 'radius', service_id: 0, hotspot_user_id: 0, router_id: 0, login: '', started_at: '', updated_at: '', session_seconds: 0, input_counter: 0, output_counter: 0 })
      .onConflict((oc) =>
        oc.column('session_key').doUpdateSet((eb) => ({
          updated_at: eb.ref('excluded.updated_at'),
          session_seconds: eb.ref('excluded.session_seconds'),
          input_counter: eb.ref('excluded.input_counter'),
          output_counter: eb.ref('excluded.output_counter'),
          service_id: eb.fn.coalesce('usage_live_sessions.service_id', 'excluded.service_id'),
          hotspot_user_id: eb.fn.coalesce('usage_live_sessions.hotspot_user_id', 'excluded.hotspot_user_id'),
        })),
      )
      .compile(),
  );
  const drop = prepare(sqlite, db.deleteFrom('usage_live_sessions').where('session_key', '=', '').compile());
  const rollupValues = { service_id: 0, download_bytes: 0, upload_bytes: 0 };
  const hourly = prepare(
    sqlite,
    db
      .insertInto('usage_hourly')
      .values({ ...rollupValues, hour: '' })
      .onConflict((oc) =>
        oc.columns(['service_id', 'hour']).doUpdateSet((eb) => ({
          download_bytes: eb('usage_hourly.download_bytes', '+', eb.ref('excluded.download_bytes')),
          upload_bytes: eb('usage_hourly.upload_bytes', '+', eb.ref('excluded.upload_bytes')),
        })),
      )
      .compile(),
  );
  const daily = prepare(
    sqlite,
    db
      .insertInto('usage_daily')
      .values({ ...rollupValues, day: '' })
      .onConflict((oc) =>
        oc.columns(['service_id', 'day']).doUpdateSet((eb) => ({
          download_bytes: eb('usage_daily.download_bytes', '+', eb.ref('excluded.download_bytes')),
          upload_bytes: eb('usage_daily.upload_bytes', '+', eb.ref('excluded.upload_bytes')),
        })),
      )
      .compile(),
  );
  const hotspot = prepare(
    sqlite,
    db
      .insertInto('usage_hotspot_totals')
      .values({ hotspot_user_id: 0, session_seconds: 0, download_bytes: 0, upload_bytes: 0 })
      .onConflict((oc) =>
        oc.column('hotspot_user_id').doUpdateSet((eb) => ({
          session_seconds: eb('usage_hotspot_totals.session_seconds', '+', eb.ref('excluded.session_seconds')),
          download_bytes: eb('usage_hotspot_totals.download_bytes', '+', eb.ref('excluded.download_bytes')),
          upload_bytes: eb('usage_hotspot_totals.upload_bytes', '+', eb.ref('excluded.upload_bytes')),
        })),
      )
      .compile(),
  );

  return {
    count(r, closed) {
      const row = live.get<{ session_seconds: number; input_counter: number; output_counter: number; service_id: number | null; hotspot_user_id: number | null }>([r.sessionKey]);
      if (!row && closed()) return { uploadBytes: 0, downloadBytes: 0, seconds: 0 };
      const previous: Counters | null = row ? { sessionSeconds: row.session_seconds, input: row.input_counter, output: row.output_counter } : null;
      const step = advance(previous, r.counters);
      if (r.stop) drop.run([r.sessionKey]);
      else if (row && (r.serviceId === null || row.service_id !== null) && (r.hotspotUserId === null || row.hotspot_user_id !== null))
        touch.run([r.at, step.next.sessionSeconds, step.next.input, step.next.output, r.sessionKey]);
      else
        keep.run([
          r.sessionKey, r.source, r.serviceId, r.hotspotUserId, r.routerId, r.login, r.startedAt, r.at,
          step.next.sessionSeconds, step.next.input, step.next.output,
        ]);
      if (r.serviceId !== null && (step.downloadBytes > 0 || step.uploadBytes > 0)) {
        hourly.run([r.serviceId, step.downloadBytes, step.uploadBytes, hourOf(r.at)]);
        daily.run([r.serviceId, step.downloadBytes, step.uploadBytes, dayOfInstant(r.at)]);
      }
      if (r.hotspotUserId !== null && (step.downloadBytes > 0 || step.uploadBytes > 0 || step.seconds > 0)) {
        hotspot.run([r.hotspotUserId, step.seconds, step.downloadBytes, step.uploadBytes]);
      }
      return { uploadBytes: step.uploadBytes, downloadBytes: step.downloadBytes, seconds: step.seconds };
    },
    remember(r) {
      keep.run([
        r.sessionKey, r.source, r.serviceId, r.hotspotUserId, r.routerId, r.login, r.startedAt, r.at,
        r.counters.sessionSeconds, r.counters.input, r.counters.output,
      ]);
    },
  };
}
