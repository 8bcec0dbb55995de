/**
 * Usage from routers without RADIUS accounting: every few minutes (usage setting
 * `routerosPollMinutes`) each router whose usage source is the RouterOS API is read (/ppp/active
 * and the simple queues' byte counters) and what the counters grew by is counted into the usage
 * ingest (source 'routeros'), so "online now", the hourly and daily rollups and data caps work as
 * with RADIUS accounting.
 *
 * The counters last counted are the live session rows (usage_live_sessions), kept in the
 * datastore, so a restart between two polls neither loses nor double counts. A counter smaller
 * than the one stored was reset (router reboot, session reconnect): its new value counts. A
 * session gone from /ppp/active leaves the live sessions. A router that cannot be read is skipped
 * and its error kept (routeros_usage_state, and the network status' reachable flag).
 */
import type { Backend } from '../backend';
import { sqliteHandle } from '../db/json-rows';
import type { Db } from '../db/open';
import { errorText, type PeriodicJob, startPeriodic } from '../jobs/periodic';
import { markedServiceId } from '../network/desired-state';
import { type Connect, notManagedReason, routerConnectOptions, serialized } from '../network/reconcile';
import { connectRouterOs } from '../network/routeros/client';
import type { RouterOsConnection } from '../network/routeros/types';
import { type QueueCounters, readUsage, sessionUsage, type UsageSnapshot } from '../network/routeros/usage';
import type { Counters } from './counters';
import { createUsageIngest, type UsageIngest, type UsageReport } from './ingest';

/** The live session key of a polled counter: router, the counting object's id and name. */
export const routerosSessionKey = (routerId: number, id: string, name: string) => `${routerId}\u0000${id}\u0000${name}`;

/** One thing the poll counts: a PPP session (with the queue counting its traffic, if any) or a Towerline queue. */
export interface PollUnit {
  key: string;
  kind: 'ppp' | 'queue';
  serviceId: number | null;
  login: string;
  startedAt: string;
  counters: Counters;
}

/** The counters last counted for a live session of this router. */
export interface StoredCounters {
  startedAt: string;
  counters: Counters;
}

