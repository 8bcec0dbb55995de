import { loadavg } from 'node:os';
import { type Insertable, sql } from 'kysely';
import { benchBackend } from '../bench/fixture';
import { type Benchmark, type Figure, time } from '../bench/harness';
import type { InvoicesTable, PaymentAllocationsTable, PaymentsTable } from '../billing/tables';
import { seededRandom } from '../demo/random';
import { addDays } from '../billing/rules/dates';
import { dunningCandidates } from './run';
import { policyOf, getDunningSettings } from './settings';
import { firstStageDays } from './rules';
import type { IsoDate } from '../../../shared/domain/types';

const N = 100_000;
const stamp = '2026-11-01T00:00:00.000Z';

/**
 * The daily dunning job over 100,000 subscriptions, each with October and November invoices:
 * most paid, 5% with November unpaid, 1% half paid. Monday 23 November is past the 7 days of
 * grace of the 11th's due date. Baseline, in the same run: the bare read of the closed invoices
 * past due (subscription and total, nothing summed) that any run must at least make. Each figure
 * carries the process's CPU time and the machine's load average, since wall time on a shared
 * machine says as much about the neighbours as about the job.
 */
export const dunningBenchmarks: Benchmark = {
  name: 'dunning',
  figures: ['dunning.baseline', 'dunning.candidates', 'dunning.preview', 'dunning.run', 'dunning.rerun'],
  describe: `the daily dunning job over ${N.toLocaleString('en-US')} subscriptions (target under 5 s)`,
  async run(log) {
    const { backend, close } = await benchBackend(N, log);
    const db = backend.datastore.db;
    const call = async (procedure: string, input: unknown) => {
      const r = await backend.call(procedure, input);
      if (!r.ok) throw new Error(`${procedure}: ${r.error.message}`);
      return r.value as { moves: unknown[] };
    };
    try {
      const rng = seededRandom(12);
      const subs = await db.selectFrom('subscriptions').select('id').where('status', 'in', ['Active', 'Inactive']).execute();
      let made = 0;
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < subs.length; i += 1000) {
          const batch = subs.slice(i, i + 1000);
          const invoices: Insertable<InvoicesTable>[] = batch.flatMap((s) =>
            ['10', '11'].map((m) => ({ subscription_id: s.id, status: 'closed', number: `B-${m}-${s.id}`, issue_date: `2026-${m}-01`, due_date: `2026-${m}-11`, subtotal_cents: 5000, total_cents: 5000, created_at: stamp, closed_at: stamp })),
          );
          const ids = await trx.insertInto('invoices').values(invoices).returning(['id', 'subscription_id', 'due_date']).execute();
          const payments: Insertable<PaymentsTable>[] = [];
          const paid: { invoiceId: number; amount: number }[] = [];
          for (const inv of ids) {
            const roll = inv.due_date === '2026-11-11' ? rng.int(1, 100) : 100;
            if (roll <= 5) continue; // unpaid
            const amount = roll === 6 ? 2500 : 5000;
            payments.push({ subscription_id: inv.subscription_id, number: `BP-${inv.id}`, method: 'cash', received_date: inv.due_date === '2026-11-11' ? '2026-11-09' : '2026-10-09', amount_cents: amount, reference: null, notes: null, created_at: stamp, created_by_name: 'Bench' });
            paid.push({ invoiceId: inv.id, amount });
          }
          const pids = await trx.insertInto('payments').values(payments).returning('id').execute();
          const allocations: Insertable<PaymentAllocationsTable>[] = pids.map((p, k) => ({ payment_id: p.id, invoice_id: paid[k]!.invoiceId, amount_cents: paid[k]!.amount, allocated_at: stamp }));
          await trx.insertInto('payment_allocations').values(allocations).execute();
          made += ids.length;
        }
      });
      await sql`analyze`.execute(db);
      log(`${made.toLocaleString('en-US')} closed invoices over ${subs.length.toLocaleString('en-US')} subscriptions`);
      await call('dunning.updateSettings', { enabled: true, graceDays: 7, minimumOverdueCents: 1000, noCutoffWeekdays: ['Sat', 'Sun'] });
      const monday = '2026-11-23' as IsoDate;
      const figures: Figure[] = [];
      const timed = async <T>(fn: () => Promise<T>) => {
        const cpu = process.cpuUsage();
        const { ms, value } = await time(fn);
        const used = process.cpuUsage(cpu);
        return { ms, value, cpu_ms: Math.round((used.user + used.system) / 1000), load1: Number(loadavg()[0]!.toFixed(2)) };
      };
      const policy = policyOf(await getDunningSettings(db));
      const cut = addDays(monday, -firstStageDays(policy));
      const bare = await timed(() => db.selectFrom('invoices').select(['subscription_id', 'total_cents']).where('status', '=', 'closed').where('due_date', '<', cut).execute());
      figures.push({ bench: 'dunning.baseline', n: N, total_ms: bare.ms, cpu_ms: bare.cpu_ms, load1: bare.load1, invoices: bare.value.length });
      const candidates = await timed(() => dunningCandidates(db, monday, policy));
      figures.push({ bench: 'dunning.candidates', n: N, total_ms: candidates.ms, cpu_ms: candidates.cpu_ms, load1: candidates.load1, candidates: candidates.value.length });
      const preview = await timed(() => call('dunning.preview', { date: monday }));
      figures.push({ bench: 'dunning.preview', n: N, total_ms: preview.ms, cpu_ms: preview.cpu_ms, load1: preview.load1, moves: preview.value.moves.length });
      const run = await timed(() => call('dunning.run', { date: monday }));
      figures.push({ bench: 'dunning.run', n: N, total_ms: run.ms, cpu_ms: run.cpu_ms, load1: run.load1, moves: run.value.moves.length, target_ms: 5000 });
      const rerun = await timed(() => call('dunning.run', { date: '2026-11-24' }));
      figures.push({ bench: 'dunning.rerun', n: N, total_ms: rerun.ms, cpu_ms: rerun.cpu_ms, load1: rerun.load1, moves: rerun.value.moves.length, target_ms: 5000 });
      return figures;
    } finally {
      await close();
    }
  },
};
