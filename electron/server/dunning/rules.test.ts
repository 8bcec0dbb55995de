import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isoDate } from '../billing/rules/dates';
import { type DunningPolicy, type InvoiceFacts, type Stage, type SubscriptionFacts, WEEKDAYS, eligibleOn, firstStageDays, isCutoffDay, nextStep, openBalanceOn, policyProblem, stageOn, step, weekdayOf } from './rules';

const d = isoDate;
// December 2026: the 18th is a Friday, the 19th/20th a weekend, the 25th (Friday) a listed holiday.
const policy: DunningPolicy = {
  graceDays: 7,
  minimumCents: 1000,
  noticeDays: null,
  throttleDays: null,
  noCutoffWeekdays: ['Sat', 'Sun'],
  holidays: [d('2026-12-25')],
};
const invoice = (number: string, due: string, totalCents: number, settlements: [string, number][] = []): InvoiceFacts => ({
  number,
  dueDate: d(due),
  totalCents,
  settlements: settlements.map(([date, amountCents]) => ({ date: d(date), amountCents })),
});
const facts = (invoices: InvoiceFacts[], exemptions: [string, string][] = []): SubscriptionFacts => ({ invoices, exemptions: exemptions.map(([from, until]) => ({ from: d(from), until: d(until) })) });
const stages = (f: SubscriptionFacts, days: string[], p = policy) => days.map((day) => stageOn(d(day), f, p).stage);

describe('the calendar', () => {
  it('knows the weekday of a date', () => {
    expect([weekdayOf(d('2026-12-18')), weekdayOf(d('2026-12-19')), weekdayOf(d('2026-12-20')), weekdayOf(d('2027-01-01')), weekdayOf(d('1969-12-31'))]).toEqual(['Fri', 'Sat', 'Sun', 'Fri', 'Wed']);
  });
  it('takes no-cut-off weekdays and listed holidays out', () => {
    expect(['2026-12-18', '2026-12-19', '2026-12-20', '2026-12-21', '2026-12-25'].map((x) => isCutoffDay(d(x), policy))).toEqual([true, false, false, true, false]);
  });
});

