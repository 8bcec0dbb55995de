import type { Attributes, RouterOsConnection } from './types';

/**
 * Usage polling for routers without RADIUS accounting: who is online (/ppp/active) and the byte
 * counters of the simple queues (RouterOS keeps one dynamic queue `<pppoe-NAME>` per PPP session,
 * and Towerline's static queues per address). Parsing and the counter arithmetic are pure; the
 * one I/O function, readUsage, only prints the two menus. Nothing here is stored.
 */

export interface PppSession {
  /** The router's `.id` of the session. */
  id: string;
  /** The PPP login (secret name). */
  name: string;
  service: string;
  callerId: string;
  /** The address the session was given, or null while there is none. */
  address: string | null;
  uptimeSeconds: number;
  sessionId: string;
  /** Authenticated through RADIUS rather than a local secret. */
  radius: boolean;
}

export interface QueueCounters {
  id: string;
  name: string;
  /** Target addresses or interfaces as printed (`100.64.0.2/32`, `<pppoe-alice>`). */
  targets: string[];
  dynamic: boolean;
  disabled: boolean;
  comment: string | null;
  /** Bytes and packets so far, from the target's side: upload is what it sent. */
  uploadBytes: number;
  downloadBytes: number;
  uploadPackets: number;
  downloadPackets: number;
  /** Current rate, bits per second. */
  uploadRate: number;
  downloadRate: number;
}

/** A row that could not be read, kept as a value so one odd entry does not hide the rest. */
export interface UsageProblem {
  menu: '/ppp/active' | '/queue/simple';
  id: string | undefined;
  reason: string;
}

export interface UsageSnapshot {
  /** When the counters were read (ms since the epoch). */
  at: number;
  sessions: PppSession[];
  queues: QueueCounters[];
  problems: UsageProblem[];
}

/** The properties polled: counters only, so a poll of thousands of queues stays small. */
export const ACTIVE_PROPLIST = '.id,name,service,caller-id,address,uptime,session-id,radius';
export const QUEUE_PROPLIST = '.id,name,target,dynamic,disabled,comment,bytes,packets,rate';

/** Reads who is online and every simple queue's counters. Rejects with the client's RouterOsError. */
export async function readUsage(connection: RouterOsConnection, now: () => number = Date.now): Promise<UsageSnapshot> {
  const [active, queues] = await Promise.all([
    connection.command('/ppp/active/print', { '.proplist': ACTIVE_PROPLIST }),
    connection.command('/queue/simple/print', { '.proplist': QUEUE_PROPLIST }),
  ]);
  const at = now();
  const parsedSessions = parsePppActive(active);
  const parsedQueues = parseSimpleQueues(queues);
  return { at, sessions: parsedSessions.sessions, queues: parsedQueues.queues, problems: [...parsedSessions.problems, ...parsedQueues.problems] };
}

export function parsePppActive(rows: readonly Attributes[]): { sessions: PppSession[]; problems: UsageProblem[] } {
  const sessions: PppSession[] = [];
  const problems: UsageProblem[] = [];
  for (const row of rows) {
    const id = row['.id'];
    const problem = (reason: string) => problems.push({ menu: '/ppp/active', id, reason });
    if (!id) {
      problem('no .id');
      continue;
    }
    if (!row.name) {
      problem('no name');
      continue;
    }
    const uptime = row.uptime === undefined ? 0 : parseRouterOsDuration(row.uptime);
    if (uptime === undefined) {
      problem(`uptime "${row.uptime}" is not a duration`);
      continue;
    }
    sessions.push({
      id,
      name: row.name,
      service: row.service ?? '',
      callerId: row['caller-id'] ?? '',
      address: row.address ? row.address : null,
      uptimeSeconds: uptime,
      sessionId: row['session-id'] ?? '',
      radius: row.radius === 'true',
    });
  }
  return { sessions, problems };
}

export function parseSimpleQueues(rows: readonly Attributes[]): { queues: QueueCounters[]; problems: UsageProblem[] } {
  const queues: QueueCounters[] = [];
  const problems: UsageProblem[] = [];
  for (const row of rows) {
    const id = row['.id'];
    const problem = (reason: string) => problems.push({ menu: '/queue/simple', id, reason });
    if (!id || !row.name) {
      problem(id ? 'no name' : 'no .id');
      continue;
    }
    const bytes = parsePair(row.bytes ?? '0/0');
    const packets = parsePair(row.packets ?? '0/0');
    const rate = parsePair(row.rate ?? '0/0');
    if (!bytes || !packets || !rate) {
      problem(`counters "${row.bytes}", "${row.packets}", "${row.rate}" are not upload/download pairs`);
      continue;
    }
    queues.push({
      id,
      name: row.name,
      targets: (row.target ?? '').split(',').filter((t) => t !== ''),
      dynamic: row.dynamic === 'true',
      disabled: row.disabled === 'true',
      comment: row.comment ?? null,
      uploadBytes: bytes[0],
      downloadBytes: bytes[1],
      uploadPackets: packets[0],
      downloadPackets: packets[1],
      uploadRate: rate[0],
      downloadRate: rate[1],
    });
  }
  return { queues, problems };
}