/** The services on one router, found by PPP login (any case) and by fixed address. */
export interface ServiceLookup {
  byLogin: Map<string, number>;
  byAddress: Map<string, number>;
  ids: Set<number>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Steps written per transaction (see pollNow). */
const STEPS_PER_TRANSACTION = 500;

/**
 * What to count in one reading, pure. Each PPP session counts through its queue (its dynamic
 * `<pppoe-NAME>` queue, or a static queue on its address) and belongs to the service with its
 * login (or address); a Towerline queue no session uses (a fixed address without PPP) counts for
 * the service its comment marks. Session time orders readings: PPP uptime, or for a queue the
 * time since it was first read. A queue counts once even when two sessions point at it.
 */
export function pollUnits(routerId: number, snapshot: UsageSnapshot, services: ServiceLookup, stored: ReadonlyMap<string, StoredCounters>): PollUnit[] {
  const units: PollUnit[] = [];
  const used = new Set<QueueCounters>();
  for (const { session, queue } of sessionUsage(snapshot)) {
    const serviceId = services.byLogin.get(session.name.toLowerCase()) ?? (session.address === null ? undefined : services.byAddress.get(session.address)) ?? null;
    const counting = queue !== null && !used.has(queue) ? queue : null;
    if (counting) used.add(counting);
    const key = counting ? routerosSessionKey(routerId, counting.id, counting.name) : routerosSessionKey(routerId, `ppp:${session.id}`, session.name);
    units.push({
      key,
      kind: 'ppp',
      serviceId,
      login: session.name,
      startedAt: stored.get(key)?.startedAt ?? iso(snapshot.at - session.uptimeSeconds * 1000),
      counters: { sessionSeconds: session.uptimeSeconds, input: counting?.uploadBytes ?? 0, output: counting?.downloadBytes ?? 0 },
    });
  }
  for (const queue of snapshot.queues) {
    if (used.has(queue) || queue.dynamic) continue;
    const marked = queue.comment === null ? null : markedServiceId(queue.comment.trim());
    if (marked === null || !services.ids.has(marked)) continue;
    const key = routerosSessionKey(routerId, queue.id, queue.name);
    const startedAt = stored.get(key)?.startedAt ?? iso(snapshot.at);
    units.push({
      key,
      kind: 'queue',
      serviceId: marked,
      login: queue.name,
      startedAt,
      counters: { sessionSeconds: Math.max(0, Math.floor((snapshot.at - Date.parse(startedAt)) / 1000)), input: queue.uploadBytes, output: queue.downloadBytes },
    });
  }
  return units;
}

export type PollStep =
  /** Keep the counters without counting them (traffic from before the router was first read). */
  | { kind: 'remember'; unit: PollUnit }
  /** Count what the counters grew by since those stored (all of them for a session new since the last poll). */
  | { kind: 'count'; unit: PollUnit }
  /** The counters were reset: the stored session ends and everything the counters hold now counts. */
  | { kind: 'restart'; unit: PollUnit; stored: StoredCounters }
  /** The session is gone from the router: it leaves the live sessions. */
  | { kind: 'end'; key: string; stored: StoredCounters };

/**
 * What a reading does with the counters stored, pure. `sinceLastRead` is the seconds since the
 * router was last read, or null when it never was (or so long ago that the live sessions it left
 * were closed): then every counter is only remembered, since what it holds ran before. A session
 * new since the last reading counts in full when it started after that reading (PPP uptime says
 * so; a Towerline queue is new when it appears); one that had started before is remembered.
 */
export function planPoll(units: readonly PollUnit[], stored: ReadonlyMap<string, StoredCounters>, sinceLastRead: number | null): PollStep[] {
  const steps: PollStep[] = [];
  const seen = new Set<string>();
  for (const unit of units) {
    seen.add(unit.key);
    const before = stored.get(unit.key);
    if (sinceLastRead === null) steps.push({ kind: 'remember', unit });
    else if (!before) {
      const startedSince = unit.kind === 'queue' || unit.counters.sessionSeconds <= sinceLastRead + 1;
      steps.push({ kind: startedSince ? 'count' : 'remember', unit });
    } else {
      const c = unit.counters;
      const p = before.counters;
      const reset = c.input < p.input || c.output < p.output || c.sessionSeconds < p.sessionSeconds;
      steps.push(reset ? { kind: 'restart', unit, stored: before } : { kind: 'count', unit });
    }
  }
  for (const [key, s] of stored) if (!seen.has(key)) steps.push({ kind: 'end', key, stored: s });
  return steps;
}

export interface PollResult {
  routerId: number;
  /** Null, or why the router could not be read. */
  error: string | null;
  sessions: number;
  queues: number;
  downloadBytes: number;
  uploadBytes: number;
  /** Live sessions that ended. */
  ended: number;
  /** Counters found reset. */
  resets: number;
}

export interface PollDeps {
  secrets: Backend['secrets'];
  connect: Connect;
  timeoutMs: number;
  now: () => Date;
  ingest: UsageIngest;
}

async function lookupServices(db: Db, routerId: number): Promise<ServiceLookup> {
  const rows = await db
    .selectFrom('services')
    .select(['id', 'login', 'ipv4_address', 'status'])
    .where('router_id', '=', routerId)
    .where('status', '<>', 'Archived')
    // An Active service's login wins over an older one's with the same login.
    .orderBy((eb) => eb.case().when('status', '=', 'Active').then(0).else(1).end())
    .orderBy('id', 'desc')
    .execute();
  const lookup: ServiceLookup = { byLogin: new Map(), byAddress: new Map(), ids: new Set() };
  for (const r of rows) {
    lookup.ids.add(r.id);
    if (r.login && !lookup.byLogin.has(r.login.toLowerCase())) lookup.byLogin.set(r.login.toLowerCase(), r.id);
    if (r.ipv4_address && !lookup.byAddress.has(r.ipv4_address)) lookup.byAddress.set(r.ipv4_address, r.id);
  }
  return lookup;
}

async function recordFailure(db: Db, routerId: number, at: string, message: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('routeros_usage_state')
      .values({ router_id: routerId, last_attempt_at: at, last_error: message })
      .onConflict((oc) => oc.column('router_id').doUpdateSet({ last_attempt_at: at, last_error: message }))
      .execute();
    // The network status shows the router unreachable; the sync keeps its own retry schedule.
    await trx
      .insertInto('network_router_state')
      .values({ router_id: routerId, reachable: 0, last_error: message })
      .onConflict((oc) => oc.column('router_id').doUpdateSet({ reachable: 0, last_error: message }))
      .execute();
  });
}

/**
 * Reads one router and counts its usage in one transaction. Never rejects for the router's sake:
 * its error is the result. Polls of one router never overlap (an earlier reading counted after a
 * later one would look like a reset), nor overlap its sync: one API session at a time.
 */
