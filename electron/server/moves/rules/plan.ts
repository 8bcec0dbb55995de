/**
 * A package move worked out from what is stored, without writing anything (DOMAIN.md, "Moving to
 * another package"). The preview shows exactly this and confirming writes exactly this.
 *
 * - Each recurring service that is not archived or ended moves into a compatible recurring product
 *   of the target (rules/compatibility.ts); one without a home refuses the whole move.
 * - Billing of a moved recurring service: whatever it was billed past the move date is given back
 *   (rules/settle.ts); days before the move not yet billed are billed at the old price (what the
 *   billing run would have charged); the target is then charged from the move date, prorated, for
 *   every period starting on or before the last day already billed (or the move date), exactly as
 *   the billing run rates a service that starts on the move date (billing/rules/charges.ts).
 * - One-time products: in a package made only of one-time products, they move and the difference
 *   of the two prices is charged (negative: a credit line on the next bill). Otherwise they stay
 *   with the old package (already charged); the target's one-time products are added and charged in
 *   full only when "bill one-time products" is ticked.
 * - The upgrade fee is one "Upgrade Fee" line taxed like the chosen target product; the contract
 *   follows the path's rule (rules/contract.ts).
 */
import { cents, formatMoney, type MoneyFormat } from '../../../../shared/domain/money';
import { type BillableService, type NewCharge, chargesDue, oneTimeCharge } from '../../billing/rules/charges';
import { addDays, compareDates, type DateRange, type IsoDate } from '../../billing/rules/dates';
import { lineTax } from '../../billing/rules/tax';
import { type Candidate, type PlanTraits, homeFor } from './compatibility';
import { type ContractRule, type ContractTerm, moveContractOutcome, termEnd } from './contract';
import { type BilledLine, type LineCredit, creditsFrom } from './settle';

export interface SourceService {
  id: number;
  description: string;
  productName: string | null;
  plan: PlanTraits;
  status: string;
  /** The service as billed now (old plan and price). */
  billable: BillableService;
  /** Exclusive end of its last recurring charge. */
  billedThrough: IsoDate | null;
  /** Amount of its one-time charge, when made. */
  oneTimeChargedCents: number | null;
  login: string | null;
  ipv4Address: string | null;
  lines: BilledLine[];
  /** Its subscription's suspended days that pause billing, up to the day of the move. */
  paused: DateRange[];
  answers: { questionId: number; label: string; answer: string }[];
}

export interface TargetProduct {
  id: number;
  name: string;
  ratingMethod: 'recurring' | 'one-time' | 'prepaid-usage';
  planId: number | null;
  plan: PlanTraits | null;
  priceCents: number;
  minQuantity: number | null;
  unit: string | null;
  payPeriodMonths: number;
  taxRatePercent: string | null;
}

export interface MoveContext {
  subscriptionId: number;
  today: IsoDate;
  moveDate: IsoDate;
  billDay: number;
  money: MoneyFormat;
  notBefore: IsoDate | null;
  source: { accountPackageId: number; packageName: string; startDate: IsoDate; contract: ContractTerm | null };
  target: { packageId: number; name: string; products: TargetProduct[]; contract: Omit<ContractTerm, 'startDate'> | null; questions: { id: number; label: string }[] };
  path: { feeCents: number; feeProductId: number | null; contractRule: ContractRule };
  billOneTime: boolean;
  waiveReason: string | null;
  services: SourceService[];
}

/** The end of the description of a one-time difference line, by which later moves find it. */
export const ONE_TIME_DIFFERENCE = ': one-time difference';

export type PlannedChargeKind = 'recurring' | 'one-time' | 'upgrade-fee' | 'one-time-difference' | 'contract-fee';

/** The line itself, as the billing run rates one (billing/rules/charges.ts). */
type ChargeLine = Pick<NewCharge, 'planId' | 'description' | 'explanation' | 'periodStart' | 'periodEnd' | 'quantity' | 'unitPrice' | 'amount' | 'taxRatePercent' | 'tax'>;

export interface PlannedCharge extends ChargeLine {
  kind: PlannedChargeKind;
  serviceId: number | null;
  /** Index into `added` when charged on a service the move adds. */
  addedIndex: number | null;
  productId: number | null;
  /** The package it belongs to: the old one (days before the move) or the target. */
  onTarget: boolean;
}

