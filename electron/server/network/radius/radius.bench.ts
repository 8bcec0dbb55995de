import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import type { Benchmark, Figure } from '../../bench/harness';
import { benchBackend } from '../../bench/fixture';
import { startFreeradius } from '../../../../test/peers/freeradius';
import { startPostgres } from '../../../../test/peers/postgres';
import { servingOf, type ServiceStatusName } from '../../../../shared/domain/serving';
import type { SubscriptionStatus } from '../../../../shared/domain/subscription-status';
import { startFreeRadiusFiles, type FreeRadiusUser } from '../../../../test/radius/freeradius';
import { runLoadInWorker, startReflector, type LoadOptions, type LoadResult } from '../../../../test/radius/load';
import { rateLimitOf } from './answer';
import { startRadiusServer } from './server';

const N = 10_000;
const SECRET = 'bench-secret-7f3a';
const IN_FLIGHT = 64;
const DURATION_MS = 8000;
const STOCK_SCHEMA = '/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql';

const figure = (bench: string, served: number, r: LoadResult): Figure => ({
  bench,
  n: served,
  in_flight: IN_FLIGHT,
  per_second: r.perSecond,
  p50_ms: r.p50Ms,
  p99_ms: r.p99Ms,
  max_ms: r.maxMs,
  answered: r.answered,
  accepts: r.accepts,
  lost: r.lost,
  // Other work on the machine moves every figure: compare the ones of one run, and read this beside them.
  load_avg_1m: Math.round(loadavg()[0]! * 10) / 10,
});

/**
 * Access-Requests per second and latency of the built-in server with 10,000 subscribers, beside
 * FreeRADIUS 3.2 with the files backend holding the same users and answers, beside FreeRADIUS 3.2
 * with its SQL backend on the PostgreSQL Towerline provisions (freeradius.sync), and beside a
 * reflector that answers without any work (the load generator's own ceiling), all driven by one
 * generator (test/radius/load.ts, in a worker thread) with the same users in the same run.
 */
