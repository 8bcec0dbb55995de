/**
 * The RADIUS server's reads: statements kysely compiles once, prepared on a read-only connection of
 * the server's own. WAL lets it read the last committed state while the app's own connection is in
 * the middle of a transaction, so an answer never waits for the office.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { dataVersion } from '../../db/connection';
import type { Db } from '../../db/open';
import type { ServiceStatusName } from '../../../../shared/domain/serving';
import type { SubscriptionStatus } from '../../../../shared/domain/subscription-status';
import type { HotspotLogin, LoginRecord, ServiceLogin, SuspendedAnswer } from './answer';

const SENTINEL = '\u0000towerline-login\u0000';

/** A compiled select whose `SENTINEL` parameters are replaced by the login at run time. */
function prepare(sqlite: BetterSqlite3.Database, compiled: { sql: string; parameters: readonly unknown[] }) {
  const all = prepareAll(sqlite, compiled, SENTINEL);
  return (login: string) => all(login)[0];
}

/** A compiled select whose `placeholder` parameters are replaced by one value at run time; all rows. */
function prepareAll(sqlite: BetterSqlite3.Database, compiled: { sql: string; parameters: readonly unknown[] }, placeholder: unknown) {
  const statement = sqlite.prepare(compiled.sql);
  const parameters = [...compiled.parameters];
  const slots = parameters.flatMap((p, i) => (p === placeholder ? [i] : []));
  return (value: unknown) => {
    for (const i of slots) parameters[i] = value;
    return statement.all(parameters) as Record<string, unknown>[];
  };
}

/** Stands for the change-log cursor in compiled statements (no real id is negative). */
const CURSOR = -7_301_300;

/** Framed-Pool names Towerline gives the dynamic pools it manages: the router's pool of that network. */
export const poolName = (networkId: number) => `towerline-pool-${networkId}`;

export interface NasClient {
  routerId: number;
  name: string;
  secret: string;
}

export interface Settings {
  suspendedAnswer: SuspendedAnswer;
  requireMessageAuthenticator: boolean;
  coaPort: number;
}

/** Service logins read in one consistent snapshot, and where the change log stood then. */
export interface ServiceLogins {
  /** The last change-log id the snapshot includes. */
  cursor: number;
  /** Services listed in the change log after the previous cursor (all of them for a full read). */
  changedIds: number[];
  /** Live (not Archived) services with a login among those read, by login. */
  records: [string, ServiceLogin][];
}

export interface Lookup {
  login(name: string): LoginRecord | null;
  /** Hotspot logins only: read each time, their usage moves with every accounting packet. */
  hotspot(name: string): HotspotLogin | null;
  /** Every live service login. */
  allServices(): ServiceLogins;
  /** The service logins changed since `cursor` (an id of radius_login_changes). */
  servicesChangedSince(cursor: number): ServiceLogins;
  settings(): Settings;
  /** Routers with a RADIUS secret, by address as stored (sealed secrets, opened by the caller). */
  routers(): { id: number; name: string; address: string; sealed: string }[];
  /** Moves whenever another connection commits: the cue to reload clients and settings. */
  dataVersion(): number;
}

/** Live (not Archived) service logins with everything the answer rule reads: the one read of them. */
function serviceLogins(db: Db) {
  return db
    .selectFrom('services as s')
      .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .innerJoin('plans as p', 'p.id', 's.plan_id')
    .select((eb) => [
      's.id',
      's.login',
      eb.fn.coalesce('s.password', 'sub.service_password').as('password'),
      's.status',
      'sub.status as subscription_status',
      's.router_id',
      's.ipv4_assignment',
      's.ipv4_address',
      's.pool_network_id',
      'p.download_kbps',
      'p.upload_kbps',
      'p.burst_download_kbps',
      'p.burst_upload_kbps',
      'p.burst_threshold_percent',
      'p.burst_time_seconds',
      'p.priority',
      // Dunning's throttle rate while the subscription is at the throttle stage, else the data
      // cap's while the service is throttled for reaching its plan's cap.
      eb.fn
        .coalesce(
          eb
            .selectFrom('dunning_states as d')
            .innerJoin('dunning_settings as ds', (j) => j.on('ds.id', '=', sql.lit(1)))
            .select('ds.throttle_rate')
            .whereRef('d.subscription_id', '=', 'sub.id')
            .where('d.stage', '=', sql.lit('throttle')),
          eb
            .selectFrom('usage_cap_actions as ca')
            .select('ca.throttle_rate')
            .whereRef('ca.service_id', '=', 's.id')
            .where('ca.lifted_at', 'is', null)
            .where('ca.action', '=', sql.lit('throttle')),
        )
        .as('throttle_rate'),
    ])
    // services_login_unique is a partial index on exactly this condition; SQLite uses it only
    // when the condition is written as a literal, not a bound parameter.
    .where('s.status', '<>', sql.lit('Archived'));
}

