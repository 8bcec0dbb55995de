/**
 * Contract binding (DOMAIN.md, "Contract", "Contract binding"): a contract runs from its start for
 * its term; ending it before the term ends charges the early-cancellation fee, unless waived.
 * Upgrade paths choose which contract a moved subscription keeps:
 * - destination-then-source: the target's contract if it has one, else the current one;
 * - destination: the target's contract (or none); the current one is dropped, and dropping it in
 *   term charges its fee;
 * - source: the current contract, whatever the target has.
 * Only "destination" charges on a move: under the other rules the subscriber stays bound.
 */
import { addDays, addMonths, compareDates, longDate, type IsoDate } from '../../billing/rules/dates';

export type ContractRule = 'destination-then-source' | 'destination' | 'source';

export interface ContractTerm {
  contractId: number;
  name: string;
  startDate: IsoDate;
  termMonths: number;
  feeCents: number;
}

/** The first day no longer bound. */
export function termEnd(c: Pick<ContractTerm, 'startDate' | 'termMonths'>): IsoDate {
  return addMonths(c.startDate, c.termMonths);
}

/** The fee that ending the contract so that `firstFreeDay` is the first day without it charges. */
export function earlyFee(c: ContractTerm | null, firstFreeDay: IsoDate): number {
  if (!c) return 0;
  return compareDates(firstFreeDay, termEnd(c)) < 0 ? c.feeCents : 0;
}

export interface ContractOutcome {
  outcome: 'source' | 'target' | 'none';
  earlyFeeCents: number;
  explanation: string;
}

export function moveContractOutcome(rule: ContractRule, source: ContractTerm | null, target: ContractTerm | null, moveDate: IsoDate): ContractOutcome {
  const bound = (c: ContractTerm) => `${c.name} (until ${longDate(addDays(termEnd(c), -1))})`;
  if (rule === 'source') {
    return source
      ? { outcome: 'source', earlyFeeCents: 0, explanation: `Always source: ${bound(source)} stays${target ? `; ${target.name} of the target is ignored` : ''}.` }
      : { outcome: 'none', earlyFeeCents: 0, explanation: `Always source: there is no current contract${target ? `; ${target.name} of the target is ignored` : ''}.` };
  }
  if (rule === 'destination-then-source') {
    if (target) return { outcome: 'target', earlyFeeCents: 0, explanation: `Destination then source: the target's ${target.name} starts ${longDate(moveDate)}${source ? `, replacing ${source.name} without a fee` : ''}.` };
    return source
      ? { outcome: 'source', earlyFeeCents: 0, explanation: `Destination then source: the target has no contract, so ${bound(source)} stays.` }
      : { outcome: 'none', earlyFeeCents: 0, explanation: 'Destination then source: neither package has a contract.' };
  }
  const fee = earlyFee(source, moveDate);
  const dropped = source
    ? fee > 0
      ? `${source.name} is dropped before its term ends (${longDate(addDays(termEnd(source), -1))}): early-cancellation fee`
      : `${source.name} is dropped (${compareDates(moveDate, termEnd(source)) >= 0 ? 'its term is over' : 'it has no fee'})`
    : 'there is no current contract';
  return {
    outcome: target ? 'target' : 'none',
    earlyFeeCents: fee,
    explanation: `Always destination: ${target ? `the target's ${target.name} starts ${longDate(moveDate)}` : 'the target has no contract'}; ${dropped}.`,
  };
}