export const radiusBenchmarks: Benchmark = {
  name: 'radius',
  figures: ['radius.reflector', 'radius.builtin', 'radius.freeradius-files', 'radius.freeradius-sql'],
  describe: `Access-Requests/s and p99 with ${N.toLocaleString('en-US')} subscribers: built-in server vs FreeRADIUS 3.2 files and SQL, ${IN_FLIGHT} in flight`,
  async run(log) {
    const { backend, close } = await benchBackend(N, log);
    const figures: Figure[] = [];
    try {
      const created = await backend.call('routers.create', { name: 'Bench NAS', address: '127.0.0.1', vendor: 'MikroTik RouterOS', radiusSecret: SECRET });
      if (!created.ok) throw new Error(created.error.message);
      const routerId = (created.value as { id: number }).id;
      await backend.datastore.db.updateTable('services').set({ router_id: routerId }).execute();
      const rows = await backend.datastore.db
        .selectFrom('services as s')
        .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
        .innerJoin('plans as p', 'p.id', 's.plan_id')
        .select((eb) => [
          's.login', 's.status', 'sub.status as subscription_status', 's.ipv4_assignment', 's.ipv4_address',
          'p.download_kbps', 'p.upload_kbps', 'p.burst_download_kbps', 'p.burst_upload_kbps', 'p.burst_threshold_percent', 'p.burst_time_seconds', 'p.priority',
          eb.fn.coalesce('s.password', 'sub.service_password').as('password'),
        ])
        .where('s.login', 'is not', null)
        .where('s.status', '<>', 'Archived')
        .execute();
      // The users both servers accept, with the same answers.
      const users: FreeRadiusUser[] = [];
      for (const r of rows) {
        if (!r.login || !r.password || servingOf(r.status as ServiceStatusName, r.subscription_status as SubscriptionStatus) !== 'serve') continue;
        const reply: string[] = [];
        if (r.ipv4_assignment === 'permanent' && r.ipv4_address) reply.push(`Framed-IP-Address = ${r.ipv4_address}`);
        const limit = rateLimitOf({ downloadKbps: r.download_kbps, uploadKbps: r.upload_kbps, burstDownloadKbps: r.burst_download_kbps, burstUploadKbps: r.burst_upload_kbps, burstThresholdPercent: r.burst_threshold_percent, burstTimeSeconds: r.burst_time_seconds, priority: r.priority });
        if (limit) reply.push(`Mikrotik-Rate-Limit = "${limit}"`);
        users.push({ name: r.login, password: r.password, reply });
      }
      log(`${users.length.toLocaleString('en-US')} logins served (of ${rows.length.toLocaleString('en-US')} services)`);
      const load = (port: number): Omit<LoadOptions, 'port'> & { port: number } => ({ host: '127.0.0.1', port, secret: SECRET, users, inFlight: IN_FLIGHT, durationMs: DURATION_MS, warmupMs: 1500, timeoutMs: 1000 });
      const report = (name: string, r: LoadResult) => {
        log(`${name}: ${r.perSecond.toLocaleString('en-US')}/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms, ${r.accepts}/${r.answered} accepted, ${r.lost} lost`);
        figures.push(figure(`radius.${name}`, users.length, r));
      };

      /** FreeRADIUS's SQL backend on a PostgreSQL filled by Towerline's own provisioning. */
      async function driveFreeradiusSql() {
        const pgServer = await startPostgres();
        const client = new pg.Client({ connectionString: pgServer.connectionString });
        try {
          await client.connect();
          await client.query(readFileSync(STOCK_SCHEMA, 'utf8'));
          await client.end();
          const set = await backend.call('freeradius.updateSettings', { enabled: true, host: pgServer.host, port: pgServer.port, database: pgServer.database, user: pgServer.user, password: pgServer.password });
          if (!set.ok) throw new Error(set.error.message);
          const synced = await backend.call('freeradius.sync', {});
          if (!synced.ok) throw new Error(synced.error.message);
          const value = synced.value as { error: string | null; users: number };
          if (value.error) throw new Error(value.error);
          log(`FreeRADIUS SQL provisioned: ${value.users.toLocaleString('en-US')} logins`);
          const freeradius = await startFreeradius({ clients: [{ address: '127.0.0.1', secret: SECRET }], sql: { host: pgServer.host, port: pgServer.port, user: pgServer.user, password: pgServer.password, database: pgServer.database }, threads: 4 });
          try {
            report('freeradius-sql', await runLoadInWorker(load(freeradius.authPort)));
          } finally {
            await freeradius.stop();
          }
        } finally {
          await client.end().catch(() => {});
          await pgServer.stop();
        }
      }

      const reflector = await startReflector();
      try {
        report('reflector', await runLoadInWorker(load(reflector.port)));
      } finally {
        await reflector.close();
      }

      // In this process's main thread, beside the idle back end (the generator has a worker thread);
      // FreeRADIUS runs as its own process with 4 threads.
      log('built-in server: in the bench process\'s main thread, generator in a worker thread');
      const server = await startRadiusServer(backend, { authPort: 0, acctPort: 0, log: (line) => log(`server: ${line}`) });
      try {
        report('builtin', await runLoadInWorker(load(server.authPort)));
        const c = server.counters();
        log(`built-in counters: ${c.accepts} accepts, ${c.rejects} rejects, dropped ${JSON.stringify(c.dropped)}`);
      } finally {
        await server.stop();
      }

      try {
        const freeradius = await startFreeRadiusFiles(users, SECRET, { threads: 4 });
        try {
          report('freeradius-files', await runLoadInWorker(load(freeradius.port)));
        } finally {
          await freeradius.stop();
        }
      } catch (error) {
        log(`FreeRADIUS files: not measured: ${error instanceof Error ? error.message : String(error)}`);
      }
      try {
        await driveFreeradiusSql();
      } catch (error) {
        log(`FreeRADIUS SQL: not measured: ${error instanceof Error ? error.message : String(error)}`);
      }

      const builtin = figures.find((f) => f.bench === 'radius.builtin');
      const files = figures.find((f) => f.bench === 'radius.freeradius-files');
      if (builtin && files) {
        builtin.vs_freeradius_files = Math.round((Number(builtin.per_second) / Number(files.per_second)) * 100) / 100;
        log(`built-in / FreeRADIUS files rate: ${builtin.vs_freeradius_files}; target >= 1 with p99 < 5 ms (p99 ${builtin.p99_ms} ms)`);
      }
      const sqlFigure = figures.find((f) => f.bench === 'radius.freeradius-sql');
      if (builtin && sqlFigure) builtin.vs_freeradius_sql = Math.round((Number(builtin.per_second) / Number(sqlFigure.per_second)) * 100) / 100;
      return figures;
    } finally {
      await close();
    }
  },
};
