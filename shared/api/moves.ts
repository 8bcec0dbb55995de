import { z } from 'zod';
import { centsInput } from './catalog';
import { deleted, id, isoDate, optionalText } from './common';
import { procedure } from './procedure';

/**
 * Upgrades, downgrades and package moves (DOMAIN.md, "Upgrade path", "Moving to another package",
 * "Contract binding"), prorated plan changes of one service, and contracts that bind.
 */

const byId = z.object({ id });

export const CONTRACT_RULES = ['destination-then-source', 'destination', 'source'] as const;
export const contractRule = z.enum(CONTRACT_RULES, { error: 'Choose destination-then-source, destination or source' });

export const upgradePathFields = z.object({
  targetPackageId: id,
  feeCents: centsInput.default(0),
  feeProductId: id.nullish().transform((v) => v ?? null),
  contractRule: contractRule.default('destination-then-source'),
  billOneTime: z.boolean().default(false),
});

export const upgradePath = z.object({
  id,
  packageId: id,
  packageName: z.string(),
  targetPackageId: id,
  targetPackageName: z.string(),
  targetActive: z.boolean(),
  feeCents: z.number().int(),
  feeProductId: id.nullable(),
  feeProductName: z.string().nullable(),
  contractRule,
  billOneTime: z.boolean(),
});

const waiveReason = optionalText(500);

export const moveInput = z.object({
  accountPackageId: id,
  targetPackageId: id,
  billStartDate: isoDate,
  billOneTime: z.boolean().default(false),
  /** Waives the early-cancellation fee the move would charge; recorded with the move. */
  waiveFeeReason: waiveReason,
});

const money = z.number().int();

/** One credit of a charge already billed past the move date: days unused / days of the line × what the line cost. */
export const moveCredit = z.object({
  chargeId: id,
  serviceId: id.nullable(),
  description: z.string(),
  invoiceNumber: z.string().nullable(),
  /** closed: a credit memo line; open: the open invoice's line is cut (or removed when no day is used). */
  mode: z.enum(['credit-memo', 'reduce-open', 'remove-open']),
  unusedDays: z.number().int(),
  lineDays: z.number().int(),
  /** Positive: what comes off the balance. */
  amountCents: money,
  taxCents: money,
  explanation: z.string(),
});

export const moveCharge = z.object({
  kind: z.enum(['recurring', 'one-time', 'upgrade-fee', 'one-time-difference', 'contract-fee']),
  /** The service it is charged on (null: one added by the move, or none). */
  serviceId: id.nullable(),
  /** The target product of a service the move adds. */
  productId: id.nullable(),
  description: z.string(),
  periodStart: z.string().nullable(),
  /** Exclusive. */
  periodEnd: z.string().nullable(),
  amountCents: money,
  taxRatePercent: z.string().nullable(),
  taxCents: money,
  explanation: z.string(),
});

export const contractTermInfo = z.object({
  contractId: id,
  name: z.string(),
  startDate: z.string(),
  /** First day no longer bound. */
  termEndDate: z.string(),
  feeCents: money,
});

export const moveContract = z.object({
  rule: contractRule,
  source: contractTermInfo.nullable(),
  target: contractTermInfo.nullable(),
  /** Which contract the subscription has after the move. */
  outcome: z.enum(['source', 'target', 'none']),
  earlyFeeCents: money,
  waived: z.boolean(),
  waiveReason: z.string().nullable(),
  explanation: z.string(),
});

export const movePreview = z.object({
  subscriptionId: id,
  accountPackageId: id,
  sourcePackageName: z.string(),
  targetPackageId: id,
  targetPackageName: z.string(),
  billStartDate: z.string(),
  billOneTime: z.boolean(),
  /** The date is after today: confirming stores a scheduled move. */
  scheduled: z.boolean(),
  services: z.array(
    z.object({
      serviceId: id,
      description: z.string(),
      fromProductName: z.string().nullable(),
      toProductId: id,
      toProductName: z.string(),
      toPlanName: z.string(),
      login: z.string().nullable(),
      ipv4Address: z.string().nullable(),
    }),
  ),
  added: z.array(z.object({ productId: id, productName: z.string(), ratingMethod: z.string() })),
  staying: z.array(z.object({ serviceId: id, description: z.string(), reason: z.string() })),
  refusals: z.array(z.object({ serviceId: id, description: z.string(), reason: z.string() })),
  notes: z.array(z.string()),
  credits: z.array(moveCredit),
  charges: z.array(moveCharge),
  contract: moveContract,
  creditsCents: money,
  chargesCents: money,
  /** Charges less credits, tax included: positive raises the balance. */
  netCents: money,
  fingerprint: z.string(),
});