/** `123/456` → [123, 456]; undefined for anything else (or a counter past 2^53). */
function parsePair(text: string): [number, number] | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return Number.isSafeInteger(a) && Number.isSafeInteger(b) ? [a, b] : undefined;
}

/**
 * Seconds in a RouterOS duration as the API prints it: `1w2d3h4m5s`, with optional `ms`
 * (dropped), `00:10:00` or `1d 02:00:00`, or plain seconds. Undefined for anything else.
 */
export function parseRouterOsDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const clock = /^(?:(\d+)d\s?)?(\d+):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(text);
  if (clock) return Number(clock[1] ?? 0) * 86400 + Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4]);
  const units = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (!units || text === '') return undefined;
  const [, w, d, h, m, s] = units;
  return Number(w ?? 0) * 604800 + Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** The dynamic queue RouterOS makes for a PPP session: `<pppoe-alice>`. */
export function sessionQueueName(session: Pick<PppSession, 'service' | 'name'>): string {
  return `<${session.service}-${session.name}>`;
}

export interface SessionUsage {
  session: PppSession;
  /** The queue counting this session: its dynamic queue, else a static queue targeting its address. */
  queue: QueueCounters | null;
}

/** Pairs each online session with the queue that counts its traffic. */
export function sessionUsage(snapshot: Pick<UsageSnapshot, 'sessions' | 'queues'>): SessionUsage[] {
  const byName = new Map(snapshot.queues.map((q) => [q.name, q]));
  const byTarget = new Map<string, QueueCounters>();
  for (const q of snapshot.queues) {
    if (q.dynamic) continue;
    for (const t of q.targets) if (!byTarget.has(t)) byTarget.set(t, q);
  }
  return snapshot.sessions.map((session) => ({
    session,
    queue:
      byName.get(sessionQueueName(session)) ??
      (session.address === null ? undefined : (byTarget.get(`${session.address}/32`) ?? byTarget.get(session.address))) ??
      null,
  }));
}

/**
 * Bytes counted since the previous reading. A counter that went down was reset (the router
 * rebooted, the session reconnected and its queue was made anew, or someone reset counters):
 * everything it holds now is new.
 */
export function counterDelta(previous: number, current: number): { bytes: number; reset: boolean } {
  return current >= previous ? { bytes: current - previous, reset: false } : { bytes: current, reset: true };
}

export interface QueueDelta {
  queue: QueueCounters;
  uploadBytes: number;
  downloadBytes: number;
  /** The queue is new since the previous reading, or its counters were reset. */
  reset: boolean;
  /** Seconds between the two readings. */
  seconds: number;
}

/**
 * Traffic per queue between two snapshots. A queue is the same queue when both its `.id` and
 * name match (a reconnecting session gets a new dynamic queue, whose counters all count).
 * Queues gone since the previous reading are left out: their last bytes were already counted
 * up to that reading. Without a previous reading there is nothing to compare with: the counters
 * then hold traffic from before polling began, which is not attributed to now.
 */
export function usageDeltas(previous: UsageSnapshot | null, current: UsageSnapshot): QueueDelta[] {
  if (previous === null) return [];
  const before = new Map(previous.queues.map((q) => [`${q.id}\u0000${q.name}`, q]));
  const seconds = Math.max(0, (current.at - previous.at) / 1000);
  return current.queues.map((queue) => {
    const old = before.get(`${queue.id}\u0000${queue.name}`);
    if (!old) return { queue, uploadBytes: queue.uploadBytes, downloadBytes: queue.downloadBytes, reset: true, seconds };
    const up = counterDelta(old.uploadBytes, queue.uploadBytes);
    const down = counterDelta(old.downloadBytes, queue.downloadBytes);
    const reset = up.reset || down.reset;
    // A reset shows on both counters at once; take both from zero so the pair stays consistent.
    return reset
      ? { queue, uploadBytes: queue.uploadBytes, downloadBytes: queue.downloadBytes, reset, seconds }
      : { queue, uploadBytes: up.bytes, downloadBytes: down.bytes, reset, seconds };
  });
}
