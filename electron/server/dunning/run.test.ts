import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isClosed } from '../../../shared/domain/subscription-status';
import type { IsoDate } from '../../../shared/domain/types';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { addDays } from '../billing/rules/dates';
import { generateDemo } from '../demo/generate';
import { type Random, seededRandom } from '../demo/random';
import { DUNNING_ACTOR, dunningCandidates, loadSubscriptions, plan, runDunning } from './run';
import { firstStageDays, openBalanceOn } from './rules';
import { getDunningSettings, policyOf } from './settings';

const START = '2026-09-01' as IsoDate;
const day = (n: number) => addDays(START, n);
const stamp = '2026-09-01T00:00:00.000Z';

let t: TestBackend;
let everyone: number[] = [];

/**
 * Invoices over four months with charges, payments received before and after their due dates
 * (some after the dates the run is asked about), credit memos, exemptions, and subscriptions
 * suspended by hand or closed: what the candidates query must get right.
 */
async function fill(rng: Random): Promise<void> {
  const db = t.backend.datastore.db;
  const subs = await db.selectFrom('subscriptions').select(['id', 'status']).orderBy('id').execute();
  everyone = subs.map((s) => s.id);
  await db.transaction().execute(async (trx) => {
    let n = 0;
    for (const s of subs) {
      for (let k = rng.int(0, 4); k > 0; k--) {
        n++;
        const due = day(rng.int(0, 110));
        const total = rng.pick([800, 1500, 5000, 12_000]);
        const invoice = await trx
          .insertInto('invoices')
          .values({ subscription_id: s.id, status: 'open', created_at: stamp, subtotal_cents: total, total_cents: total })
          .returning('id')
          .executeTakeFirstOrThrow();
        const charge = await trx
          .insertInto('charges')
          .values({ invoice_id: invoice.id, subscription_id: s.id, kind: 'manual', description: 'Service', explanation: '', unit_price_cents: total, amount_cents: total, created_at: stamp })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.updateTable('invoices').set({ status: 'closed', number: `T-${n}`, issue_date: addDays(due, -10), due_date: due, closed_at: stamp }).where('id', '=', invoice.id).execute();
        let left = total;
        for (let p = rng.int(0, 2); p > 0 && left > 0; p--) {
          const amount = Math.min(left, rng.pick([300, 700, 1500, 5000, total]));
          left -= amount;
          const payment = await trx
            .insertInto('payments')
            .values({ subscription_id: s.id, number: `TP-${n}-${p}`, method: 'cash', received_date: addDays(due, rng.int(-5, 40)), amount_cents: amount, reference: null, notes: null, created_at: stamp, created_by_name: 'Test' })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx.insertInto('payment_allocations').values({ payment_id: payment.id, invoice_id: invoice.id, amount_cents: amount, allocated_at: stamp }).execute();
        }
        if (left > 0 && rng.chance(0.2)) {
          const amount = Math.min(left, rng.pick([500, 1000, total]));
          const memo = await trx
            .insertInto('credit_memos')
            .values({ subscription_id: s.id, number: `TC-${n}`, issue_date: addDays(due, rng.int(-3, 30)), reason: 'Outage', subtotal_cents: amount, tax_cents: 0, total_cents: amount, created_at: stamp, created_by_name: 'Test' })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx.insertInto('credit_memo_lines').values({ credit_memo_id: memo.id, charge_id: charge.id, description: 'Outage', amount_cents: -amount, tax_rate_percent: null, tax_cents: 0 }).execute();
        }
      }
      if (rng.chance(0.1)) {
        const from = rng.int(20, 100);
        await trx.insertInto('dunning_exemptions').values({ subscription_id: s.id, from_date: day(from), until_date: day(from + rng.int(0, 20)), reason: 'Promised to pay', created_at: stamp, created_by_name: 'Test' }).execute();
      }
      const status = rng.weighted([['keep', 80], ['Suspended', 8], ['Cancelled', 6], ['Inactive', 6]] as const);
      if (status !== 'keep') await trx.updateTable('subscriptions').set({ status }).where('id', '=', s.id).execute();
    }
  });
  await sql`analyze`.execute(db);
}