export function pollRouter(db: Db, routerId: number, deps: PollDeps): Promise<PollResult> {
  return serialized(db, routerId, () => pollNow(db, routerId, deps));
}

async function pollNow(db: Db, routerId: number, deps: PollDeps): Promise<PollResult> {
  const result: PollResult = { routerId, error: null, sessions: 0, queues: 0, downloadBytes: 0, uploadBytes: 0, ended: 0, resets: 0 };
  const router = await db.selectFrom('routers').select(['address', 'vendor', 'api_port', 'api_user', 'api_password_sealed', 'api_tls']).where('id', '=', routerId).executeTakeFirst();
  if (!router) return { ...result, error: `Router ${routerId} does not exist.` };
  const refusal = notManagedReason(router);
  if (refusal) return { ...result, error: refusal };
  let snapshot: UsageSnapshot;
  let connection: RouterOsConnection | null = null;
  try {
    connection = await deps.connect(routerConnectOptions(router, deps.secrets, deps.timeoutMs));
    snapshot = await readUsage(connection, () => deps.now().getTime());
  } catch (error) {
    const message = errorText(error);
    await recordFailure(db, routerId, deps.now().toISOString(), message);
    return { ...result, error: message };
  } finally {
    await connection?.close().catch(() => undefined);
  }

  const at = iso(snapshot.at);
  const services = await lookupServices(db, routerId);
  const state = await db.selectFrom('routeros_usage_state').select('last_success_at').where('router_id', '=', routerId).executeTakeFirst();
  const { stale_session_hours: staleHours } = await db.selectFrom('usage_settings').select('stale_session_hours').where('id', '=', 1).executeTakeFirstOrThrow();
  const last = state?.last_success_at ? Date.parse(state.last_success_at) : null;
  // After a gap long enough for the cleanup to close its live sessions, the router starts afresh.
  const sinceLastRead = last === null || snapshot.at - last > staleHours * 3_600_000 ? null : Math.max(0, (snapshot.at - last) / 1000);
  const rows = await db
    .selectFrom('usage_live_sessions')
    .select(['session_key', 'started_at', 'session_seconds', 'input_counter', 'output_counter'])
    .where('source', '=', 'routeros')
    .where('router_id', '=', routerId)
    .execute();
  const stored = new Map(rows.map((r) => [r.session_key, { startedAt: r.started_at, counters: { sessionSeconds: r.session_seconds, input: r.input_counter, output: r.output_counter } }]));
  const units = pollUnits(routerId, snapshot, services, stored);
  const report = (unit: PollUnit): UsageReport => ({
    source: 'routeros',
    sessionKey: unit.key,
    serviceId: unit.serviceId,
    hotspotUserId: null,
    routerId,
    login: unit.login,
    at,
    startedAt: unit.startedAt,
    stop: false,
    counters: unit.counters,
  });
  const never = () => false;
  const add = (c: { downloadBytes: number; uploadBytes: number }) => {
    result.downloadBytes += c.downloadBytes;
    result.uploadBytes += c.uploadBytes;
  };
  const apply = (step: PollStep) => {
    if (step.kind === 'remember') deps.ingest.remember(report(step.unit));
    else if (step.kind === 'count') add(deps.ingest.count(report(step.unit), never));
    else {
      const key = step.kind === 'end' ? step.key : step.unit.key;
      // Ended at the counters already counted: it adds nothing and leaves the live sessions.
      deps.ingest.count({ source: 'routeros', sessionKey: key, serviceId: null, hotspotUserId: null, routerId, login: '', at, startedAt: step.stored.startedAt, stop: true, counters: step.stored.counters }, never);
      if (step.kind === 'end') result.ended++;
      else {
        result.resets++;
        add(deps.ingest.count(report(step.unit), never));
      }
    }
  };
  result.sessions = snapshot.sessions.length;
  result.queues = units.length - snapshot.sessions.length;
  const steps = planPoll(units, stored, sinceLastRead);
  // Transactions of a few hundred steps, so the app's own queries are not held up by a big
  // router. Each step writes its session's counters with the bytes they add, so a poll cut off
  // between two transactions leaves nothing counted twice or lost: the next one goes on from the
  // counters stored. The ingest's statements run on the connection each transaction holds.
  for (let i = 0; i < steps.length || i === 0; i += STEPS_PER_TRANSACTION) {
    const chunk = steps.slice(i, i + STEPS_PER_TRANSACTION);
    const lastChunk = i + STEPS_PER_TRANSACTION >= steps.length;
    await db.transaction().execute(async (trx) => {
      for (const step of chunk) apply(step);
      if (!lastChunk) return;
      const values = { last_attempt_at: at, last_success_at: at, last_error: snapshot.problems.length ? `${snapshot.problems.length} entr${snapshot.problems.length === 1 ? 'y' : 'ies'} unreadable: ${snapshot.problems[0]?.reason ?? ''}` : null, sessions: result.sessions, queues: result.queues };
      await trx.insertInto('routeros_usage_state').values({ router_id: routerId, ...values }).onConflict((oc) => oc.column('router_id').doUpdateSet(values)).execute();
      // Reachable again: only a state this poll (or a failed sync's connect) marked unreachable is cleared.
      await trx.updateTable('network_router_state').set({ reachable: 1, last_error: null }).where('router_id', '=', routerId).where('reachable', '=', 0).execute();
    });
  }
  return result;
}

