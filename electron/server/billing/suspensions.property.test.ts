import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makePlan, makeService, makeSubscription } from '../../../test/fixtures/factories';
import { addDays, dateParts, daysInMonth, type IsoDate } from './rules/dates';

/**
 * Billing paused while suspended, as a property over random suspension histories (November 2026
 * to February 2027, a monthly plan at a random price, runs on each bill day with the invoices
 * closed or left open at random): what the service is billed less what is credited equals the sum,
 * over the days it was served, of its daily rate (the month's price / the month's days), to within
 * the rounding bound of rules/suspension.ts: one minor unit per charge line (each line rounded once
 * when billed, its total credit rounded once).
 */
const FIRST = '2026-11-01' as IsoDate;
const DAYS = 120; // to 2027-03-01, exclusive
const RUNS = [0, 30, 61, 92]; // Nov 1, Dec 1, Jan 1, Feb 1

interface Case {
  priceCents: number;
  /** Days (from FIRST) on which the status flips: suspended, active, suspended… */
  flips: number[];
  closeAfterRun: boolean[];
}

const cases = fc.record({
  priceCents: fc.integer({ min: 100, max: 99_999 }),
  flips: fc.array(fc.integer({ min: 1, max: DAYS - 1 }), { maxLength: 6 }).map((a) => [...a].sort((x, y) => x - y)),
  closeAfterRun: fc.array(fc.boolean(), { minLength: RUNS.length, maxLength: RUNS.length }),
});

async function billedLessCredited(c: Case): Promise<{ net: number; lines: number; exact: Decimal }> {
  let clock = new Date(`${FIRST}T08:00:00Z`);
  const at = (offset: number, time: string) => {
    clock = new Date(`${addDays(FIRST, offset)}T${time}:00Z`);
  };
  const t: TestBackend = await testBackend({ now: () => clock });
  try {
    await t.call('billingSettings.update', { whileSuspended: 'pause' });
    const plan = await makePlan(t, { priceCents: c.priceCents });
    const sub = await makeSubscription(t, { billDay: 1 });
    const service = await makeService(t, { subscriptionId: sub.id, planId: plan.id, startDate: FIRST, endDate: addDays(FIRST, DAYS - 1) });
    const flips = [...c.flips];
    if (flips.length % 2 === 1) flips.push(DAYS); // still suspended at the end: lifted on the last day
    const events = [
      ...RUNS.map((day, i) => ({ day, time: '09:00', run: i })),
      ...flips.map((day, i) => ({ day, time: '12:00', suspend: i % 2 === 0 })),
      { day: DAYS, time: '13:00', run: -1 },
    ].sort((a, b) => a.day - b.day || a.time.localeCompare(b.time));
    for (const e of events) {
      at(e.day, e.time);
      if ('run' in e) {
        const date = addDays(FIRST, e.day);
        await t.call('billing.run', { date, wait: true });
        if (e.run === -1 || c.closeAfterRun[e.run]) await t.call('invoices.closeAllOpen', { date });
      } else {
        await t.call('subscriptions.setStatus', { id: sub.id, status: e.suspend ? 'Suspended' : 'Active', reason: e.suspend ? 'Property' : null });
      }
    }
    const invoices = await t.call('invoices.listBySubscription', { subscriptionId: sub.id });
    const charges = (await Promise.all(invoices.map((i) => t.call('invoices.get', { id: i.id })))).flatMap((i) => i.charges).filter((ch) => ch.serviceId === service.id);
    const net = charges.reduce((s, ch) => s + ch.amountCents + ch.creditedCents, 0);
    let exact = new Decimal(0);
    for (let d = 0; d < DAYS; d++) {
      const suspended = flips.some((f, i) => i % 2 === 0 && d >= f && d < flips[i + 1]!);
      if (suspended) continue;
      const { year, month } = dateParts(addDays(FIRST, d));
      exact = exact.plus(new Decimal(c.priceCents).div(daysInMonth(year, month)));
    }
    return { net, lines: charges.length, exact };
  } finally {
    await t.close();
  }
}

describe('billing paused while suspended, over random suspension histories', () => {
  it('bills less credits exactly the served days at the daily rate, within a unit per line', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const { net, lines, exact } = await billedLessCredited(c);
        expect(exact.minus(net).abs().toNumber()).toBeLessThanOrEqual(lines);
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