describe('the stage of a subscription on a date', () => {
  it('suspends on the first day past due date plus grace when that day allows a cut-off', () => {
    // Due Thursday 10th, 7 days of grace: overdue past grace from Friday 18th.
    expect(stages(facts([invoice('INV-1', '2026-12-10', 5000)]), ['2026-12-17', '2026-12-18'])).toEqual(['none', 'suspended']);
  });

  it('waits over a weekend: past grace on Saturday, suspended on Monday', () => {
    const f = facts([invoice('INV-1', '2026-12-11', 5000)]);
    expect(stages(f, ['2026-12-18', '2026-12-19', '2026-12-20', '2026-12-21'])).toEqual(['none', 'none', 'none', 'suspended']);
    expect(stageOn(d('2026-12-21'), f, policy)).toEqual({ stage: 'suspended', overdueCents: 5000, invoiceNumbers: ['INV-1'] });
  });

  it('waits over a holiday and the weekend after it', () => {
    // Due Thursday 17th: past grace on Friday 25th (holiday), then Saturday, Sunday: Monday 28th.
    expect(stages(facts([invoice('INV-1', '2026-12-17', 5000)]), ['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28'])).toEqual(['none', 'none', 'none', 'none', 'suspended']);
  });

  it('does not suspend on Monday for a debt paid on the Sunday before', () => {
    const f = facts([invoice('INV-1', '2026-12-11', 5000, [['2026-12-20', 5000]])]);
    expect(stages(f, ['2026-12-21'])).toEqual(['none']);
  });

  it('stays suspended after a partial payment that leaves at least the minimum, and returns below it', () => {
    const partial = facts([invoice('INV-1', '2026-12-10', 5000, [['2026-12-22', 3500]])]);
    expect(stageOn(d('2026-12-22'), partial, policy)).toEqual({ stage: 'suspended', overdueCents: 1500, invoiceNumbers: ['INV-1'] });
    const more = facts([invoice('INV-1', '2026-12-10', 5000, [['2026-12-22', 3500], ['2026-12-26', 600]])]);
    // 900 left is under the 1000 minimum: back at once, on a Saturday too.
    expect(stages(more, ['2026-12-25', '2026-12-26'])).toEqual(['suspended', 'none']);
  });

  it('adds up invoices past grace against the minimum, and leaves those within grace out', () => {
    const f = facts([invoice('INV-1', '2026-12-01', 600), invoice('INV-2', '2026-12-03', 600), invoice('INV-3', '2026-12-14', 9000)]);
    // On the 10th only INV-1 is past grace (600 < 1000); on Friday 11th INV-2 joins: 1200.
    expect(stages(f, ['2026-12-10', '2026-12-11'])).toEqual(['none', 'suspended']);
    expect(stageOn(d('2026-12-11'), f, policy)).toMatchObject({ overdueCents: 1200, invoiceNumbers: ['INV-1', 'INV-2'] });
  });

  it('moves through notice and throttle before suspension, each on an allowed day', () => {
    const staged: DunningPolicy = { ...policy, noticeDays: 1, throttleDays: 4 };
    // Due Tuesday 15th: notice from Thursday 17th, throttle from Sunday 20th (→ Monday), suspension from the 23rd.
    const f = facts([invoice('INV-1', '2026-12-15', 5000)]);
    expect(stages(f, ['2026-12-16', '2026-12-17', '2026-12-20', '2026-12-21', '2026-12-22', '2026-12-23'], staged)).toEqual(['none', 'notice', 'notice', 'throttle', 'throttle', 'suspended']);
  });

  it('holds an exempt subscription where it is until the exemption ends', () => {
    const f = facts([invoice('INV-1', '2026-12-11', 5000)], [['2026-12-20', '2026-12-31']]);
    // Monday 21st would suspend, but it is exempt until Thursday 31st; Friday 1 January is allowed.
    expect(stages(f, ['2026-12-21', '2026-12-31', '2027-01-01'])).toEqual(['none', 'none', 'suspended']);
    // An exemption given after the suspension does not lift it.
    const later = facts([invoice('INV-1', '2026-12-10', 5000)], [['2026-12-19', '2026-12-31']]);
    expect(stages(later, ['2026-12-18', '2026-12-22'])).toEqual(['suspended', 'suspended']);
  });

  it('never moves anyone for a zero or negative balance, whatever the minimum', () => {
    const f = facts([invoice('INV-1', '2026-12-01', 500, [['2026-12-02', 500]])]);
    expect(eligibleOn(d('2026-12-20'), f, { ...policy, minimumCents: 0 }).stage).toBe('none');
  });

  it('checks the stage days against each other', () => {
    expect(policyProblem({ graceDays: 7, noticeDays: 7, throttleDays: null })?.field).toBe('noticeDays');
    expect(policyProblem({ graceDays: 7, noticeDays: 3, throttleDays: 2 })?.field).toBe('throttleDays');
    expect(policyProblem({ graceDays: 7, noticeDays: 1, throttleDays: 4 })).toBeNull();
  });
});

