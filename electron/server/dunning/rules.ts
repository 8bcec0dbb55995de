/**
 * Dunning, as pure rules: the stage a subscription is in on a date, from its invoices, the
 * payments and credits settled against them (each with the day it counts from), the policy and
 * its exemptions. No I/O: the job (job.ts) loads the facts and applies what these answer.
 *
 * The model, in two steps:
 * - eligible(t): the highest stage whose invoices are overdue on day t by at least the minimum.
 *   An invoice counts for a stage once t is past its due date plus that stage's days
 *   (notice, throttle, or the grace days for suspension), with its open balance as of t.
 * - The daily step: on a cut-off day that is not exempt a subscription moves up to eligible(t);
 *   on any day (weekend, holiday, exemption or not) it moves down to eligible(t) at once, since
 *   only a payment or credit can lower it.
 * Unrolled, the step gives a closed form (stageOn): the minimum of eligible(t) from the last
 * escalation day up to the date. So a job catching up after days down evaluates the last day
 * once and lands where running every day would have, without suspending for a day a payment
 * had already passed (rules.test.ts proves the two agree).
 */
import { addDays, compareDates, type IsoDate, toDayNumber } from '../billing/rules/dates';

export const STAGES = ['none', 'notice', 'throttle', 'suspended'] as const;
export type Stage = (typeof STAGES)[number];
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const stageRank = (s: Stage): number => STAGES.indexOf(s);
const lower = (a: Stage, b: Stage): Stage => (stageRank(a) <= stageRank(b) ? a : b);

export interface DunningPolicy {
  /** Days after the due date before suspension (billing settings' grace days). */
  graceDays: number;
  /** Overdue below this (cents) never moves anyone; at least one cent always. */
  minimumCents: number;
  /** Days after the due date for the optional stages before suspension; null: no such stage. */
  noticeDays: number | null;
  throttleDays: number | null;
  noCutoffWeekdays: readonly Weekday[];
  holidays: readonly IsoDate[];
}

/** Something that lowers an invoice's open balance from a day on: a payment allocation or a credit. */
export interface Settlement {
  date: IsoDate;
  amountCents: number;
}

export interface InvoiceFacts {
  number: string;
  dueDate: IsoDate;
  totalCents: number;
  settlements: readonly Settlement[];
}

/** Holds a subscription out of escalation from `from` to `until`, both inclusive. */
export interface ExemptionSpan {
  from: IsoDate;
  until: IsoDate;
}

export interface SubscriptionFacts {
  invoices: readonly InvoiceFacts[];
  exemptions: readonly ExemptionSpan[];
}

export function openBalanceOn(invoice: InvoiceFacts, date: IsoDate): number {
  let open = invoice.totalCents;
  for (const s of invoice.settlements) if (compareDates(s.date, date) <= 0) open -= s.amountCents;
  return open;
}

/** Days after the due date at which each stage applies (absent stages: null). */
function stageDays(policy: DunningPolicy): [Stage, number | null][] {
  return [
    ['suspended', policy.graceDays],
    ['throttle', policy.throttleDays],
    ['notice', policy.noticeDays],
  ];
}

/**
 * Days after the due date of the policy's earliest stage. An invoice counts for no stage before
 * then, and a stage's overdue amount never exceeds the open balances of the invoices past it: a
 * subscription whose such balances sum below the minimum is eligible for nothing (the daily run
 * looks no further at it unless it already holds a stage).
 */
export function firstStageDays(policy: DunningPolicy): number {
  return Math.min(...stageDays(policy).flatMap(([, days]) => (days === null ? [] : [days])));
}

export interface Overdue {
  stage: Stage;
  /** The overdue amount counted for that stage (0 for none). */
  overdueCents: number;
  /** Numbers of the invoices counted, oldest due first. */
  invoiceNumbers: string[];
}

/** The overdue amount counted for one stage on `date`: invoices past due + that stage's days. */
export function overdueFor(stage: Stage, date: IsoDate, facts: SubscriptionFacts, policy: DunningPolicy): Overdue {
  const days = stageDays(policy).find(([s]) => s === stage)?.[1] ?? null;
  if (days === null) return { stage, overdueCents: 0, invoiceNumbers: [] };
  let overdue = 0;
  const counted: { number: string; due: IsoDate }[] = [];
  for (const invoice of facts.invoices) {
    if (compareDates(addDays(invoice.dueDate, days), date) >= 0) continue;
    const open = openBalanceOn(invoice, date);
    if (open <= 0) continue;
    overdue += open;
    counted.push({ number: invoice.number, due: invoice.dueDate });
  }
  counted.sort((a, b) => compareDates(a.due, b.due) || a.number.localeCompare(b.number));
  return { stage, overdueCents: overdue, invoiceNumbers: counted.map((n) => n.number) };
}

