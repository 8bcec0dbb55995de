import { sql } from 'kysely';
import { benchBackend } from '../bench/fixture';
import { type Benchmark, type Figure, measure, time } from '../bench/harness';
import { openConnection, setBusyTimeout } from '../db/connection';
import { createSessionWriter, type SessionReport } from '../network/radius/accounting';
import { createUsageIngest } from './ingest';

// 10,000,000 (the figure) took 8.6 minutes to generate on a quiet 2-core machine (over 30 loaded), too
// long for every bench run: TOWERLINE_BENCH_USAGE_ROWS=10000000 asks for it. The page reads the
// rollups by (service, day) key ranges, so its figure hardly moves with the session count.
const ROWS = Number(process.env.TOWERLINE_BENCH_USAGE_ROWS ?? 1_000_000);
const INGEST = Number(process.env.TOWERLINE_BENCH_USAGE_INGEST ?? 50_000);
/** TOWERLINE_BENCH_USAGE_PAGE=0 measures the ingest only (with ROWS sessions stored beforehand). */
const PAGE = process.env.TOWERLINE_BENCH_USAGE_PAGE !== '0';
const DAYS = 400;
const TODAY = '2026-11-30';

/**
 * The usage page with ROWS accounting sessions in the datastore (radius_sessions, spread over
 * every Internet service of 2,000 subscribers, with the daily and hourly rollups they imply):
 * a service's 90-day graph and its subscription's month total through the API, p95 (target under
 * 100 ms). Then accounting ingest: Interim-Updates written per second through the RADIUS
 * server's session writer (usage counted in the same transactions; target ≥ 5,000/s), beside a
 * bare prepared insert loop of as many rows.
 */