/** Services throttled now (dunning's stage, else their data cap) with the rate, by the same read as the logins. */
export async function throttleRates(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom(serviceLogins(db).as('l')).select(['l.id', 'l.throttle_rate']).where('l.throttle_rate', 'is not', null).execute();
  return new Map(rows.map((r) => [r.id, r.throttle_rate as string]));
}

/** One service's login as the RADIUS server would read it now; null for an Archived service. */
export async function readServiceLogin(db: Db, serviceId: number): Promise<ServiceLogin | null> {
  const row = await serviceLogins(db).where('s.id', '=', serviceId).executeTakeFirst();
  return row ? serviceRecord(row) : null;
}

/** The two login reads, compiled (exported so a test can check SQLite's plan for them). */
export function loginQueries(db: Db) {
  const services = () => serviceLogins(db);
  const service = services().where('s.login', '=', SENTINEL).compile();
  const allServices = services().where('s.login', 'is not', null).compile();
  const changedServices = services()
    .where('s.login', 'is not', null)
    .where('s.id', 'in', (eb) => eb.selectFrom('radius_login_changes as c').select('c.service_id').where('c.id', '>', CURSOR))
    .compile();
  const changes = db.selectFrom('radius_login_changes').select(['id', 'service_id']).where('id', '>', CURSOR).orderBy('id').compile();
  const lastChange = db.selectFrom('radius_login_changes').select((eb) => eb.fn.coalesce(eb.fn.max('id'), eb.lit(0)).as('id')).compile();
  const hotspot =
    db
      .selectFrom('hotspot_users as h')
      .innerJoin('hotspot_plans as hp', 'hp.id', 'h.hotspot_plan_id')
      .innerJoin('subscriptions as sub', 'sub.id', 'h.subscription_id')
      .select((eb) => [
        'h.id',
        'h.password',
        'h.status',
        'sub.status as subscription_status',
        'h.mac_binding',
        'h.first_used_at',
        'hp.validity_days',
        'hp.time_limit_minutes',
        'hp.data_limit_mb',
        'hp.download_kbps',
        'hp.upload_kbps',
        // Time and data are counted across every session the user had.
        eb.selectFrom('radius_sessions as r').select((e) => e.fn.coalesce(e.fn.sum<number>('r.session_seconds'), e.lit(0)).as('n')).whereRef('r.hotspot_user_id', '=', 'h.id').as('used_seconds'),
        eb
          .selectFrom('radius_sessions as r')
          .select((e) => e.fn.coalesce(e.fn.sum<number>(e('r.input_bytes', '+', e.ref('r.output_bytes'))), e.lit(0)).as('n'))
          .whereRef('r.hotspot_user_id', '=', 'h.id')
          .as('used_bytes'),
      ])
      .where('h.login', '=', SENTINEL)
      .compile();
  return { service, hotspot, allServices, changedServices, changes, lastChange, sentinel: SENTINEL };
}

/** A service row of `loginQueries` as the answer rule reads it. */
function serviceRecord(s: Record<string, unknown>): ServiceLogin {
  return {
    kind: 'service',
    serviceId: s.id as number,
    password: (s.password as string | null) ?? null,
    serviceStatus: s.status as ServiceStatusName,
    subscriptionStatus: s.subscription_status as SubscriptionStatus,
    routerId: (s.router_id as number | null) ?? null,
    permanentIp: s.ipv4_assignment === 'permanent' ? ((s.ipv4_address as string | null) ?? null) : null,
    pool: s.ipv4_assignment === 'dynamic' && s.pool_network_id !== null ? poolName(s.pool_network_id as number) : null,
    plan: {
      downloadKbps: s.download_kbps as number | null,
      uploadKbps: s.upload_kbps as number | null,
      burstDownloadKbps: s.burst_download_kbps as number | null,
      burstUploadKbps: s.burst_upload_kbps as number | null,
      burstThresholdPercent: s.burst_threshold_percent as number | null,
      burstTimeSeconds: s.burst_time_seconds as number | null,
      priority: s.priority as number | null,
    },
    throttleRate: (s.throttle_rate as string | null) ?? null,
  };
}