/** A charge the billing run's rules worked out, as a move or plan change plans it. */
export function plannedFrom(c: NewCharge, extra: Pick<PlannedCharge, 'serviceId' | 'addedIndex' | 'productId' | 'onTarget'>): PlannedCharge {
  return {
    kind: c.kind,
    ...extra,
    planId: c.planId,
    description: c.description,
    explanation: c.explanation,
    periodStart: c.periodStart,
    periodEnd: c.periodEnd,
    quantity: c.quantity,
    unitPrice: c.unitPrice,
    amount: c.amount,
    taxRatePercent: c.taxRatePercent,
    tax: c.tax,
  };
}

/**
 * A recurring service leaving its plan or package on `day`: the days before it not billed yet, at
 * the old price (what the billing run would have charged), and the exclusive end of what is billed
 * once they are.
 */
export function unbilledBefore(s: SourceService, day: IsoDate, billDay: number, money: MoneyFormat, notBefore: IsoDate | null): { gap: NewCharge[]; through: IsoDate | null } {
  const gap = compareDates(s.billable.startDate, day) < 0
    ? chargesDue({ ...s.billable, endDate: addDays(day, -1) }, billDay, { billedThrough: s.billedThrough, oneTimeCharged: true }, addDays(day, -1), money, notBefore)
    : [];
  const through = [s.billedThrough, ...gap.map((c) => c.periodEnd)].filter((d): d is IsoDate => d !== null).sort().at(-1) ?? null;
  return { gap, through };
}

export interface MovedService {
  serviceId: number;
  product: TargetProduct;
  description: string;
  priceCents: number;
  answers: { questionId: number; answer: string }[];
}

export interface MovePlan {
  moved: MovedService[];
  added: TargetProduct[];
  staying: { serviceId: number; description: string; reason: string }[];
  refusals: { serviceId: number; description: string; reason: string }[];
  notes: string[];
  credits: LineCredit[];
  charges: PlannedCharge[];
  contract: {
    rule: ContractRule;
    source: (ContractTerm & { termEndDate: IsoDate }) | null;
    target: (ContractTerm & { termEndDate: IsoDate }) | null;
    outcome: 'source' | 'target' | 'none';
    earlyFeeCents: number;
    waived: boolean;
    explanation: string;
  };
  creditsCents: number;
  chargesCents: number;
  netCents: number;
  /** The services' descriptions by id, for the preview. */
  scheduled: boolean;
}

const LIVE = (s: SourceService, moveDate: IsoDate) => s.status !== 'Archived' && (s.billable.endDate === null || compareDates(s.billable.endDate, moveDate) >= 0);