describe('catching up', () => {
  const start = d('2026-11-01');
  const day = (n: number) => addDays(start, n);
  const policyArb = fc.record({
    graceDays: fc.integer({ min: 1, max: 15 }),
    minimumCents: fc.integer({ min: 0, max: 3000 }),
    stages: fc.constantFrom('none', 'notice', 'throttle', 'both'),
    noCutoffWeekdays: fc.subarray([...WEEKDAYS], { maxLength: 4 }),
    holidays: fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 6 }),
  });
  const invoicesArb = fc.array(
    fc.record({
      due: fc.integer({ min: 0, max: 60 }),
      total: fc.integer({ min: 100, max: 8000 }),
      settlements: fc.array(fc.record({ at: fc.integer({ min: 0, max: 90 }), share: fc.integer({ min: 1, max: 100 }) }), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 5 },
  );
  const exemptionsArb = fc.array(fc.record({ from: fc.integer({ min: 0, max: 90 }), length: fc.integer({ min: 0, max: 20 }) }), { maxLength: 2 });

  type PolicyDraw = { graceDays: number; minimumCents: number; stages: string; noCutoffWeekdays: (typeof WEEKDAYS)[number][]; holidays: number[] };
  const policyOf = (p: PolicyDraw): DunningPolicy => {
    const grace = p.graceDays;
    const dunning: DunningPolicy = {
      graceDays: grace,
      minimumCents: p.minimumCents,
      noticeDays: p.stages === 'notice' || p.stages === 'both' ? Math.floor(grace / 3) : null,
      throttleDays: p.stages === 'throttle' || p.stages === 'both' ? grace - 1 : null,
      noCutoffWeekdays: p.noCutoffWeekdays,
      holidays: p.holidays.map(day),
    };
    if (dunning.noticeDays !== null && dunning.throttleDays !== null && dunning.noticeDays >= dunning.throttleDays) dunning.noticeDays = null;
    return dunning;
  };
  type InvoiceDraw = { due: number; total: number; settlements: { at: number; share: number }[] };
  const factsOf = (invs: InvoiceDraw[], exs: { from: number; length: number }[]): SubscriptionFacts => ({
    invoices: invs.map((i, k) => ({
      number: `INV-${k}`,
      dueDate: day(i.due),
      totalCents: i.total,
      settlements: i.settlements.map((s) => ({ date: day(s.at), amountCents: Math.round((i.total * s.share) / 100) })),
    })),
    exemptions: exs.map((e) => ({ from: day(e.from), until: day(e.from + e.length) })),
  });

  it('running the daily job on every day of a period reaches the state of running it once at its end', () => {
    fc.assert(
      fc.property(policyArb, invoicesArb, exemptionsArb, fc.integer({ min: 1, max: 90 }), (p, invs, exs, length) => {
        const dunning = policyOf(p);
        const f = factsOf(invs, exs);
        let daily: Stage = 'none';
        for (let n = -1; n <= length; n++) {
          daily = step(daily, day(n), f, dunning);
          expect(stageOn(day(n), f, dunning).stage).toBe(daily);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('nobody reaches a stage whose open balances past the first stage days sum below the minimum (what the run looks at first)', () => {
    fc.assert(
      fc.property(policyArb, invoicesArb, exemptionsArb, fc.integer({ min: -1, max: 100 }), (p, invs, exs, n) => {
        const dunning = policyOf(p);
        const f = factsOf(invs, exs);
        const date = day(n);
        const cut = addDays(date, -firstStageDays(dunning));
        const open = f.invoices.filter((i) => i.dueDate < cut).reduce((sum, i) => sum + Math.max(0, openBalanceOn(i, date)), 0);
        if (open < Math.max(1, dunning.minimumCents)) {
          expect(eligibleOn(date, f, dunning).stage).toBe('none');
          expect(stageOn(date, f, dunning).stage).toBe('none');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the next step ahead of a subscription', () => {
  const staged: DunningPolicy = { ...policy, noticeDays: 2, throttleDays: 4 };

  it('names each stage in turn with the first allowed day, across a weekend and a holiday', () => {
    // Due Thursday 17th: past 2 days for the notice on Sunday 20th, so Monday 21st; past 4 days for
    // the throttle on Tuesday 22nd; past 7 for suspension on Friday 25th (holiday), so Monday 28th.
    const f = facts([invoice('INV-1', '2026-12-17', 5000)]);
    expect(nextStep('none', d('2026-12-15'), f, staged)).toEqual({ stage: 'notice', date: d('2026-12-21') });
    expect(nextStep('notice', d('2026-12-22'), f, staged)).toEqual({ stage: 'throttle', date: d('2026-12-22') });
    expect(nextStep('throttle', d('2026-12-23'), f, staged)).toEqual({ stage: 'suspended', date: d('2026-12-28') });
    expect(nextStep('notice', d('2026-12-22'), f, { ...staged, throttleDays: null })).toEqual({ stage: 'suspended', date: d('2026-12-28') });
  });

  it('agrees with the daily step: the stage on the day named is that stage, and not the day before', () => {
    const f = facts([invoice('INV-1', '2026-12-10', 5000)]);
    const next = nextStep('none', d('2026-12-01'), f, staged)!;
    expect(stageOn(next.date, f, staged).stage).toBe(next.stage);
    expect(stageOn(addDays(next.date, -1), f, staged).stage).toBe('none');
  });

  it('waits for the end of an exemption', () => {
    const f = facts([invoice('INV-1', '2026-12-10', 5000)], [['2026-12-01', '2026-12-22']]);
    expect(nextStep('none', d('2026-12-15'), f, policy)).toEqual({ stage: 'suspended', date: d('2026-12-23') });
  });

  it('has none ahead when nothing is owed, when under the minimum, or once suspended', () => {
    expect(nextStep('none', d('2026-12-15'), facts([]), policy)).toBeNull();
    expect(nextStep('none', d('2026-12-15'), facts([invoice('INV-1', '2026-12-10', 900)]), policy)).toBeNull();
    expect(nextStep('suspended', d('2026-12-15'), facts([invoice('INV-1', '2026-12-10', 5000)]), policy)).toBeNull();
  });
});
