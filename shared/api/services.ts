import { z } from 'zod';
import { parseMacList, normalizeMac } from '../domain/mac';
import { centsInput, payPeriod, PLAN_KINDS, QOS_MODES, RATING_METHODS } from './catalog';
import { deleted, id, isoDate, isoDateTime, optionalText, pageInput, pageOf, patchOf, percentText, quantityText, requiredText } from './common';
import { cidrText, ipv4Address } from './network';
import { procedure } from './procedure';
import { VOUCHER_STATES } from '../domain/hotspot';

/** Subscriber services, devices, hotspot users and scheduled changes: what a subscriber has. */

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

export const SERVICE_STATUSES = ['Active', 'Disabled', 'Stopped', 'Pending', 'Archived'] as const;
export const IPV4_ASSIGNMENTS = ['none', 'permanent', 'dynamic'] as const;

export { quantityText };

/** Comma-separated MAC addresses in any usual spelling; normalized to AA:BB:CC:DD:EE:FF; the invalid one is named. */
export const macList = z
  .string()
  .max(500, 'At most 500 characters')
  // One parse both judges and normalizes: imports run this on every row.
  .transform((text, ctx) => {
    const v = parseMacList(text);
    if (v.ok) return v.macs;
    ctx.issues.push({ code: 'custom', message: v.message, input: text });
    return z.NEVER;
  });

export const singleMac = z
  .string()
  .trim()
  .refine((t) => normalizeMac(t) !== null, { error: (i) => `"${String(i.input)}" is not a MAC address; write it like AA:BB:CC:DD:EE:FF` })
  .transform((t) => normalizeMac(t)!);

const latitude = z.number().min(-90, 'Latitude is between -90 and 90').max(90, 'Latitude is between -90 and 90');
const longitude = z.number().min(-180, 'Longitude is between -180 and 180').max(180, 'Longitude is between -180 and 180');

export const profileAnswerInput = z.object({ questionId: id, answer: z.string().trim().max(500, 'At most 500 characters') });

/** Everything staff set on a service. `priceCents` null: the plan's price applies. */
export const serviceEditable = z.object({
  planId: id,
  description: optionalText(200),
  quantity: quantityText.default('1'),
  unit: optionalText(40),
  priceCents: nullable(centsInput),
  payPeriodMonths: nullable(payPeriod),
  ratingMethod: z.enum(RATING_METHODS).default('recurring'),
  startDate: isoDate,
  endDate: nullable(isoDate),
  discountPercent: nullable(percentText),
  discountStart: nullable(isoDate),
  discountEnd: nullable(isoDate),
  status: z.enum(SERVICE_STATUSES).default('Active'),
  // Tariff options (Internet plans).
  routerId: nullable(id),
  login: optionalText(100),
  /** Blank: the subscription's service password applies. */
  password: optionalText(100),
  ipv4Assignment: z.enum(IPV4_ASSIGNMENTS).default('none'),
  ipv4Address: nullable(ipv4Address),
  routedNetwork: nullable(cidrText),
  poolNetworkId: nullable(id),
  macAddresses: nullable(macList),
  portId: optionalText(100),
  latitude: nullable(latitude),
  longitude: nullable(longitude),
  profileAnswers: z.array(profileAnswerInput).max(100).optional(),
});

export const serviceFields = serviceEditable.extend({
  subscriptionId: id,
  accountPackageId: nullable(id),
  packageProductId: nullable(id),
});

export const SCHEDULED_CHANGE_KINDS = ['plan', 'price', 'status', 'discount'] as const;

export const scheduledChangeInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('plan'), planId: id }),
  /** Null puts the service back on its plan's price. */
  z.object({ kind: z.literal('price'), priceCents: nullable(centsInput) }),
  z.object({ kind: z.literal('status'), status: z.enum(SERVICE_STATUSES) }),
  z.object({ kind: z.literal('discount'), percent: percentText, start: isoDate, end: nullable(isoDate) }),
]);

export const scheduledChange = z.object({
  id,
  serviceId: id,
  effectiveDate: isoDate,
  kind: z.enum(SCHEDULED_CHANGE_KINDS),
  planId: id.nullable(),
  planName: z.string().nullable(),
  priceCents: z.number().int().nullable(),
  status: z.enum(SERVICE_STATUSES).nullable(),
  discountPercent: z.string().nullable(),
  discountStart: z.string().nullable(),
  discountEnd: z.string().nullable(),
  state: z.enum(['pending', 'applied', 'cancelled']),
  /** What applying it did, or why it could not be applied. */
  outcome: z.string().nullable(),
  /** Human-readable: "Plan → Fiber 300/300", "Discount 10% from 2027-01-01". */
  summary: z.string(),
  createdAt: isoDateTime,
  createdBy: z.string(),
  appliedAt: isoDateTime.nullable(),
});

