import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testBackend } from '../../../test/fixtures/backend';
import { makePlan, makeSubscription } from '../../../test/fixtures/factories';
import { catalogPackage, taxClass } from '../../../test/integration/billing-fixtures';
import { cents } from '../../../shared/domain/money';
import { chargesDue } from '../billing/rules/charges';
import { addDays, daysBetween, type IsoDate } from '../billing/rules/dates';

const money = { currency: 'USD', minorDigits: 2 };

describe('package moves, for random dates, prices, bill days and periods', () => {
  it('write exactly what the preview showed, and charge the target exactly as a subscriber on it from the move date', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          billDay: fc.integer({ min: 1, max: 28 }),
          oldPrice: fc.integer({ min: 1, max: 30_000 }),
          newPrice: fc.integer({ min: 0, max: 30_000 }),
          oldPeriod: fc.constantFrom(1, 3),
          newPeriod: fc.constantFrom(1, 3, 12),
          startOffset: fc.integer({ min: 0, max: 90 }),
          moveOffset: fc.integer({ min: 1, max: 120 }),
          taxed: fc.boolean(),
          closeFirst: fc.boolean(),
        }),
        async (g) => {
          const start = addDays('2026-01-01' as IsoDate, g.startOffset);
          const move = addDays(start, g.moveOffset);
          const today = addDays(move, 3);
          const t = await testBackend({ now: () => new Date(`${today}T09:00:00Z`) });
          try {
            const tax = g.taxed ? await taxClass(t, 'Tax', '8.25') : null;
            const oldPlan = await makePlan(t, { name: 'Old', priceCents: g.oldPrice, payPeriodMonths: g.oldPeriod, taxClassId: tax });
            const newPlan = await makePlan(t, { name: 'New', priceCents: g.newPrice, payPeriodMonths: g.newPeriod, taxClassId: tax });
            const a = await catalogPackage(t, { name: 'A', products: [{ name: 'Internet', planId: oldPlan.id, ratingMethod: 'recurring', priceCents: g.oldPrice, minQuantity: 1 }] });
            const b = await catalogPackage(t, { name: 'B', products: [{ name: 'Internet', planId: newPlan.id, ratingMethod: 'recurring', priceCents: g.newPrice, minQuantity: 1 }] });
            await t.call('upgradePaths.create', { packageId: a.packageId, targetPackageId: b.packageId });
            const sub = await makeSubscription(t, { billDay: g.billDay });
            const ap = await t.call('accountPackages.provision', { subscriptionId: sub.id, packageId: a.packageId, startDate: start });
            await t.call('billing.run', { date: today, wait: true });
            if (g.closeFirst) await t.call('invoices.closeAllOpen', { date: today });
            const input = { accountPackageId: ap.id, targetPackageId: b.packageId, billStartDate: move };
            const p = await t.call('packageMoves.preview', input);
            const db = t.backend.datastore.db;
            const balance = async () => {
              const c = await db.selectFrom('charges').select((eb) => eb.fn.sum<number>(eb('amount_cents', '+', eb.ref('tax_cents'))).as('s')).executeTakeFirstOrThrow();
              const m = await db.selectFrom('credit_memos').select((eb) => eb.fn.sum<number>('total_cents').as('s')).executeTakeFirstOrThrow();
              return Number(c.s ?? 0) - Number(m.s ?? 0);
            };
            const before = await balance();
            const done = await t.call('packageMoves.apply', { ...input, expectedFingerprint: p.fingerprint });
            // What confirm wrote moves the balance by exactly the previewed net effect.
            expect((await balance()) - before).toBe(p.netCents);
            expect(done.move.netCents).toBe(p.netCents);
            // The target's charges are those of a subscriber on it from the move date, to the cent.
            const written = await db
              .selectFrom('charges')
              .select(['period_start', 'period_end', 'amount_cents', 'tax_cents'])
              .where('account_package_id', '=', done.move.targetAccountPackageId)
              .where('kind', '=', 'recurring')
              .orderBy('period_start')
              .execute();
            const lastEnd = written.at(-1)?.period_end as IsoDate | undefined;
            const fresh = chargesDue(
              { id: 1, subscriptionId: sub.id, accountPackageId: null, planId: newPlan.id, description: 'Internet', quantity: '1', unitPrice: cents(g.newPrice), payPeriodMonths: g.newPeriod, ratingMethod: 'recurring', startDate: move, endDate: null, discount: null, taxRatePercent: g.taxed ? '8.25' : null },
              g.billDay,
              { billedThrough: null, oneTimeCharged: false },
              lastEnd ? addDays(lastEnd, -1) : move,
              money,
            );
            expect(written.map((w) => [w.period_start, w.period_end, w.amount_cents, w.tax_cents])).toEqual(fresh.map((f) => [f.periodStart, f.periodEnd, f.amount, f.tax]));
            // The old package keeps exactly its days before the move: a line reaching past it keeps
            // its amount less the unused share (rounded once); an open line is cut at the move date.
            const old = await db
              .selectFrom('charges as c')
              .select(['c.period_start', 'c.period_end', 'c.amount_cents'])
              .select((eb) => eb.fn.coalesce(eb.selectFrom('credit_memo_lines as l').select((e) => e.fn.sum<number>('l.amount_cents').as('s')).whereRef('l.charge_id', '=', 'c.id'), eb.lit(0)).as('credited'))
              .where('c.account_package_id', '=', ap.id)
              .where('c.kind', '=', 'recurring')
              .execute();
            for (const o of old) {
              const ps = o.period_start as IsoDate;
              const pe = o.period_end as IsoDate;
              if (pe <= move) continue;
              expect(g.closeFirst).toBe(true);
              const line = daysBetween(ps, pe);
              const unused = daysBetween(ps > move ? ps : move, pe);
              expect(o.amount_cents + Number(o.credited)).toBe(o.amount_cents - Math.round((o.amount_cents * unused) / line));
            }
          } finally {
            await t.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
