import type { ServiceStatusName } from '../../../../shared/domain/serving';
import type { SubscriptionStatus } from '../../../../shared/domain/subscription-status';
import type { Db } from '../../db/open';
import type { SecretBox } from '../../platform/secrets';
import { type DesiredState, type HotspotUserRow, type RouterRow, type ServiceRow, type SuspendedAction, desiredState } from './desired';
import { provision } from './postgres';
import { throttleRates } from '../radius/lookup';
import { type SyncResult, provisioningTarget, recordSyncOutcome } from './settings';

/**
 * One FreeRADIUS sync: read the datastore in one read transaction, compute the desired state,
 * diff and write it in PostgreSQL, record the outcome. Never throws: a failure is the result's
 * `error` and the recorded last error, so staff see it and the caller's process goes on.
 */

/** The datastore's rows the desired state is computed from; routers' secrets decrypted. */
export async function readDesiredState(db: Db, secrets: SecretBox, suspendedAction: SuspendedAction): Promise<DesiredState & { problems: string[] }> {
  const { services, throttles, hotspotUsers, routers } = await db.transaction().execute(async (trx) => {
    const services = await trx
      .selectFrom('services as s')
      .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
      .innerJoin('plans as p', 'p.id', 's.plan_id')
      .where('p.kind', '=', 'Internet')
      .where('s.login', 'is not', null)
      .where('s.status', 'not in', ['Archived', 'Pending'])
      .where('sub.status', 'not in', ['Cancelled', 'Completed'])
      .select([
        's.id',
        's.login',
        's.password',
        'sub.service_password',
        's.status',
        'sub.status as subscription_status',
        's.ipv4_assignment',
        's.ipv4_address',
        's.routed_network',
        'p.id as plan_id',
        'p.download_kbps',
        'p.upload_kbps',
        'p.burst_download_kbps',
        'p.burst_upload_kbps',
        'p.burst_threshold_percent',
        'p.burst_time_seconds',
        'p.priority',
        'p.qos_mode',
      ])
      .orderBy('s.id')
      .execute();
    const hotspotUsers = await trx
      .selectFrom('hotspot_users as h')
      .innerJoin('subscriptions as sub', 'sub.id', 'h.subscription_id')
      .innerJoin('hotspot_plans as hp', 'hp.id', 'h.hotspot_plan_id')
      .where('h.status', '<>', 'Expired')
      .select(['h.id', 'h.login', 'h.password', 'h.status', 'sub.status as subscription_status', 'h.mac_binding', 'h.first_used_at', 'hp.id as plan_id', 'hp.time_limit_minutes', 'hp.data_limit_mb', 'hp.download_kbps', 'hp.upload_kbps', 'hp.validity_days'])
      .orderBy('h.id')
      .execute();
    const routers = await trx.selectFrom('routers').select(['id', 'name', 'address', 'radius_secret_sealed']).orderBy('id').execute();
    const throttles = await throttleRates(trx);
    return { services, throttles, hotspotUsers, routers };
  });

  const problems: string[] = [];
  const routerRows: RouterRow[] = routers.map((r) => {
    let radiusSecret: string | null = null;
    if (r.radius_secret_sealed) {
      try {
        radiusSecret = secrets.decrypt(r.radius_secret_sealed);
      } catch {
        problems.push(`The RADIUS secret of router "${r.name}" cannot be decrypted here (stored under another key); enter it again.`);
      }
    }
    return { id: r.id, name: r.name, address: r.address, radiusSecret };
  });
  const serviceRows: ServiceRow[] = services.map((s) => ({
    serviceId: s.id,
    login: s.login,
    password: s.password,
    subscriptionPassword: s.service_password,
    status: s.status as ServiceStatusName,
    subscriptionStatus: s.subscription_status as SubscriptionStatus,
    ipv4Assignment: s.ipv4_assignment,
    ipv4Address: s.ipv4_address,
    routedNetwork: s.routed_network,
    plan: {
      id: s.plan_id,
      downloadKbps: s.download_kbps,
      uploadKbps: s.upload_kbps,
      burstDownloadKbps: s.burst_download_kbps,
      burstUploadKbps: s.burst_upload_kbps,
      burstThresholdPercent: s.burst_threshold_percent,
      burstTimeSeconds: s.burst_time_seconds,
      priority: s.priority,
      qosMode: s.qos_mode,
    },
    throttleRate: throttles.get(s.id) ?? null,
  }));
  const hotspotRows: HotspotUserRow[] = hotspotUsers.map((h) => ({
    id: h.id,
    login: h.login,
    password: h.password,
    status: h.status as HotspotUserRow['status'],
    subscriptionStatus: h.subscription_status as SubscriptionStatus,
    macBinding: h.mac_binding,
    firstUsedAt: h.first_used_at,
    plan: { id: h.plan_id, timeLimitMinutes: h.time_limit_minutes, dataLimitMb: h.data_limit_mb, downloadKbps: h.download_kbps, uploadKbps: h.upload_kbps, validityDays: h.validity_days },
  }));
  const desired = desiredState({ services: serviceRows, hotspotUsers: hotspotRows, routers: routerRows, suspendedAction });
  return { ...desired, problems: [...problems, ...desired.problems] };
}

/** Staff read this; PostgreSQL's own words where it gave some. */
function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED') return `PostgreSQL refused the connection (${error.message.replace(/^connect /, '')}): is it running, and listening there?`;
    if (code === 'ENOTFOUND') return `PostgreSQL's host was not found: ${error.message}`;
    return error.message || String(error);
  }
  return String(error);
}

const MAX_PROBLEMS = 50;

/** One sync at a time per datastore: the scheduled one, one after a change, and "Sync now" queue up. */
const running = new WeakMap<Db, Promise<unknown>>();

export function syncFreeradius(db: Db, secrets: SecretBox, now: () => Date = () => new Date()): Promise<SyncResult> {
  const previous = running.get(db) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => syncOnce(db, secrets, now));
  running.set(db, next);
  return next;
}

async function syncOnce(db: Db, secrets: SecretBox, now: () => Date): Promise<SyncResult> {
  const started = performance.now();
  const empty = { inserted: 0, updated: 0, deleted: 0, unchanged: 0, users: 0, groups: 0, clients: 0, problems: [] as string[] };
  let result: SyncResult;
  try {
    const settings = await provisioningTarget(db, secrets);
    if (!settings.target) {
      result = { ...empty, durationMs: 0, error: 'FreeRADIUS provisioning is not configured: give the PostgreSQL host, database and user.' };
    } else {
      const desired = await readDesiredState(db, secrets, settings.suspendedAction);
      const counts = await provision(settings.target, desired.state);
      result = { ...counts, users: desired.users, groups: desired.groups, clients: desired.clients, problems: desired.problems.slice(0, MAX_PROBLEMS), durationMs: Math.round(performance.now() - started), error: null };
    }
  } catch (error) {
    result = { ...empty, durationMs: Math.round(performance.now() - started), error: describe(error) };
  }
  try {
    await recordSyncOutcome(db, result, now());
  } catch (error) {
    console.error('[towerline] could not record the FreeRADIUS sync outcome', error);
  }
  return result;
}