export const moveApplyInput = moveInput.extend({
  /** The fingerprint of the preview staff saw; a different one refuses the move. */
  expectedFingerprint: z.string().max(200).nullish().transform((v) => v ?? null),
});

export const packageMove = z.object({
  id,
  subscriptionId: id,
  state: z.enum(['scheduled', 'applied', 'cancelled']),
  sourceAccountPackageId: id.nullable(),
  sourcePackageName: z.string(),
  targetPackageName: z.string(),
  targetAccountPackageId: id.nullable(),
  billStartDate: z.string(),
  netCents: money,
  waiveFeeReason: z.string().nullable(),
  outcome: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  appliedAt: z.string().nullable(),
  figures: movePreview,
});

export const moveApplied = z.object({
  move: packageMove,
  creditMemoNumbers: z.array(z.string()),
  invoiceId: id.nullable(),
});

export const planChangeInput = z.object({ id, planId: id, keepPrice: z.boolean().default(false) });

export const planChangePreview = z.object({
  serviceId: id,
  fromPlanName: z.string(),
  toPlanName: z.string(),
  date: z.string(),
  credits: z.array(moveCredit),
  charges: z.array(moveCharge),
  netCents: money,
});

export const subscriptionContract = z.object({
  accountPackageId: id,
  packageName: z.string(),
  contractId: id,
  contractName: z.string(),
  startDate: z.string(),
  termEndDate: z.string(),
  feeCents: money,
  /** What ending the package today would charge (0 once the term is over, or when already decided). */
  feeTodayCents: money,
  decided: z.object({ feeCents: money, waivedReason: z.string().nullable(), occasion: z.string(), decidedOn: z.string() }).nullable(),
});

export const movesApi = {
  'upgradePaths.create': procedure('Add an upgrade path (target package, fee, contract rule) to a package.', upgradePathFields.extend({ packageId: id }), upgradePath),
  'upgradePaths.list': procedure('Upgrade paths of a package.', z.object({ packageId: id }), z.array(upgradePath)),
  'upgradePaths.update': procedure(
    'Change an upgrade path.',
    byId.extend({
      feeCents: centsInput.optional(),
      feeProductId: id.nullable().optional(),
      contractRule: contractRule.optional(),
      billOneTime: z.boolean().optional(),
    }),
    upgradePath,
  ),
  'upgradePaths.delete': procedure('Remove an upgrade path.', byId, deleted),

  'packageMoves.preview': procedure('What moving an account package to a target would write: services, credits, charges, contract, net effect.', moveInput, movePreview),
  'packageMoves.apply': procedure('Carry out a move in one transaction (or schedule it when dated in the future).', moveApplyInput, moveApplied),
  'packageMoves.list': procedure('Package moves of a subscription (applied, scheduled, cancelled), newest first.', z.object({ subscriptionId: id }), z.array(packageMove)),
  'packageMoves.cancel': procedure('Cancel a scheduled move.', byId, packageMove),
  'packageMoves.applyDue': procedure(
    'Carry out every scheduled move dated today or earlier (catching up days the app was closed).',
    z.object({ today: isoDate.optional() }).default({}),
    z.object({ applied: z.number().int(), failed: z.number().int() }),
  ),

  'services.changePlanPreview': procedure('What changing a service\'s plan today credits and charges (prorated).', planChangeInput, planChangePreview),

  'contracts.ofSubscription': procedure('Contracts of a subscription\'s account packages: term end and the fee ending today would charge.', z.object({ subscriptionId: id }), z.array(subscriptionContract)),
  'accountPackages.end': procedure(
    'End an account package (last day), charging the early-cancellation fee of a contract still in term unless waived with a reason.',
    z.object({ id, endDate: isoDate, waiveFeeReason: waiveReason }),
    z.object({ accountPackageId: id, endDate: z.string(), feeCents: money, waived: z.boolean() }),
  ),
};
