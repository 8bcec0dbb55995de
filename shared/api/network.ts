import { z } from 'zod';
import { parseCidr, parseIpv4 } from '../domain/ipv4';
import { deleted, id, isoDateTime, optionalText, pageInput, pageOf, patchOf, requiredText } from './common';
import { procedure } from './procedure';

/** Routers (NAS) and IPv4 networks: address management. */

/** A dotted IPv4 address ("10.20.0.1"), trimmed. */
export const ipv4Address = z
  .string({ error: (i) => (i.input === undefined || i.input === null ? 'Required' : 'Must be an IPv4 address') })
  .trim()
  .refine((s) => parseIpv4(s) !== null, { error: (i) => `"${String(i.input)}" is not an IPv4 address; write it like 10.20.0.15` });

/** A network in CIDR notation, canonical host bits zero ("10.20.0.0/24"). */
export const cidrText = z
  .string({ error: (i) => (i.input === undefined || i.input === null ? 'Required' : 'Must be a network like 10.20.0.0/24') })
  .trim()
  .superRefine((s, ctx) => {
    const v = parseCidr(s);
    if (!v.ok) ctx.addIssue({ code: 'custom', message: v.message });
  })
  .transform((s) => {
    const v = parseCidr(s);
    return v.ok ? v.cidr.text : s;
  });

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

// --- Routers ---------------------------------------------------------------------------------

export const ROUTER_VENDORS = ['MikroTik RouterOS', 'Generic RADIUS NAS'] as const;

/**
 * Where a router's usage (bytes per service, who is online) comes from: its RADIUS accounting, a
 * poll of its RouterOS API (/ppp/active and the simple queues' counters), or nowhere.
 */
export const USAGE_SOURCES = ['radius', 'routeros', 'none'] as const;

/** Secrets are write-only: a string sets it, null clears it, leaving it out keeps it. */
const secretInput = z.string().max(200, 'At most 200 characters').nullish();

export const routerFields = z.object({
  name: requiredText(100),
  /** Host name or IP the back office reaches it at. */
  address: requiredText(200),
  vendor: z.enum(ROUTER_VENDORS).default('MikroTik RouterOS'),
  apiPort: nullable(z.number().int('A port is a whole number').min(1, 'Port is 1 to 65535').max(65535, 'Port is 1 to 65535')),
  apiUser: optionalText(100),
  /** API over TLS (api-ssl); a null port then means 8729. */
  apiTls: z.boolean().default(false),
  apiPassword: secretInput,
  radiusSecret: secretInput,
  /** Where it listens for CoA and Disconnect-Requests; null: the RADIUS settings' port (3799 by default). */
  coaPort: nullable(z.number().int('A port is a whole number').min(1, 'Port is 1 to 65535').max(65535, 'Port is 1 to 65535')),
  notes: optionalText(),
  /** Left out when adding: RADIUS with a RADIUS secret, else the API poll for a RouterOS router with an API user, else none. */
  usageSource: z.enum(USAGE_SOURCES).optional(),
});

export const router = z.object({
  id,
  name: z.string(),
  address: z.string(),
  vendor: z.enum(ROUTER_VENDORS),
  apiPort: z.number().int().nullable(),
  apiUser: z.string().nullable(),
  apiTls: z.boolean(),
  /** Whether a password is stored; the password itself never leaves the back end. */
  hasApiPassword: z.boolean(),
  hasRadiusSecret: z.boolean(),
  coaPort: z.number().int().nullable(),
  notes: z.string().nullable(),
  serviceCount: z.number().int(),
  networkCount: z.number().int(),
  usageSource: z.enum(USAGE_SOURCES),
  /** The RouterOS usage poll's last attempt: null before the first. */
  usagePoll: z
    .object({
      lastAttemptAt: isoDateTime.nullable(),
      /** When counters were last read. */
      lastSuccessAt: isoDateTime.nullable(),
      /** Why the last attempt could not read the router; null when it did. */
      lastError: z.string().nullable(),
      sessions: z.number().int(),
      queues: z.number().int(),
    })
    .nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

// --- IPv4 networks ---------------------------------------------------------------------------

export const NETWORK_KINDS = ['permanent', 'pool'] as const;

export const excludedRangeInput = z.object({
  first: ipv4Address,
  last: ipv4Address,
  reason: optionalText(200),
});

export const ipNetworkFields = z.object({
  cidr: cidrText,
  kind: z.enum(NETWORK_KINDS),
  routerId: nullable(id),
  gateway: nullable(ipv4Address),
  description: optionalText(500),
  excluded: z.array(excludedRangeInput).max(100, 'At most 100 excluded ranges').default([]),
});

export const utilization = z.object({
  size: z.number().int(),
  /** Addresses a service could hold (without network, broadcast, gateway, excluded). */
  usable: z.number().int(),
  /** Addresses held by services. */
  used: z.number().int(),
  free: z.number().int(),
});

export const ipNetwork = z.object({
  id,
  cidr: z.string(),
  kind: z.enum(NETWORK_KINDS),
  routerId: id.nullable(),
  routerName: z.string().nullable(),
  gateway: z.string().nullable(),
  description: z.string().nullable(),
  excluded: z.array(z.object({ first: z.string(), last: z.string(), reason: z.string().nullable() })),
  utilization,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const ipAllocation = z.object({
  id,
  kind: z.enum(['address', 'routed']),
  /** An address, or a routed network in CIDR notation. */
  address: z.string(),
  serviceId: id,
  serviceDescription: z.string(),
  login: z.string().nullable(),
  subscriptionId: id,
  subscriptionUniqueId: z.string(),
  subscriptionName: z.string(),
});

const byId = z.object({ id });

export const networkApi = {
  'routers.create': procedure('Add a router (NAS); its secrets are stored encrypted.', routerFields, router),
  'routers.get': procedure('One router; secrets are reported as present or not, never in clear.', byId, router),
  'routers.list': procedure('Routers by name.', z.object({}).default({}), z.array(router)),
  'routers.update': procedure('Change a router; a secret left out stays as it was.', byId.extend(patchOf(routerFields)), router),
  'routers.delete': procedure('Delete a router no service or network uses.', byId, deleted),

  'ipNetworks.create': procedure('Add an IPv4 network (permanent addresses or a dynamic pool).', ipNetworkFields, ipNetwork),
  'ipNetworks.get': procedure('One network with its utilization.', byId, ipNetwork),
  'ipNetworks.list': procedure(
    'Networks in address order, paged, with utilization.',
    z.object({ kind: z.enum(NETWORK_KINDS).optional(), routerId: id.optional(), ...pageInput }).default({ page: 1, pageSize: 50 }),
    pageOf(ipNetwork),
  ),
  'ipNetworks.update': procedure('Change a network; excluded ranges, when given, replace the old ones.', byId.extend(patchOf(ipNetworkFields)), ipNetwork),
  'ipNetworks.delete': procedure('Delete a network no address or service uses.', byId, deleted),
  'ipNetworks.allocations': procedure('Addresses of a network and the services holding them, in address order, paged.', byId.extend(pageInput), pageOf(ipAllocation)),
  'ipNetworks.utilization': procedure('How many of a network\'s addresses are used.', byId, utilization),
  'ipNetworks.nextFree': procedure('The lowest address of a permanent network no service holds, if any.', byId, z.object({ address: z.string().nullable() })),
};
