import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRouterOsTestServer } from '../../../test/routeros/server';
import { createBackend } from '../backend';
import type { Benchmark, Figure } from '../bench/harness';
import { time } from '../bench/harness';
import { connectRouterOs } from './routeros/client';

const N = 5_000;

/**
 * network.sync of 5,000 PPP secrets against the test router (the real API wire protocol on
 * 127.0.0.1): from empty, then in sync (target: at most 5 s and zero writes). Beside it, the
 * baseline: one print of the router's 5,000 secrets over the same client, the least any sync
 * must read.
 */
export const networkSyncBenchmarks: Benchmark = {
  name: 'network.sync',
  figures: ['network.sync.empty', 'network.sync.in-sync', 'network.sync.print-baseline'],
  describe: `network.sync of ${N.toLocaleString('en-US')} PPP secrets against the RouterOS test server`,
  async run(log) {
    const router = await startRouterOsTestServer({ user: 'bench', password: 'bench' });
    const dataDir = mkdtempSync(join(tmpdir(), 'towerline-bench-sync-'));
    const backend = await createBackend({ dataDir });
    const call = async <T>(procedure: string, input: unknown): Promise<T> => {
      const r = await backend.call(procedure, input);
      if (!r.ok) throw new Error(`${procedure}: ${r.error.message}`);
      return r.value as T;
    };
    try {
      const staff = await call<{ id: number }>('staff.create', { name: 'Bench engineer', role: 'Engineer' });
      const contact = await call<{ id: number }>('contacts.create', { firstName: 'Bench', lastName: 'Subscriber' });
      const sub = await call<{ id: number }>('subscriptions.create', { name: 'Bench tower users', contactId: contact.id, engineerId: staff.id });
      const plan = await call<{ id: number }>('plans.create', { kind: 'Internet', name: 'Bench 50/10', priceCents: 5000, payPeriodMonths: 1, downloadKbps: 50_000, uploadKbps: 10_000, qosMode: 'PCQ' });
      const r = await call<{ id: number }>('routers.create', { name: 'Bench router', address: router.host, apiPort: router.port, apiUser: 'bench', apiPassword: 'bench' });
      const stamp = new Date().toISOString();
      const rows = Array.from({ length: N }, (_, i) => ({
        subscription_id: sub.id,
        plan_id: plan.id,
        description: 'Bench 50/10',
        pay_period_months: 1,
        start_date: '2026-11-01',
        status: 'Active',
        router_id: r.id,
        login: `bench${i + 1}`,
        password: `pw-${i + 1}`,
        created_at: stamp,
        updated_at: stamp,
      }));
      await backend.datastore.db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += 500) await trx.insertInto('services').values(rows.slice(i, i + 500)).execute();
      });
      log(`${N} services on one router; syncing from empty…`);

      type Result = { created: number; updated: number; removed: number; unchanged: number; pending: number; error: string | null };
      const empty = await time(() => call<Result>('network.sync', { routerId: r.id }));
      if (empty.value.error || empty.value.created !== N + 1) throw new Error(`sync from empty: ${JSON.stringify(empty.value)}`);
      const figures: Figure[] = [{ bench: 'network.sync.empty', n: N, total_ms: empty.ms, writes: router.writes().total }];

      const trials: number[] = [];
      let writes = 0;
      for (let trial = 0; trial < 3; trial++) {
        router.resetCounters();
        const inSync = await time(() => call<Result>('network.sync', { routerId: r.id }));
        if (inSync.value.error || inSync.value.unchanged !== N + 1) throw new Error(`sync in sync: ${JSON.stringify(inSync.value)}`);
        writes = Math.max(writes, router.writes().total);
        trials.push(inSync.ms);
      }
      figures.push({ bench: 'network.sync.in-sync', n: N, total_ms: Math.min(...trials), writes, target_ms: 5000 });

      const api = await connectRouterOs(router.connectOptions({ timeoutMs: 30_000 }));
      const prints: number[] = [];
      for (let trial = 0; trial < 3; trial++) prints.push((await time(() => api.command('/ppp/secret/print'))).ms);
      await api.close();
      figures.push({ bench: 'network.sync.print-baseline', n: N, total_ms: Math.min(...prints) });
      return figures;
    } finally {
      await backend.close();
      await router.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