/** Where the rules would move every subscription on `date`: the run's answer without the candidates query. */
async function planForEveryone(date: IsoDate) {
  const db = t.backend.datastore.db;
  const policy = policyOf(await getDunningSettings(db));
  return plan(await loadSubscriptions(db, everyone, date), date, policy);
}

async function planForCandidates(date: IsoDate) {
  const db = t.backend.datastore.db;
  const policy = policyOf(await getDunningSettings(db));
  return plan(await loadSubscriptions(db, await dunningCandidates(db, date, policy), date), date, policy);
}

/** The candidates as the pure rules define them: held in a stage, or open balances past the first stage reaching the minimum. */
async function candidatesByTheRules(date: IsoDate): Promise<number[]> {
  const db = t.backend.datastore.db;
  const policy = policyOf(await getDunningSettings(db));
  const cut = addDays(date, -firstStageDays(policy));
  return (await loadSubscriptions(db, everyone, date))
    .filter((l) => {
      if (l.state) return true;
      if (l.status === 'Suspended' || isClosed(l.status)) return false;
      const open = l.facts.invoices.filter((i) => i.dueDate < cut).reduce((sum, i) => sum + Math.max(0, openBalanceOn(i, date)), 0);
      return open >= Math.max(1, policy.minimumCents);
    })
    .map((l) => l.id);
}

beforeAll(async () => {
  t = await testBackend({ now: () => new Date('2026-09-01T09:00:00Z') });
  await generateDemo(t.backend.datastore.db, { subscribers: 150, today: new Date('2026-08-20T12:00:00Z') });
  await fill(seededRandom(7));
}, 120_000);
afterAll(async () => {
  await t.close();
});

describe('the daily run looks only at the subscriptions that can move', () => {
  const policies = [
    { graceDays: 7, minimumOverdueCents: 1000, noticeDays: null, throttleDays: null, throttleRate: null, noCutoffWeekdays: ['Sat', 'Sun'] as const },
    { graceDays: 10, minimumOverdueCents: 0, noticeDays: 2, throttleDays: 6, throttleRate: '1M/1M', noCutoffWeekdays: ['Sun'] as const },
    { graceDays: 14, minimumOverdueCents: 6000, noticeDays: 5, throttleDays: null, throttleRate: null, noCutoffWeekdays: [] as const },
  ];
  for (const [k, p] of policies.entries()) {
    it(`moves the same subscriptions as the rules applied to every subscription (policy ${k + 1}), day after day`, async () => {
      await t.call('dunning.updateSettings', { enabled: true, ...p, noCutoffWeekdays: [...p.noCutoffWeekdays] });
      let moved = 0;
      for (let n = 0; n <= 150; n += 5) {
        const date = day(n);
        const expected = await planForEveryone(date);
        expect(await planForCandidates(date)).toEqual(expected);
        const db = t.backend.datastore.db;
        expect(await dunningCandidates(db, date, policyOf(await getDunningSettings(db)))).toEqual(await candidatesByTheRules(date));
        // Every other step runs for real, so later dates start from stages held.
        if (n % 10 === 0) {
          const run = await db.transaction().execute((trx) => runDunning(trx, date, { actor: DUNNING_ACTOR, now: new Date(`${date}T09:00:00Z`) }));
          expect(run.moves.map((m) => [m.subscriptionId, m.to])).toEqual(expected.map((m) => [m.subscriptionId, m.to]));
          moved += run.moves.length;
        }
      }
      // The data gives the rules something to do: escalations and releases both happen.
      expect(moved).toBeGreaterThan(20);
    }, 120_000);
  }

  it('reads allocations from the index alone and payments only when received after the date', async () => {
    const db = t.backend.datastore.db;
    const plan = (await sql<{ detail: string }>`explain query plan
      select sum(a.amount_cents) from payment_allocations a where a.invoice_id = ${1}`.execute(db)).rows.map((r) => r.detail).join('\n');
    expect(plan).toContain('COVERING INDEX payment_allocations_invoice_amount');
    const late = (await sql<{ detail: string }>`explain query plan
      select a.invoice_id from payments p join payment_allocations a on a.payment_id = p.id where p.received_date > ${'2026-11-23'}`.execute(db)).rows.map((r) => r.detail).join('\n');
    expect(late).toContain('INDEX payments_received');
  });
});