export interface RouterosUsagePollOptions {
  /** How often to look which routers are due, ms (default 30 s); each is read every `routerosPollMinutes`. */
  tickMs?: number;
  timeoutMs?: number;
  now?: () => Date;
  connect?: Connect;
  log?: (line: string) => void;
  /** Called after each router read (tests, the dashboard). */
  onPoll?: (result: PollResult) => void;
}

export interface RouterosUsagePoll extends PeriodicJob {
  /** Reads one router (or every polled router) now, whether due or not. */
  pollNow(routerId?: number): Promise<PollResult[]>;
}

/** The routers whose usage comes from their RouterOS API. */
async function polledRouters(db: Db): Promise<{ id: number; lastAttemptAt: string | null }[]> {
  const rows = await db
    .selectFrom('routers as r')
    .leftJoin('routeros_usage_state as u', 'u.router_id', 'r.id')
    .select(['r.id', 'r.vendor', 'r.api_user', 'u.last_attempt_at'])
    .where('r.usage_source', '=', 'routeros')
    .execute();
  return rows.filter((r) => notManagedReason(r) === null).map((r) => ({ id: r.id, lastAttemptAt: r.last_attempt_at }));
}

/** The poll job: server mode and the desktop app's background run it (background.ts). */
export function startRouterosUsagePoll(backend: Pick<Backend, 'datastore' | 'secrets'>, options: RouterosUsagePollOptions = {}): RouterosUsagePoll {
  const db = backend.datastore.db;
  const sqlite = sqliteHandle(db);
  if (!sqlite) throw new Error('The RouterOS usage poll needs a datastore opened by db/open.ts');
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(`[towerline] ${line}`));
  const deps: PollDeps = { secrets: backend.secrets, connect: options.connect ?? connectRouterOs, timeoutMs: options.timeoutMs ?? 10_000, now, ingest: createUsageIngest(db, sqlite) };
  const failing = new Set<number>();

  const poll = async (routerId: number) => {
    const r = await pollRouter(db, routerId, deps);
    options.onPoll?.(r);
    // One line when a router stops answering and one when it is back, not one per poll.
    if (r.error && !failing.has(routerId)) log(`usage poll router ${routerId}: ${r.error}`);
    if (!r.error && failing.has(routerId)) log(`usage poll router ${routerId}: reachable again`);
    if (r.error) failing.add(routerId);
    else failing.delete(routerId);
    return r;
  };

  const pass = async () => {
    const { routeros_poll_minutes: minutes } = await db.selectFrom('usage_settings').select('routeros_poll_minutes').where('id', '=', 1).executeTakeFirstOrThrow();
    const dueBefore = now().getTime() - minutes * 60_000;
    // A router no longer polled leaves no session online that nothing will ever close, and
    // starts afresh if it is polled again (its counters then hold traffic nobody read).
    const notPolled = db.selectFrom('routers').select('id').where('usage_source', '<>', 'routeros');
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('usage_live_sessions').where('source', '=', 'routeros').where('router_id', 'in', notPolled).execute();
      await trx.deleteFrom('routeros_usage_state').where('router_id', 'in', notPolled).execute();
    });
    const due = (await polledRouters(db)).filter((r) => r.lastAttemptAt === null || Date.parse(r.lastAttemptAt) <= dueBefore);
    await Promise.all(due.map((r) => poll(r.id)));
  };
  const job = startPeriodic({ name: 'usage poll', intervalMs: options.tickMs ?? 30_000, run: pass, log });
  return {
    ...job,
    async pollNow(routerId) {
      const ids = routerId === undefined ? (await polledRouters(db)).map((r) => r.id) : [routerId];
      return Promise.all(ids.map((id) => poll(id)));
    },
  };
}
