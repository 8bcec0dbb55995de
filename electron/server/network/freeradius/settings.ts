import type { z } from 'zod';
import type { freeradiusSettings, freeradiusSettingsFields, freeradiusStatus, freeradiusSyncResult } from '../../../../shared/api/freeradius';
import { ApiError } from '../../../../shared/api/errors';
import type { Db } from '../../db/open';
import type { SecretBox } from '../../platform/secrets';
import type { SuspendedAction } from './desired';
import type { PostgresTarget } from './postgres';

type Settings = z.output<typeof freeradiusSettings>;
type Fields = z.output<typeof freeradiusSettingsFields>;
export type SyncResult = z.output<typeof freeradiusSyncResult>;
type Status = z.output<typeof freeradiusStatus>;

async function row(db: Db) {
  return db.selectFrom('freeradius_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

const asAction = (s: string): SuspendedAction => (s === 'address-list' ? 'address-list' : 'reject');

export async function getFreeradiusSettings(db: Db): Promise<Settings> {
  const r = await row(db);
  return {
    enabled: r.enabled === 1,
    host: r.host,
    port: r.port,
    database: r.database,
    user: r.user,
    hasPassword: r.password_sealed !== null,
    ssl: r.ssl === 1,
    suspendedAction: asAction(r.suspended_action),
    intervalMinutes: r.interval_minutes,
    updatedAt: r.updated_at,
  };
}

export async function updateFreeradiusSettings(db: Db, patch: Partial<Fields>, secrets: SecretBox, now: Date): Promise<Settings> {
  const current = await getFreeradiusSettings(db);
  const host = patch.host !== undefined ? patch.host : current.host;
  const user = patch.user !== undefined ? patch.user : current.user;
  const enabled = patch.enabled ?? current.enabled;
  if (enabled) {
    // Switching it on without somewhere to connect would only fail later, out of sight.
    const missing: Record<string, string> = {};
    if (!host) missing.host = 'Required to provision FreeRADIUS';
    if (!user) missing.user = 'Required to provision FreeRADIUS';
    if (Object.keys(missing).length) throw new ApiError('validation', 'Give the PostgreSQL host and user before switching FreeRADIUS provisioning on.', missing);
  }
  const columns = {
    enabled: patch.enabled === undefined ? undefined : patch.enabled ? 1 : 0,
    host: patch.host,
    port: patch.port,
    database: patch.database,
    user: patch.user,
    password_sealed: patch.password === undefined ? undefined : patch.password === null || patch.password === '' ? null : secrets.encrypt(patch.password),
    ssl: patch.ssl === undefined ? undefined : patch.ssl ? 1 : 0,
    suspended_action: patch.suspendedAction,
    interval_minutes: patch.intervalMinutes,
  };
  const set = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
  await db.updateTable('freeradius_settings').set({ ...set, updated_at: now.toISOString() }).where('id', '=', 1).execute();
  return getFreeradiusSettings(db);
}

/** What the provisioner needs: where to connect (password decrypted) and the suspended action; null when not configured. */
export async function provisioningTarget(db: Db, secrets: SecretBox): Promise<{ enabled: boolean; target: PostgresTarget | null; suspendedAction: SuspendedAction; intervalMinutes: number }> {
  const r = await row(db);
  const target = r.host && r.user ? { host: r.host, port: r.port, database: r.database, user: r.user, password: r.password_sealed ? secrets.decrypt(r.password_sealed) : null, ssl: r.ssl === 1 } : null;
  return { enabled: r.enabled === 1, target, suspendedAction: asAction(r.suspended_action), intervalMinutes: r.interval_minutes };
}

export async function recordSyncOutcome(db: Db, result: SyncResult, at: Date): Promise<void> {
  await db
    .updateTable('freeradius_settings')
    .set({
      last_attempt_at: at.toISOString(),
      last_error: result.error,
      last_result: JSON.stringify(result),
      ...(result.error === null ? { last_success_at: at.toISOString() } : {}),
    })
    .where('id', '=', 1)
    .execute();
}

export async function getFreeradiusStatus(db: Db): Promise<Status> {
  const r = await row(db);
  let lastResult: SyncResult | null = null;
  try {
    lastResult = r.last_result ? (JSON.parse(r.last_result) as SyncResult) : null;
  } catch {
    lastResult = null;
  }
  return {
    enabled: r.enabled === 1,
    configured: Boolean(r.host && r.user && r.database),
    lastAttemptAt: r.last_attempt_at,
    lastSuccessAt: r.last_success_at,
    lastError: r.last_error,
    lastResult,
  };
}