export const service = z.object({
  id,
  subscriptionId: id,
  accountPackageId: id.nullable(),
  packageProductId: id.nullable(),
  planId: id,
  planName: z.string(),
  planKind: z.enum(PLAN_KINDS),
  qosMode: z.enum(QOS_MODES).nullable(),
  downloadKbps: z.number().int().nullable(),
  uploadKbps: z.number().int().nullable(),
  description: z.string(),
  quantity: z.string(),
  unit: z.string().nullable(),
  /** The price that applies: the service's own when overridden, else the plan's. */
  priceCents: z.number().int(),
  planPriceCents: z.number().int(),
  priceOverridden: z.boolean(),
  payPeriodMonths: z.number().int(),
  ratingMethod: z.enum(RATING_METHODS),
  startDate: isoDate,
  endDate: isoDate.nullable(),
  discountPercent: z.string().nullable(),
  discountStart: isoDate.nullable(),
  discountEnd: isoDate.nullable(),
  status: z.enum(SERVICE_STATUSES),
  /** Stopped because its subscription went Inactive; comes back when it is Active again. */
  stoppedBySubscription: z.boolean(),
  routerId: id.nullable(),
  routerName: z.string().nullable(),
  login: z.string().nullable(),
  /** The password that applies (the service's own, else the subscription's). */
  password: z.string().nullable(),
  passwordSource: z.enum(['service', 'subscription']).nullable(),
  ipv4Assignment: z.enum(IPV4_ASSIGNMENTS),
  ipv4Address: z.string().nullable(),
  routedNetwork: z.string().nullable(),
  poolNetworkId: id.nullable(),
  poolNetworkCidr: z.string().nullable(),
  macAddresses: z.array(z.string()),
  portId: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  profileAnswers: z.array(z.object({ questionId: id, label: z.string(), answer: z.string() })),
  pendingChanges: z.array(scheduledChange),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

// --- Devices ---------------------------------------------------------------------------------

export const DEVICE_TYPES = ['CPE radio', 'Router', 'ONT', 'Switch', 'Access point', 'VoIP adapter', 'Other'] as const;
export const DEVICE_STATUSES = ['Active', 'Spare', 'Faulty', 'Returned'] as const;

export const deviceFields = z.object({
  subscriptionId: id,
  serviceId: nullable(id),
  type: z.enum(DEVICE_TYPES),
  vendor: optionalText(100),
  model: optionalText(100),
  serial: optionalText(100),
  macAddress: nullable(singleMac),
  managementIp: nullable(ipv4Address),
  firmware: optionalText(100),
  installDate: nullable(isoDate),
  location: optionalText(200),
  status: z.enum(DEVICE_STATUSES).default('Active'),
  notes: optionalText(),
});
export const device = z.object({
  id,
  subscriptionId: id,
  serviceId: id.nullable(),
  serviceDescription: z.string().nullable(),
  type: z.enum(DEVICE_TYPES),
  vendor: z.string().nullable(),
  model: z.string().nullable(),
  serial: z.string().nullable(),
  macAddress: z.string().nullable(),
  managementIp: z.string().nullable(),
  firmware: z.string().nullable(),
  installDate: isoDate.nullable(),
  location: z.string().nullable(),
  status: z.enum(DEVICE_STATUSES),
  notes: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

// --- Hotspot users and vouchers -----------------------------------------------------------------

export const HOTSPOT_USER_STATUSES = ['Active', 'Disabled', 'Expired'] as const;

export const hotspotUserFields = z.object({
  subscriptionId: id,
  hotspotPlanId: id,
  /** A login the guest types; vouchers get generated codes instead (vouchers.generateBatch). */
  login: requiredText(64).regex(/^[A-Za-z0-9._@-]+$/, 'Use letters, digits and . _ @ - only'),
  password: optionalText(64),
  macBinding: nullable(singleMac),
  status: z.enum(HOTSPOT_USER_STATUSES).default('Active'),
});
export const hotspotUser = z.object({
  id,
  subscriptionId: id,
  hotspotPlanId: id,
  hotspotPlanName: z.string(),
  kind: z.enum(['login', 'voucher']),
  login: z.string(),
  password: z.string().nullable(),
  batchId: z.string().nullable(),
  macBinding: z.string().nullable(),
  status: z.enum(HOTSPOT_USER_STATUSES),
  timeLimitMinutes: z.number().int().nullable(),
  dataLimitMb: z.number().int().nullable(),
  validityDays: z.number().int(),
  priceCents: z.number().int(),
  firstUsedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  /** When its batch was voided (it stays, and never logs in again). */
  voidedAt: isoDateTime.nullable(),
  /** Seconds and bytes (in + out) of every session so far. */
  usedSeconds: z.number().int(),
  usedBytes: z.number().int(),
  /** What the one status rule (shared/domain/hotspot.ts) says now: what the hotspot enforces. */
  state: z.object({
    status: z.enum(VOUCHER_STATES),
    reason: z.string().nullable(),
    expiresAt: isoDateTime.nullable(),
    timeLeftSeconds: z.number().int().nullable(),
    dataLeftBytes: z.number().int().nullable(),
  }),
});

export const voucherBatch = z.object({
  batchId: z.string(),
  subscriptionId: id,
  subscriptionName: z.string(),
  hotspotPlanId: id,
  hotspotPlanName: z.string(),
  createdAt: isoDateTime,
  vouchers: z.array(hotspotUser),
});

const byId = z.object({ id });

export const servicesApi = {
  'services.create': procedure('Add a service to a subscription.', serviceFields, service),
  'services.get': procedure('One service with its tariff options and pending scheduled changes.', byId, service),
  'services.listBySubscription': procedure(
    'A subscription\'s services, newest first, paged; Archived ones only when asked.',
    z.object({ subscriptionId: id, includeArchived: z.boolean().default(false), status: z.enum(SERVICE_STATUSES).optional(), ...pageInput }),
    pageOf(service),
  ),
  'services.update': procedure('Edit a service.', byId.extend(patchOf(serviceEditable)), service),
  'services.delete': procedure(
    'Delete a service; one with history to keep (scheduled or applied changes, charges) is archived instead.',
    byId,
    z.object({ outcome: z.enum(['deleted', 'archived']), message: z.string() }),
  ),
  'services.changePlan': procedure(
    'Move a service to another plan of the same kind now; its own price is dropped unless kept.',
    z.object({ id, planId: id, keepPrice: z.boolean().default(false) }),
    service,
  ),
  'services.addDiscount': procedure(
    'Give a service a percentage discount with its own start and (inclusive) end date.',
    z.object({ id, percent: percentText, start: isoDate, end: nullable(isoDate) }),
    service,
  ),
  'services.scheduleChange': procedure(
    'Schedule a change of plan, price, status or discount for a future date.',
    z.object({ serviceId: id, effectiveDate: isoDate, change: scheduledChangeInput }),
    scheduledChange,
  ),
  'services.cancelScheduledChange': procedure('Cancel a pending scheduled change.', byId, scheduledChange),
  'services.scheduledChanges': procedure('Every scheduled change of a service, pending first then newest.', byId, z.array(scheduledChange)),
  'services.applyDueChanges': procedure(
    'Apply every pending change dated today or earlier (catching up days the app was closed).',
    z.object({ today: isoDate.optional() }).default({}),
    z.object({ applied: z.number().int(), failed: z.number().int() }),
  ),
  'services.geolocate': procedure('Set (or clear) where a service is, on the map.', z.object({ id, latitude: nullable(latitude), longitude: nullable(longitude) }), service),

  'devices.create': procedure('Add customer equipment to a subscription.', deviceFields, device),
  'devices.get': procedure('One device.', byId, device),
  'devices.listBySubscription': procedure('A subscription\'s devices, paged.', z.object({ subscriptionId: id, ...pageInput }), pageOf(device)),
  'devices.update': procedure('Change a device.', byId.extend(patchOf(deviceFields.omit({ subscriptionId: true }))), device),
  'devices.delete': procedure('Delete a device.', byId, deleted),

  'hotspotUsers.create': procedure('Add a hotspot user (a login) under a subscription.', hotspotUserFields, hotspotUser),
  'hotspotUsers.get': procedure('One hotspot user or voucher.', byId, hotspotUser),
  'hotspotUsers.list': procedure(
    'A subscription\'s hotspot users and vouchers, paged, optionally one batch.',
    z.object({
      subscriptionId: id,
      batchId: z.string().optional(),
      /** Part of a login or voucher code (within the batch, when one is given). */
      query: z.string().trim().max(64, 'At most 64 characters').optional(),
      ...pageInput,
    }),
    pageOf(hotspotUser),
  ),
  'hotspotUsers.update': procedure('Change a hotspot user or voucher.', byId.extend(patchOf(hotspotUserFields.omit({ subscriptionId: true }))), hotspotUser),
  'hotspotUsers.delete': procedure('Delete a hotspot user or voucher.', byId, deleted),

  'vouchers.generateBatch': procedure(
    'Generate N unique voucher codes on a hotspot plan, as one printable batch.',
    z.object({
      subscriptionId: id,
      hotspotPlanId: id,
      count: z.number().int('A whole number of vouchers').min(1, 'At least 1 voucher').max(500, 'At most 500 vouchers per batch'),
      prefix: z.string().trim().regex(/^[A-Z0-9]{0,6}$/, 'Up to 6 capital letters or digits').default(''),
    }),
    voucherBatch,
  ),
  'vouchers.batch': procedure('A voucher batch, for printing.', z.object({ batchId: requiredText(64) }), voucherBatch),
  'vouchers.listBatches': procedure(
    'A subscription\'s voucher batches, newest first.',
    z.object({ subscriptionId: id }),
    z.array(z.object({ batchId: z.string(), hotspotPlanName: z.string(), count: z.number().int(), createdAt: isoDateTime })),
  ),
};
