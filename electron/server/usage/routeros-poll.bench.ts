import { performance } from 'node:perf_hooks';
import { startRouterOsTestServer } from '../../../test/routeros/server';
import { benchBackend } from '../bench/fixture';
import { type Benchmark, type Figure, measure, percentile } from '../bench/harness';
import { connectRouterOs } from '../network/routeros/client';
import { readUsage } from '../network/routeros/usage';
import { startRouterosUsagePoll } from './routeros-poll';

const SESSIONS = Number(process.env.TOWERLINE_BENCH_ROSPOLL_SESSIONS ?? 5_000);

/**
 * One RouterOS usage poll of a router with SESSIONS PPP sessions online (each with its dynamic
 * queue, counters growing between polls) on the test router over loopback: read, map to services,
 * count into live sessions and the hourly and daily rollups in one transaction. Beside it, the
 * same two prints alone (readUsage) on an open connection: the floor the poll adds its work to.
 */
export const routerosPollBenchmarks: Benchmark = {
  name: 'usage-routeros-poll',
  figures: ['usage.routeros.poll', 'usage.routeros.read'],
  describe: `a RouterOS usage poll of ${SESSIONS.toLocaleString('en-US')} PPP sessions, beside the reading alone`,
  async run(log) {
    const { backend, close } = await benchBackend(2_000, log);
    const router = await startRouterOsTestServer({ user: 'bench', password: 'bench' });
    const db = backend.datastore.db;
    const figures: Figure[] = [];
    try {
      const created = await backend.call('routers.create', { name: 'Bench router', address: router.host, apiPort: router.port, apiUser: 'bench', apiPassword: 'bench', usageSource: 'routeros' });
      if (!created.ok) throw new Error(created.error.message);
      const routerId = (created.value as { id: number }).id;
      const services = await db.selectFrom('services').select(['id', 'login']).where('login', 'is not', null).where('status', '<>', 'Archived').orderBy('id').execute();
      await db.updateTable('services').set({ router_id: routerId }).where('id', 'in', services.map((s) => s.id)).execute();
      const queues: string[] = [];
      for (let i = 0; i < SESSIONS; i++) {
        // Logins of real services first, then sessions no service claims (still counted as online).
        const name = services[i]?.login ?? `guest${i}`;
        const address = `100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
        router.menu('/ppp/active').add({ name, service: 'pppoe', address, uptime: '1h' });
        queues.push(router.menu('/queue/simple').add({ name: `<pppoe-${name}>`, target: `${address}/32`, dynamic: 'true', bytes: '0/0' }));
      }
      log(`${SESSIONS.toLocaleString('en-US')} sessions, ${Math.min(SESSIONS, services.length).toLocaleString('en-US')} of them services'`);

      let clock = Date.parse('2026-12-01T00:00:00Z');
      const poll = startRouterosUsagePoll(backend, { tickMs: 3_600_000, now: () => new Date(clock), log: () => undefined, timeoutMs: 60_000 });
      await poll.runNow();
      let round = 0;
      const next = () => {
        round++;
        clock += 300_000;
        const uptime = `${1 + round * 5}m`;
        for (const s of router.menu('/ppp/active').list()) router.menu('/ppp/active').set(s['.id'] ?? '', { uptime });
        for (const q of queues) router.menu('/queue/simple').set(q, { bytes: `${round * 1000}/${round * 9000}` });
      };
      // The test router's own work to move the counters is outside the timed poll.
      const polls: number[] = [];
      for (let i = 0; i < 12; i++) {
        next();
        const start = performance.now();
        const [r] = await poll.pollNow(routerId);
        if (r?.error) throw new Error(r.error);
        if (i >= 2) polls.push(performance.now() - start);
      }
      polls.sort((a, b) => a - b);
      const ms = (v: number) => Math.round(v * 100) / 100;
      figures.push({ bench: 'usage.routeros.poll', n: SESSIONS, iterations: polls.length, p50_ms: ms(percentile(polls, 50)), p95_ms: ms(percentile(polls, 95)) });
      await poll.stop();
      const api = await connectRouterOs(router.connectOptions({ timeoutMs: 60_000 }));
      figures.push(await measure('usage.routeros.read', SESSIONS, 10, async () => void (await readUsage(api))));
      await api.close();
      const day = await db.selectFrom('usage_daily').select((eb) => eb.fn.sum<number>('download_bytes').as('n')).executeTakeFirstOrThrow();
      log(`download counted: ${Number(day.n).toLocaleString('en-US')} bytes over ${round} polls`);
      return figures;
    } finally {
      await router.close();
      await close();
    }
  },
};
