import { z } from 'zod';
import { amountCents, deleted, id, isoDateTime, optionalText, pageInput, pageOf, patchOf, percentText, requiredText } from './common';
import { procedure } from './procedure';
import { planCapFields } from './usage';

/** Plans, packages, tax classes and hotspot plans: what is sold. */

/** Prices and fees travel as integer cents (DOMAIN.md, "Money"): zero or more, at most MAX_AMOUNT_CENTS. */
export const centsInput = amountCents('zeroOrMore');

export { percentText };

export const PAY_PERIODS = [1, 3, 6, 12] as const;
export const payPeriod = z
  .number({ error: (i) => (i.input === undefined || i.input === null ? 'Required' : 'Must be a number of months') })
  .refine((n): n is (typeof PAY_PERIODS)[number] => (PAY_PERIODS as readonly number[]).includes(n), 'Pay period is 1, 3, 6 or 12 months');

const positiveInt = (what: string) => z.number().int(`${what} is a whole number`).positive(`${what} must be more than 0`);
const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

// --- Tax classes ----------------------------------------------------------------------------

export const taxClassFields = z.object({
  name: requiredText(100),
  ratePercent: percentText,
  active: z.boolean().default(true),
});
export const taxClass = z.object({
  id,
  name: z.string(),
  ratePercent: z.string(),
  active: z.boolean(),
  planCount: z.number().int(),
});

// --- Plans ----------------------------------------------------------------------------------

export const PLAN_KINDS = ['Internet', 'Voice', 'Hosting', 'Custom'] as const;
export const ACCESS_TECHNOLOGIES = ['wireless', 'fiber', 'DSL', 'dial-up'] as const;
/** How the router enforces the plan's speeds. */
export const QOS_MODES = ['Simple queue', 'PCQ', 'RADIUS rate limit', 'None'] as const;

export const internetPlanFields = {
  downloadKbps: nullable(positiveInt('Download speed')),
  uploadKbps: nullable(positiveInt('Upload speed')),
  burstDownloadKbps: nullable(positiveInt('Burst download')),
  burstUploadKbps: nullable(positiveInt('Burst upload')),
  burstThresholdPercent: nullable(z.number().int('Whole percent').min(1, 'Threshold is 1 to 100%').max(100, 'Threshold is 1 to 100%')),
  burstTimeSeconds: nullable(positiveInt('Burst time')),
  priority: nullable(z.number().int('Priority is 1 (highest) to 8').min(1, 'Priority is 1 (highest) to 8').max(8, 'Priority is 1 (highest) to 8')),
  contentionRatio: nullable(positiveInt('Contention ratio')),
  qosMode: nullable(z.enum(QOS_MODES)),
  accessTechnology: nullable(z.enum(ACCESS_TECHNOLOGIES)),
};

export const planFields = z.object({
  kind: z.enum(PLAN_KINDS),
  name: requiredText(120),
  description: optionalText(),
  priceCents: centsInput,
  payPeriodMonths: payPeriod.default(1),
  taxClassId: nullable(id),
  active: z.boolean().default(true),
  ...internetPlanFields,
});

export const plan = z.object({
  id,
  kind: z.enum(PLAN_KINDS),
  name: z.string(),
  description: z.string().nullable(),
  priceCents: z.number().int(),
  payPeriodMonths: z.number().int(),
  taxClassId: id.nullable(),
  taxClassName: z.string().nullable(),
  active: z.boolean(),
  downloadKbps: z.number().int().nullable(),
  uploadKbps: z.number().int().nullable(),
  burstDownloadKbps: z.number().int().nullable(),
  burstUploadKbps: z.number().int().nullable(),
  burstThresholdPercent: z.number().int().nullable(),
  burstTimeSeconds: z.number().int().nullable(),
  priority: z.number().int().nullable(),
  contentionRatio: z.number().int().nullable(),
  qosMode: z.enum(QOS_MODES).nullable(),
  accessTechnology: z.enum(ACCESS_TECHNOLOGIES).nullable(),
  /** What refers to the plan: a plan in use cannot be deleted, only retired. */
  serviceCount: z.number().int(),
  packageProductCount: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  /** The monthly data cap (download + upload) and what reaching it does; null: none. */
  dataCap: z
    .object({ capGb: z.number().int(), action: z.enum(['disable', 'throttle']), throttleDownloadKbps: z.number().int().nullable(), throttleUploadKbps: z.number().int().nullable() })
    .nullable(),
});