export const usageBenchmarks: Benchmark = {
  name: 'usage',
  figures: ['usage.daily90', 'usage.month', 'usage.presence', 'usage.ingest.start', 'usage.ingest', 'usage.ingest.counting', 'usage.ingest.baseline'],
  describe: `the usage page with ${ROWS.toLocaleString('en-US')} accounting rows (p95 target under 100 ms); accounting ingest (target ≥ 5,000 Interim-Updates/s)`,
  async run(log) {
    const { backend, close } = await benchBackend(2_000, log);
    const db = backend.datastore.db;
    const figures: Figure[] = [];
    const call = async (procedure: string, input: unknown) => {
      const r = await backend.call(procedure, input);
      if (!r.ok) throw new Error(`${procedure}: ${r.error.message}`);
      return r.value;
    };
    try {
      const services = await db.selectFrom('services as s').innerJoin('plans as p', 'p.id', 's.plan_id').select(['s.id', 's.subscription_id', 's.login']).where('p.kind', '=', 'Internet').orderBy('s.id').execute();
      if (services.length === 0) throw new Error('The demo made no Internet services');
      const first = services[0]!.id;
      const last = services.at(-1)!.id;
      // One statement per table: a recursive counter, each row a session of some service on some day.
      const filled = await time(async () => {
        await sql`insert into radius_sessions (nas_address, acct_session_id, login, service_id, started_at, updated_at, stopped_at, session_seconds, input_bytes, output_bytes)
          with recursive n(i) as (select 0 union all select i + 1 from n where i < ${ROWS - 1})
          select '10.0.0.' || (i % 8), 'b' || i, 'bench' || (i % ${services.length}), ${first} + (i % ${last - first + 1}),
            strftime('%Y-%m-%dT%H:%M:%fZ', '${sql.raw(TODAY)}', '-' || (i % ${DAYS}) || ' days'),
            strftime('%Y-%m-%dT%H:%M:%fZ', '${sql.raw(TODAY)}', '-' || (i % ${DAYS}) || ' days', '+3600 seconds'),
            strftime('%Y-%m-%dT%H:%M:%fZ', '${sql.raw(TODAY)}', '-' || (i % ${DAYS}) || ' days', '+3600 seconds'),
            3600, (i * 7919) % 500000000, (i * 104729) % 5000000000
          from n`.execute(db);
        await sql`insert into usage_daily (service_id, day, download_bytes, upload_bytes)
          select service_id, substr(started_at, 1, 10), sum(output_bytes), sum(input_bytes) from radius_sessions where service_id is not null group by 1, 2`.execute(db);
        await sql`insert into usage_hourly (service_id, hour, download_bytes, upload_bytes)
          select service_id, substr(started_at, 1, 13), sum(output_bytes), sum(input_bytes) from radius_sessions where service_id is not null and started_at >= '2026-11-16' group by 1, 2`.execute(db);
        await sql`analyze`.execute(db);
      });
      const counts = await db.selectFrom('usage_daily').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      log(`${ROWS.toLocaleString('en-US')} sessions and ${counts.n.toLocaleString('en-US')} daily rows over ${services.length.toLocaleString('en-US')} services in ${(filled.ms / 1000).toFixed(1)} s`);

      const pick = (i: number) => services[(i * 7919) % services.length]!;
      if (PAGE) {
        figures.push({ ...(await measure('usage.daily90', ROWS, 300, async (i) => void (await call('usage.daily', { serviceId: pick(i).id, from: '2026-09-02', to: TODAY })))), target_ms: 100 });
        figures.push({ ...(await measure('usage.month', ROWS, 300, async (i) => void (await call('usage.month', { subscriptionId: pick(i).subscription_id, day: TODAY })))), target_ms: 100 });
        figures.push(await measure('usage.presence', ROWS, 100, async (i) => void (await call('usage.presence', { serviceIds: [pick(i).id, pick(i + 1).id, pick(i + 2).id] }))));
      }

      // Ingest: sessions of real services, each reporting Interim-Updates with growing counters.
      const writer = openConnection(backend.datastore.file);
      setBusyTimeout(writer, 0);
      const sessions = createSessionWriter(db, writer);
      const sessionCount = 5_000;
      const report = (i: number): SessionReport => {
        // The same service for every report of a session: the session key includes the login.
        const s = services[(i % sessionCount) % services.length]!;
        const round = Math.floor(i / sessionCount);
        const at = new Date(Date.parse('2026-12-01T00:00:00Z') + round * 300_000).toISOString();
        return {
          nasAddress: '10.1.0.1', routerId: null, acctSessionId: `ingest-${i % sessionCount}`, login: s.login ?? `svc${s.id}`, kind: round === 0 ? 'start' : 'interim',
          serviceId: s.id, hotspotUserId: null, at, startedAt: '2026-12-01T00:00:00.000Z', stoppedAt: null, sessionSeconds: round * 300,
          inputBytes: round * 1_000_000, outputBytes: round * 9_000_000, framedIp: null, callingStationId: null, nasPortId: null, terminateCause: null,
        };
      };
      // As the UDP socket delivers them: up to 500 reports in flight, each answered once committed.
      const deliver = async (from: number, count: number) => {
        for (let i = from; i < from + count; i += 500) await Promise.all(Array.from({ length: Math.min(500, from + count - i) }, (_, k) => sessions.store(report(i + k))));
      };
      // The Starts open the sessions (new rows); the Interim-Updates that follow are the figure.
      const starts = await time(() => deliver(0, sessionCount));
      figures.push({ bench: 'usage.ingest.start', n: sessionCount, total_ms: starts.ms, per_second: Math.round(sessionCount / (starts.ms / 1000)) });
      const ingest = await time(() => deliver(sessionCount, INGEST));
      sessions.close();
      figures.push({ bench: 'usage.ingest', n: INGEST, total_ms: ingest.ms, per_second: Math.round(INGEST / (ingest.ms / 1000)), target_per_second: 5000 });

      // The usage counting alone (live session, hourly, daily), as many reports in batches of 500.
      const counting = createUsageIngest(db, writer);
      const countOnly = await time(async () => {
        for (let i = 0; i < INGEST; i += 500) {
          writer.transaction(() => {
            for (let k = i; k < Math.min(INGEST, i + 500); k++) {
              const r = report(k + INGEST);
              counting.count({ source: 'radius', sessionKey: `c${r.acctSessionId}`, serviceId: r.serviceId, hotspotUserId: null, routerId: null, login: r.login, at: r.at, startedAt: r.startedAt, stop: false, counters: { sessionSeconds: r.sessionSeconds, input: r.inputBytes, output: r.outputBytes } }, () => false);
            }
          })();
          await new Promise((r) => setImmediate(r));
        }
      });
      figures.push({ bench: 'usage.ingest.counting', n: INGEST, total_ms: countOnly.ms, per_second: Math.round(INGEST / (countOnly.ms / 1000)) });

      writer.exec('create temp table bare (k text, a integer, b integer, c integer)');
      const insert = writer.prepare('insert into bare values (?, ?, ?, ?)');
      const bare = await time(async () => {
        for (let i = 0; i < INGEST; i += 500) {
          writer.transaction(() => {
            for (let k = i; k < Math.min(INGEST, i + 500); k++) insert.run(`s${k}`, k, k * 2, k * 3);
          })();
          await new Promise((r) => setImmediate(r));
        }
      });
      writer.close();
      figures.push({ bench: 'usage.ingest.baseline', n: INGEST, total_ms: bare.ms, per_second: Math.round(INGEST / (bare.ms / 1000)) });
      return figures;
    } finally {
      await close();
    }
  },
};
