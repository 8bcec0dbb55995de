import { z } from 'zod';
import { isoDateTime, optionalText } from './common';
import { procedure } from './procedure';

/** FreeRADIUS SQL provisioning (PostgreSQL). */

export const SUSPENDED_ACTIONS = ['reject', 'address-list'] as const;

export const port = z.number({ error: 'A port is a whole number' }).int('A port is a whole number').min(1, 'Port is 1 to 65535').max(65535, 'Port is 1 to 65535');

export const freeradiusSettingsFields = z.object({
  /** Keep FreeRADIUS's tables in step: after every change and on the schedule. */
  enabled: z.boolean(),
  /** PostgreSQL host name or address. */
  host: optionalText(200),
  port,
  database: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
  user: optionalText(100),
  /** Write-only: a string sets it, null clears it, leaving it out keeps it. */
  password: z.string().max(200, 'At most 200 characters').nullish(),
  /** TLS, with the server's certificate checked against the system's authorities. */
  ssl: z.boolean(),
  /** A subscriber not to be served: rejected, or accepted into the `towerline-suspended` address list. */
  suspendedAction: z.enum(SUSPENDED_ACTIONS),
  /** Full sync (which also repairs hand edits) every this many minutes. */
  intervalMinutes: z.number({ error: 'Minutes as a whole number' }).int('Minutes as a whole number').min(1, 'At least 1 minute').max(1440, 'At most 1440 minutes (a day)'),
});

export const freeradiusSettings = z.object({
  enabled: z.boolean(),
  host: z.string().nullable(),
  port: z.number().int(),
  database: z.string(),
  user: z.string().nullable(),
  hasPassword: z.boolean(),
  ssl: z.boolean(),
  suspendedAction: z.enum(SUSPENDED_ACTIONS),
  intervalMinutes: z.number().int(),
  updatedAt: isoDateTime,
});

/** What one sync did, in rows of FreeRADIUS's tables. */
export const freeradiusSyncResult = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  unchanged: z.number().int(),
  /** Logins provisioned (Internet services and hotspot users), groups (plans), clients (routers). */
  users: z.number().int(),
  groups: z.number().int(),
  clients: z.number().int(),
  /** What could not be provisioned and why (a login without password, a login used twice). */
  problems: z.array(z.string()),
  durationMs: z.number().int(),
  /** Null when the sync finished; else why it could not (PostgreSQL unreachable, refused login). */
  error: z.string().nullable(),
});

export const freeradiusStatus = z.object({
  enabled: z.boolean(),
  /** Host, user and database are set. */
  configured: z.boolean(),
  lastAttemptAt: isoDateTime.nullable(),
  lastSuccessAt: isoDateTime.nullable(),
  /** Why the last attempt failed; null when it succeeded. */
  lastError: z.string().nullable(),
  lastResult: freeradiusSyncResult.nullable(),
});

export const freeradiusApi = {
  'freeradius.settings': procedure('Where FreeRADIUS\'s PostgreSQL database is and how it is provisioned; the password is reported as present or not.', z.object({}).default({}), freeradiusSettings),
  'freeradius.updateSettings': procedure('Change the FreeRADIUS provisioning settings; a password left out stays as it was.', freeradiusSettingsFields.partial(), freeradiusSettings),
  'freeradius.sync': procedure('Bring FreeRADIUS\'s tables in step now; answers the rows written and why it could not, if so.', z.object({}).default({}), freeradiusSyncResult),
  'freeradius.status': procedure('How the last FreeRADIUS sync went.', z.object({}).default({}), freeradiusStatus),
};