/** A plan's data cap saved with the plan, in the same command: null removes it, left out keeps it. */
const planDataCap = { dataCap: planCapFields.nullable().optional() };

// --- Packages -------------------------------------------------------------------------------

export const RATING_METHODS = ['recurring', 'one-time', 'prepaid-usage'] as const;
export const QUESTION_KINDS = ['text', 'number', 'choice'] as const;

export const packageProductFields = z.object({
  /**
   * What the product bills as: its kind, pay period and tax class (a fee such as installation is a
   * Custom plan). A product is provisioned as a subscriber service of that plan, so it needs one.
   */
  planId: id,
  name: requiredText(120),
  ratingMethod: z.enum(RATING_METHODS).default('recurring'),
  priceCents: centsInput,
  minQuantity: nullable(positiveInt('Minimum quantity')),
  unit: optionalText(40),
  position: z.number().int().min(0).default(0),
});
export const packageProduct = z.object({
  id,
  packageId: id,
  planId: id.nullable(),
  planName: z.string().nullable(),
  planKind: z.enum(PLAN_KINDS).nullable(),
  name: z.string(),
  ratingMethod: z.enum(RATING_METHODS),
  priceCents: z.number().int(),
  minQuantity: z.number().int().nullable(),
  unit: z.string().nullable(),
  position: z.number().int(),
});

export const profileQuestionFields = z.object({
  label: requiredText(120),
  kind: z.enum(QUESTION_KINDS).default('text'),
  choices: z.array(requiredText(100)).max(50, 'At most 50 choices').default([]),
  required: z.boolean().default(false),
  position: z.number().int().min(0).default(0),
});
export const profileQuestion = z.object({
  id,
  packageId: id,
  label: z.string(),
  kind: z.enum(QUESTION_KINDS),
  choices: z.array(z.string()),
  required: z.boolean(),
  position: z.number().int(),
});

export const contractFields = z.object({
  name: requiredText(120),
  // Bounded so a contract's end (start + term) is always a date the calendar rules can name.
  termMonths: positiveInt('Term').max(120, 'Term is at most 120 months'),
  cancellationFeeCents: centsInput.default(0),
});
export const contractTerm = z.object({
  id,
  packageId: id,
  name: z.string(),
  termMonths: z.number().int(),
  cancellationFeeCents: z.number().int(),
});

