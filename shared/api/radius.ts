import { z } from 'zod';
import { id, isoDateTime, pageInput, pageOf } from './common';
import { procedure } from './procedure';

/** The built-in RADIUS server: its state and counters, online sessions, settings. */

export const RADIUS_SUSPENDED_ANSWERS = ['address-list', 'reject'] as const;

const count = z.number().int().min(0);

export const radiusCounters = z.object({
  authRequests: count,
  acctRequests: count,
  accepts: count,
  rejects: count,
  rejected: z.object({ unknownLogin: count, wrongPassword: count, notServed: count }),
  accountingResponses: count,
  dropped: z.object({
    unknownClient: count,
    malformed: count,
    wrongPort: count,
    badAuthenticator: count,
    missingMessageAuthenticator: count,
    invalidRequest: count,
    storeFailed: count,
    internal: count,
  }),
});

export const radiusStatus = z.object({
  /** True while a server on this datastore reports in (its heartbeat is recent). */
  listening: z.boolean(),
  host: z.string().nullable(),
  authPort: z.number().int().nullable(),
  acctPort: z.number().int().nullable(),
  startedAt: isoDateTime.nullable(),
  /** When the server last reported; counters are as of then. */
  reportedAt: isoDateTime.nullable(),
  counters: radiusCounters,
  onlineSessions: count,
});

export const radiusSession = z.object({
  id,
  login: z.string(),
  nasAddress: z.string(),
  routerId: id.nullable(),
  routerName: z.string().nullable(),
  serviceId: id.nullable(),
  hotspotUserId: id.nullable(),
  subscriptionId: id.nullable(),
  subscriptionName: z.string().nullable(),
  acctSessionId: z.string(),
  framedIp: z.string().nullable(),
  callingStationId: z.string().nullable(),
  startedAt: isoDateTime,
  updatedAt: isoDateTime,
  stoppedAt: isoDateTime.nullable(),
  sessionSeconds: count,
  /** What the subscriber sent (NAS input) and received (NAS output), in bytes. */
  uploadBytes: count,
  downloadBytes: count,
  terminateCause: z.string().nullable(),
});

export const radiusSettings = z.object({
  /** What a Suspended subscriber's login gets: into the walled garden (address list), or rejected. */
  suspendedAnswer: z.enum(RADIUS_SUSPENDED_ANSWERS),
  /** Drop Access-Requests without a Message-Authenticator (Blast-RADIUS, CVE-2024-3596). */
  requireMessageAuthenticator: z.boolean(),
  /** The UDP port routers listen on for CoA and Disconnect-Requests (RFC 5176: 3799; MikroTik's default 3799). */
  coaPort: z.number().int('A port is a whole number').min(1, 'Port is 1 to 65535').max(65535, 'Port is 1 to 65535'),
  updatedAt: isoDateTime,
});

export const radiusApi = {
  'radius.status': procedure('The built-in RADIUS server: listening or not, ports, counters (requests, accepts, rejects, dropped by reason).', z.object({}).default({}), radiusStatus),
  'radius.sessions': procedure(
    'Online RADIUS sessions (no Stop yet), newest first, paged; optionally one router\'s or one login\'s, or those matching a search.',
    z.object({
      routerId: id.optional(),
      login: z.string().trim().min(1).max(200).optional(),
      /** Start of a login or address, or part of the subscription's name. */
      query: z.string().trim().max(200).optional(),
      ...pageInput,
    }).default({ page: 1, pageSize: 50 }),
    pageOf(radiusSession),
  ),
  'radius.settings': procedure('The RADIUS server\'s settings.', z.object({}).default({}), radiusSettings),
  'radius.updateSettings': procedure(
    'Change the RADIUS server\'s settings; fields left out stay as they are. Running servers pick them up at the next packet.',
    radiusSettings.omit({ updatedAt: true }).partial(),
    radiusSettings,
  ),
};