/** The highest stage a subscription qualifies for on `date`, with the overdue amount behind it. */
export function eligibleOn(date: IsoDate, facts: SubscriptionFacts, policy: DunningPolicy): Overdue {
  const minimum = Math.max(1, policy.minimumCents);
  for (const [stage, days] of stageDays(policy)) {
    if (days === null) continue;
    const found = overdueFor(stage, date, facts, policy);
    if (found.overdueCents >= minimum) return found;
  }
  return { stage: 'none', overdueCents: 0, invoiceNumbers: [] };
}

export function weekdayOf(date: IsoDate): Weekday {
  // Day number 0 is 1970-01-01, a Thursday.
  return WEEKDAYS[(((toDayNumber(date) + 4) % 7) + 7) % 7]!;
}

/** A day on which someone may be moved to a harsher stage: not a no-cut-off weekday or holiday. */
export function isCutoffDay(date: IsoDate, policy: DunningPolicy): boolean {
  return !policy.noCutoffWeekdays.includes(weekdayOf(date)) && !policy.holidays.includes(date);
}

export function isExempt(date: IsoDate, exemptions: readonly ExemptionSpan[]): boolean {
  return exemptions.some((e) => compareDates(e.from, date) <= 0 && compareDates(date, e.until) <= 0);
}

export function isEscalationDay(date: IsoDate, facts: SubscriptionFacts, policy: DunningPolicy): boolean {
  return isCutoffDay(date, policy) && !isExempt(date, facts.exemptions);
}

/** One day of the daily job: where a subscription in `previous` stands after `date`. */
export function step(previous: Stage, date: IsoDate, facts: SubscriptionFacts, policy: DunningPolicy): Stage {
  const target = eligibleOn(date, facts, policy).stage;
  if (stageRank(target) < stageRank(previous)) return target;
  if (stageRank(target) > stageRank(previous) && isEscalationDay(date, facts, policy)) return target;
  return previous;
}

/**
 * The stage on `date` as if the daily step had run on every day since before the first due date:
 * the lowest eligible stage from the last escalation day up to `date`.
 */
export function stageOn(date: IsoDate, facts: SubscriptionFacts, policy: DunningPolicy): Overdue {
  const now = eligibleOn(date, facts, policy);
  if (now.stage === 'none' || facts.invoices.length === 0) return now;
  // Before the first due date nothing is eligible, so no escalation day earlier than that matters.
  const first = facts.invoices.reduce((m, i) => (compareDates(i.dueDate, m) < 0 ? i.dueDate : m), facts.invoices[0]!.dueDate);
  let lowest: Stage = now.stage;
  for (let day = date; compareDates(day, first) > 0; day = addDays(day, -1)) {
    if (day !== date) lowest = lower(lowest, eligibleOn(day, facts, policy).stage);
    if (lowest === 'none') break;
    if (isEscalationDay(day, facts, policy)) return lowest === now.stage ? now : overdueFor(lowest, date, facts, policy);
  }
  return { stage: 'none', overdueCents: 0, invoiceNumbers: [] };
}

/** The next harsher stage, and the first day the daily job would move a subscription there. */
export interface NextStep {
  stage: Stage;
  date: IsoDate;
}

/**
 * Where a subscription in `current` goes next if nothing more is paid: the daily step walked
 * forward from `from` (the first day the job has not yet run for), for at most `horizonDays`.
 * Weekends, holidays and exemptions push the date to the next day allowed; null when nothing
 * would move it (nothing overdue, or the top stage reached).
 */
export function nextStep(current: Stage, from: IsoDate, facts: SubscriptionFacts, policy: DunningPolicy, horizonDays = 400): NextStep | null {
  if (current === 'suspended' || facts.invoices.length === 0) return null;
  let stage: Stage = current;
  for (let i = 0; i < horizonDays; i++) {
    const day = addDays(from, i);
    const next = step(stage, day, facts, policy);
    if (stageRank(next) > stageRank(stage)) return { stage: next, date: day };
    stage = next;
  }
  return null;
}

/** Checks stage days against each other; answers the field and message of the first problem. */
export function policyProblem(p: { graceDays: number; noticeDays: number | null; throttleDays: number | null }): { field: string; message: string } | null {
  if (p.noticeDays !== null && p.noticeDays >= p.graceDays) return { field: 'noticeDays', message: 'The notice must come before suspension (fewer days than the grace days).' };
  if (p.throttleDays !== null && p.throttleDays >= p.graceDays) return { field: 'throttleDays', message: 'The throttle must come before suspension (fewer days than the grace days).' };
  if (p.noticeDays !== null && p.throttleDays !== null && p.noticeDays >= p.throttleDays) return { field: 'throttleDays', message: 'The throttle must come after the notice.' };
  return null;
}

/** Days in [from, to], for the job catching up; `to` before `from` gives none. */
export function daysBetweenInclusive(from: IsoDate, to: IsoDate): number {
  return Math.max(0, toDayNumber(to) - toDayNumber(from) + 1);
}