export function planMove(ctx: MoveContext): MovePlan {
  const { moveDate: M, money } = ctx;
  const $ = (c: number) => formatMoney(cents(c), money);
  const live = ctx.services.filter((s) => LIVE(s, M));
  const oneTimeOnly = live.length > 0 && live.every((s) => s.billable.ratingMethod !== 'recurring');
  const candidates: Candidate<TargetProduct>[] = ctx.target.products.filter((p) => p.plan !== null).map((p) => ({ product: p, name: p.name, ratingMethod: p.ratingMethod, plan: p.plan! }));
  const taken = new Set<TargetProduct>();
  const moved: MovedService[] = [];
  const staying: MovePlan['staying'] = [];
  const refusals: MovePlan['refusals'] = [];
  const notes: string[] = [];
  const targetQuestions = new Map(ctx.target.questions.map((q) => [q.label.trim().toLowerCase(), q.id]));

  for (const s of live) {
    const recurring = s.billable.ratingMethod === 'recurring';
    if (!recurring && !oneTimeOnly) {
      staying.push({ serviceId: s.id, description: s.description, reason: `one-time product, already ${s.oneTimeChargedCents === null ? 'settled' : 'charged'} with ${ctx.source.packageName}; stays with it` });
      continue;
    }
    const home = homeFor({ productName: s.productName, planName: s.plan.name, ratingMethod: s.billable.ratingMethod, plan: s.plan }, candidates, taken);
    if ('refused' in home) {
      refusals.push({ serviceId: s.id, description: s.description, reason: `${s.description} cannot move: ${home.refused}` });
      continue;
    }
    taken.add(home.product);
    const sameName = s.productName !== null && s.productName.trim().toLowerCase() === home.name.trim().toLowerCase();
    const answers: MovedService['answers'] = [];
    for (const a of s.answers) {
      const q = sameName ? targetQuestions.get(a.label.trim().toLowerCase()) : undefined;
      if (q !== undefined) answers.push({ questionId: q, answer: a.answer });
      else notes.push(`${s.description}: answer to "${a.label}" dropped (${sameName ? `${ctx.target.name} does not ask it` : `the service is "${home.name}" in ${ctx.target.name}, not "${s.productName ?? s.description}"`})`);
    }
    if (answers.length > 0) notes.push(`${s.description}: ${answers.length} profile answer${answers.length === 1 ? '' : 's'} carried over`);
    const description = s.productName !== null && s.description === s.productName ? home.name : s.description === s.plan.name ? home.plan!.name : s.description;
    moved.push({ serviceId: s.id, product: home.product, description, priceCents: home.product.priceCents, answers });
  }

  const added: TargetProduct[] = [];
  for (const p of ctx.target.products) {
    if (taken.has(p) || p.minQuantity === null || p.plan === null) continue;
    if (p.ratingMethod === 'recurring' || ctx.billOneTime) added.push(p);
    else notes.push(`${p.name} (one-time) not added: "bill one-time products" is unticked`);
  }

  // --- Billing --------------------------------------------------------------------------------
  const credits: LineCredit[] = [];
  const charges: PlannedCharge[] = [];
  const targetBillable = (id: number, p: TargetProduct, base: Partial<BillableService>): BillableService => ({
    id,
    subscriptionId: ctx.subscriptionId,
    accountPackageId: null,
    planId: p.planId,
    description: p.name,
    quantity: String(p.minQuantity ?? 1),
    unitPrice: cents(p.priceCents),
    payPeriodMonths: p.payPeriodMonths,
    ratingMethod: p.ratingMethod,
    startDate: M,
    endDate: null,
    discount: null,
    taxRatePercent: p.taxRatePercent,
    ...base,
  });

  let horizon = M;
  const movedRecurring = moved.filter((m) => m.product.ratingMethod === 'recurring');
  for (const m of movedRecurring) {
    const s = live.find((x) => x.id === m.serviceId)!;
    credits.push(...creditsFrom(s.lines, M, money, s.paused));
    const { gap, through } = unbilledBefore(s, M, ctx.billDay, money, ctx.notBefore);
    for (const c of gap) charges.push(plannedFrom(c, { serviceId: s.id, addedIndex: null, productId: null, onTarget: false }));
    if (through && compareDates(addDays(through, -1), horizon) > 0) horizon = addDays(through, -1);
  }
  for (const m of movedRecurring) {
    const s = live.find((x) => x.id === m.serviceId)!;
    const b = targetBillable(s.id, m.product, { description: m.description, quantity: s.billable.quantity, discount: s.billable.discount });
    for (const c of chargesDue(b, ctx.billDay, { billedThrough: null, oneTimeCharged: false }, horizon, money, ctx.notBefore)) {
      charges.push(plannedFrom(c, { serviceId: s.id, addedIndex: null, productId: m.product.id, onTarget: true }));
    }
  }
  added.forEach((p, i) => {
    const b = targetBillable(-(i + 1), p, {});
    const due = p.ratingMethod === 'recurring' ? chargesDue(b, ctx.billDay, { billedThrough: null, oneTimeCharged: false }, horizon, money, ctx.notBefore) : [oneTimeCharge(b, M, money)];
    for (const c of due) charges.push(plannedFrom(c, { serviceId: null, addedIndex: i, productId: p.id, onTarget: true }));
  });
  for (const m of moved.filter((x) => x.product.ratingMethod !== 'recurring')) {
    const s = live.find((x) => x.id === m.serviceId)!;
    const b = targetBillable(s.id, m.product, { description: m.description, quantity: s.billable.quantity });
    const targetCost = oneTimeCharge(b, M, money);
    const before = s.oneTimeChargedCents ?? 0;
    const diff = cents(targetCost.amount - before);
    if (diff === 0) {
      notes.push(`${m.description}: one-time prices are the same (${$(before)}), nothing to charge`);
      continue;
    }
    charges.push({
      kind: 'one-time-difference',
      serviceId: s.id,
      addedIndex: null,
      productId: m.product.id,
      planId: m.product.planId,
      onTarget: true,
      description: `${m.description}${ONE_TIME_DIFFERENCE}`,
      explanation: `${m.product.name} ${$(targetCost.amount)} − ${s.productName ?? s.description} ${$(before)} already charged = ${diff < 0 ? '−' : ''}${$(Math.abs(diff))}${diff < 0 ? ' (credit)' : ''}`,
      periodStart: M,
      periodEnd: null,
      quantity: '1',
      unitPrice: diff,
      amount: diff,
      taxRatePercent: m.product.taxRatePercent,
      tax: lineTax(diff, m.product.taxRatePercent),
    });
  }

  if (ctx.path.feeCents > 0) {
    const product = ctx.target.products.find((p) => p.id === ctx.path.feeProductId) ?? null;
    const host = product ? moved.find((m) => m.product.id === product.id) : undefined;
    const addedIndex = product ? added.indexOf(product) : -1;
    const fee = cents(ctx.path.feeCents);
    const rate = product?.taxRatePercent ?? null;
    charges.push({
      kind: 'upgrade-fee',
      serviceId: host?.serviceId ?? null,
      addedIndex: host || addedIndex < 0 ? null : addedIndex,
      productId: product?.id ?? null,
      planId: product?.planId ?? null,
      onTarget: true,
      description: 'Upgrade Fee',
      explanation: `Upgrade Fee ${ctx.source.packageName} → ${ctx.target.name}: ${$(fee)}${product ? `, taxed like ${product.name}${rate ? ` (${rate}%)` : ' (no tax)'}` : ', no product chosen (no tax)'}`,
      periodStart: M,
      periodEnd: null,
      quantity: '1',
      unitPrice: fee,
      amount: fee,
      taxRatePercent: rate,
      tax: lineTax(fee, rate),
    });
  }

  const target = ctx.target.contract ? { ...ctx.target.contract, startDate: M } : null;
  const outcome = moveContractOutcome(ctx.path.contractRule, ctx.source.contract, target, M);
  const waived = outcome.earlyFeeCents > 0 && ctx.waiveReason !== null;
  if (outcome.earlyFeeCents > 0 && !waived) {
    const fee = cents(outcome.earlyFeeCents);
    charges.push({
      kind: 'contract-fee',
      serviceId: null,
      addedIndex: null,
      productId: null,
      planId: null,
      onTarget: false,
      description: `Early cancellation fee: ${ctx.source.contract!.name}`,
      explanation: `${ctx.source.contract!.name} ends ${M}, before its term (${termEnd(ctx.source.contract!)}): ${$(fee)}`,
      periodStart: M,
      periodEnd: null,
      quantity: '1',
      unitPrice: fee,
      amount: fee,
      taxRatePercent: null,
      tax: cents(0),
    });
  }

  const creditsCents = credits.reduce((a, c) => a + c.amountCents + c.taxCents, 0);
  const chargesCents = charges.reduce((a, c) => a + c.amount + c.tax, 0);
  const withEnd = (c: ContractTerm | null) => (c ? { ...c, termEndDate: termEnd(c) } : null);
  return {
    moved,
    added,
    staying,
    refusals,
    notes,
    credits,
    charges,
    contract: {
      rule: ctx.path.contractRule,
      source: withEnd(ctx.source.contract),
      target: withEnd(target),
      outcome: outcome.outcome,
      earlyFeeCents: outcome.earlyFeeCents,
      waived,
      explanation: waived ? `${outcome.explanation} Waived: ${ctx.waiveReason}` : outcome.explanation,
    },
    creditsCents,
    chargesCents,
    netCents: chargesCents - creditsCents,
    scheduled: compareDates(M, ctx.today) > 0,
  };
}