export const packageFields = z.object({
  name: requiredText(120),
  description: optionalText(),
  active: z.boolean().default(true),
});
export const packageSummary = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  productCount: z.number().int(),
  /** Account packages provisioned from it. */
  accountPackageCount: z.number().int(),
  /** Sum of its recurring products' prices, per their pay period, for the list. */
  recurringCents: z.number().int(),
});
export const packageDetail = packageSummary.extend({
  products: z.array(packageProduct),
  questions: z.array(profileQuestion),
  contracts: z.array(contractTerm),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

// --- Hotspot plans --------------------------------------------------------------------------

export const hotspotPlanFields = z.object({
  name: requiredText(100),
  timeLimitMinutes: nullable(positiveInt('Time limit')),
  dataLimitMb: nullable(positiveInt('Data limit')),
  downloadKbps: nullable(positiveInt('Download speed')),
  uploadKbps: nullable(positiveInt('Upload speed')),
  validityDays: positiveInt('Validity').max(3650, 'Validity is at most 3650 days'),
  priceCents: centsInput,
  active: z.boolean().default(true),
});
export const hotspotPlan = z.object({
  id,
  name: z.string(),
  timeLimitMinutes: z.number().int().nullable(),
  dataLimitMb: z.number().int().nullable(),
  downloadKbps: z.number().int().nullable(),
  uploadKbps: z.number().int().nullable(),
  validityDays: z.number().int(),
  priceCents: z.number().int(),
  active: z.boolean(),
  userCount: z.number().int(),
});

const byId = z.object({ id });
const listInput = <T extends z.ZodRawShape>(shape: T) => z.object({ query: z.string().trim().max(100).optional(), ...shape, ...pageInput }).default({ page: 1, pageSize: 50 } as never);

export const catalogApi = {
  'taxClasses.create': procedure('Add a tax class.', taxClassFields, taxClass),
  'taxClasses.list': procedure('Tax classes by name.', z.object({}).default({}), z.array(taxClass)),
  'taxClasses.update': procedure('Change a tax class.', byId.extend(patchOf(taxClassFields)), taxClass),
  'taxClasses.delete': procedure('Delete a tax class no plan uses.', byId, deleted),

  'plans.create': procedure('Add a plan (tariff), with its monthly data cap if given.', planFields.extend(planDataCap), plan),
  'plans.get': procedure('One plan with what uses it.', byId, plan),
  'plans.list': procedure(
    'Plans by kind and name, paged, optionally filtered by kind, active flag or name.',
    listInput({ kind: z.enum(PLAN_KINDS).optional(), active: z.boolean().optional() }),
    pageOf(plan),
  ),
  'plans.update': procedure(
    'Change a plan and its data cap (null removes it); services without their own price follow its price.',
    byId.extend(patchOf(planFields)).extend(planDataCap),
    plan,
  ),
  'plans.retire': procedure('Stop offering a plan; services already on it keep it.', byId, plan),
  'plans.delete': procedure('Delete a plan nothing uses (a plan in use can only be retired).', byId, deleted),

  'packages.create': procedure('Add a package.', packageFields, packageDetail),
  'packages.get': procedure('One package with its products, profile questions and contracts.', byId, packageDetail),
  'packages.list': procedure('Packages by name, paged.', listInput({ active: z.boolean().optional() }), pageOf(packageSummary)),
  'packages.update': procedure('Change a package\'s name, description or active flag.', byId.extend(patchOf(packageFields)), packageDetail),
  'packages.delete': procedure('Delete a package never provisioned to a subscription.', byId, deleted),
  'packages.addProduct': procedure('Add a product (a plan or another item) to a package.', packageProductFields.extend({ packageId: id }), packageDetail),
  'packages.updateProduct': procedure('Change a package product.', byId.extend(patchOf(packageProductFields)), packageDetail),
  'packages.removeProduct': procedure('Remove a product no service was provisioned from.', byId, packageDetail),
  'packages.addQuestion': procedure('Add a profile question to a package.', profileQuestionFields.extend({ packageId: id }), packageDetail),
  'packages.updateQuestion': procedure('Change a profile question.', byId.extend(patchOf(profileQuestionFields)), packageDetail),
  'packages.removeQuestion': procedure('Remove a profile question nobody has answered yet.', byId, packageDetail),
  'packages.addContract': procedure('Attach a contract (minimum term, early-cancellation fee) to a package.', contractFields.extend({ packageId: id }), packageDetail),
  'packages.updateContract': procedure('Change a contract.', byId.extend(patchOf(contractFields)), packageDetail),
  'packages.removeContract': procedure('Remove a contract no account package uses.', byId, packageDetail),

  'hotspotPlans.create': procedure('Add a hotspot plan (time, data and speed limits, validity).', hotspotPlanFields, hotspotPlan),
  'hotspotPlans.get': procedure('One hotspot plan.', byId, hotspotPlan),
  'hotspotPlans.list': procedure('Hotspot plans by name.', z.object({ active: z.boolean().optional() }).default({}), z.array(hotspotPlan)),
  'hotspotPlans.update': procedure('Change a hotspot plan.', byId.extend(patchOf(hotspotPlanFields)), hotspotPlan),
  'hotspotPlans.delete': procedure('Delete a hotspot plan no hotspot user has.', byId, deleted),
};

export type PlanKind = (typeof PLAN_KINDS)[number];