function hotspotRecord(h: Record<string, unknown>): HotspotLogin {
  return {
    kind: 'hotspot',
    hotspotUserId: h.id as number,
    password: (h.password as string | null) ?? null,
    status: h.status as HotspotLogin['status'],
    subscriptionStatus: h.subscription_status as SubscriptionStatus,
    macBinding: (h.mac_binding as string | null) ?? null,
    firstUsedAt: (h.first_used_at as string | null) ?? null,
    validityDays: h.validity_days as number,
    timeLimitMinutes: h.time_limit_minutes as number | null,
    dataLimitMb: h.data_limit_mb as number | null,
    downloadKbps: h.download_kbps as number | null,
    uploadKbps: h.upload_kbps as number | null,
    usedSeconds: Number(h.used_seconds ?? 0),
    usedBytes: Number(h.used_bytes ?? 0),
  };
}

const byLogin = (rows: Record<string, unknown>[]): [string, ServiceLogin][] => rows.map((r) => [r.login as string, serviceRecord(r)]);

export function createLookup(db: Db, sqlite: BetterSqlite3.Database): Lookup {
  const compiled = loginQueries(db);
  const service = prepare(sqlite, compiled.service);
  const hotspot = prepare(sqlite, compiled.hotspot);
  const allServices = sqlite.prepare(compiled.allServices.sql);
  const changedServices = prepareAll(sqlite, compiled.changedServices, CURSOR);
  const changes = prepareAll(sqlite, compiled.changes, CURSOR);
  const lastChange = sqlite.prepare(compiled.lastChange.sql).pluck();
  // One read transaction: the cursor and the rows come from the same snapshot.
  const snapshot = sqlite.transaction((read: () => ServiceLogins): ServiceLogins => read());
  const settings = sqlite.prepare(db.selectFrom('radius_settings').select(['suspended_answer', 'require_message_authenticator', 'coa_port']).where('id', '=', 1).compile().sql);
  const routers = db
    .selectFrom('routers')
    .select(['id', 'name', 'address', 'radius_secret_sealed'])
    .where('radius_secret_sealed', 'is not', null)
    .compile();
  const routersStatement = sqlite.prepare(routers.sql);
  const hotspotOf = (name: string) => {
    const h = hotspot(name);
    return h ? hotspotRecord(h) : null;
  };

  return {
    login(name) {
      const s = service(name);
      return s ? serviceRecord(s) : hotspotOf(name);
    },
    hotspot: hotspotOf,
    allServices: () =>
      snapshot(() => {
        const cursor = lastChange.get(compiled.lastChange.parameters as unknown[]) as number;
        const rows = allServices.all(compiled.allServices.parameters as unknown[]) as Record<string, unknown>[];
        return { cursor, changedIds: rows.map((r) => r.id as number), records: byLogin(rows) };
      }),
    servicesChangedSince: (since) =>
      snapshot(() => {
        const listed = changes(since);
        if (listed.length === 0) return { cursor: since, changedIds: [], records: [] };
        return { cursor: listed[listed.length - 1]!.id as number, changedIds: [...new Set(listed.map((c) => c.service_id as number))], records: byLogin(changedServices(since)) };
      }),
    settings() {
      const row = settings.get(1) as { suspended_answer: SuspendedAnswer; require_message_authenticator: number; coa_port: number } | undefined;
      return {
        suspendedAnswer: row?.suspended_answer ?? 'address-list',
        requireMessageAuthenticator: row ? row.require_message_authenticator === 1 : true,
        coaPort: row?.coa_port ?? 3799,
      };
    },
    routers() {
      return (routersStatement.all(routers.parameters as unknown[]) as { id: number; name: string; address: string; radius_secret_sealed: string }[]).map((r) => ({
        id: r.id,
        name: r.name,
        address: r.address,
        sealed: r.radius_secret_sealed,
      }));
    },
    dataVersion: () => dataVersion(sqlite),
  };
}
