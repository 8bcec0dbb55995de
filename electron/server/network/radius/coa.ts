/**
 * Dynamic authorization (RFC 5176): CoA-Request to change a live session (a new speed) and
 * Disconnect-Request to end one (a suspension: the subscriber reconnects into the walled garden or
 * is refused). Sent to the router's address on the CoA port with retries; when the NAS does not
 * answer or refuses, the active session is removed through the RouterOS API instead.
 */
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import type { Db } from '../../db/open';
import type { SecretBox } from '../../platform/secrets';
import { routerSecrets } from '../routers';
import { type Connect, routerConnectOptions } from '../reconcile';
import type { RouterOsConnection } from '../routeros/types';
import { decide, rateLimitOf, type LoginRecord } from './answer';
import {
  Code,
  ERROR_CAUSES,
  attrInt,
  checkMessageAuthenticator,
  decode,
  encodeSignedRequest,
  replyHmacVector,
  verifyResponse,
  type OutAttribute,
} from './codec';
import { readServiceLogin } from './lookup';

export interface DynamicTarget {
  address: string;
  port: number;
  secret: string;
}

export type DynamicOutcome =
  | { ok: true; code: 'ack'; attempts: number }
  | { ok: false; code: 'nak'; errorCause: number | null; message: string; attempts: number }
  | { ok: false; code: 'timeout' | 'error'; message: string; attempts: number };

export interface SendOptions {
  /** Sends in all (first try and retransmissions); default 3. */
  attempts?: number;
  /** Wait for an answer per try, ms; default 1000, doubled on each retry. */
  timeoutMs?: number;
}

/**
 * Sends one CoA- or Disconnect-Request and waits for its ACK or NAK. A retransmission repeats the
 * same packet (same identifier and authenticator, RFC 5080 §2.2.1), so the NAS can tell it is one.
 * Answers whose authenticator does not verify are ignored, as if lost.
 */
export function sendDynamic(kind: 'coa' | 'disconnect', target: DynamicTarget, attributes: readonly OutAttribute[], options: SendOptions = {}): Promise<DynamicOutcome> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const firstTimeout = options.timeoutMs ?? 1000;
  const code = kind === 'coa' ? Code.CoaRequest : Code.DisconnectRequest;
  const ack = kind === 'coa' ? Code.CoaAck : Code.DisconnectAck;
  const nak = kind === 'coa' ? Code.CoaNak : Code.DisconnectNak;
  let packet: Buffer;
  try {
    packet = encodeSignedRequest(code, randomInt(256), attributes, target.secret);
  } catch (error) {
    return Promise.resolve({ ok: false, code: 'error', message: error instanceof Error ? error.message : String(error), attempts: 0 });
  }
  const authenticator = packet.subarray(4, 20);
  return new Promise((resolve) => {
    const socket = dgram.createSocket(isIP(target.address) === 6 ? 'udp6' : 'udp4');
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (outcome: DynamicOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(outcome);
    };
    const attempt = () => {
      if (sent >= attempts) return finish({ ok: false, code: 'timeout', message: `No answer from ${target.address}:${target.port} after ${sent} tries`, attempts: sent });
      const wait = firstTimeout * 2 ** sent;
      sent++;
      socket.send(packet, target.port, target.address, (error) => {
        if (error) finish({ ok: false, code: 'error', message: `Cannot send to ${target.address}:${target.port}: ${error.message}`, attempts: sent });
      });
      timer = setTimeout(attempt, wait);
    };
    socket.on('error', (error) => finish({ ok: false, code: 'error', message: error.message, attempts: sent }));
    socket.on('message', (msg) => {
      try {
        const d = decode(msg);
        if (!d.ok || d.packet.identifier !== packet[1]) return;
        if (d.packet.code !== ack && d.packet.code !== nak) return;
        if (!verifyResponse(d.packet.raw, authenticator, target.secret)) return;
        // FreeRADIUS signs ACK/NAK over a zero vector; accept the request's too, as some NAS do.
        const ma = checkMessageAuthenticator(d.packet.raw, target.secret, replyHmacVector(d.packet.code, authenticator));
        if (ma === 'invalid' && checkMessageAuthenticator(d.packet.raw, target.secret, authenticator) !== 'valid') return;
        if (d.packet.code === ack) return finish({ ok: true, code: 'ack', attempts: sent });
        const cause = attrInt(d.packet, 'Error-Cause') ?? null;
        finish({ ok: false, code: 'nak', errorCause: cause, message: cause === null ? 'Refused (NAK without Error-Cause)' : `Refused: ${ERROR_CAUSES[cause] ?? 'Error-Cause'} (${cause})`, attempts: sent });
      } catch {
        // A reply we cannot read counts as no reply.
      }
    });
    attempt();
  });
}

export interface DynamicContext {
  db: Db;
  secrets: SecretBox;
  /** For the fallback: remove the active session through the RouterOS API. Without it there is none. */
  connectRouter?: Connect;
  now?: () => Date;
}

export interface SessionAction {
  acctSessionId: string | null;
  nasAddress: string;
  outcome: DynamicOutcome;
}

export interface DynamicResult {
  login: string;
  routerId: number | null;
  /** One per online session known from accounting (or one by User-Name when none is known). */
  sessions: SessionAction[];
  /** What the API fallback did: not needed, removed N active sessions, or why it could not. */
  fallback: { used: false } | { used: true; removed: number; error: string | null };
  /** True when every session was changed or ended, one way or the other. */
  done: boolean;
}

interface Subject {
  login: string;
  serviceId: number | null;
  hotspotUserId: number | null;
  record: LoginRecord | null;
  router: { id: number; address: string; api_port: number | null; api_user: string | null } | null;
  hotspot: boolean;
}

async function subjectOf(db: Db, which: { serviceId: number } | { hotspotUserId: number }): Promise<Subject | null> {
  if ('serviceId' in which) {
    const s = await db
      .selectFrom('services as s')
      .leftJoin('routers as r', 'r.id', 's.router_id')
      .select(['s.id', 's.login', 's.router_id', 'r.address', 'r.api_port', 'r.api_user'])
      .where('s.id', '=', which.serviceId)
      .executeTakeFirst();
    if (!s) return null;
    // The answer the RADIUS server gives this login now (throttles included); null once Archived.
    const record = await readServiceLogin(db, s.id);
    return {
      login: s.login ?? '',
      serviceId: s.id,
      hotspotUserId: null,
      hotspot: false,
      router: s.router_id !== null && s.address !== null ? { id: s.router_id, address: s.address, api_port: s.api_port, api_user: s.api_user } : null,
      record,
    };
  }
  const h = await db.selectFrom('hotspot_users').select(['id', 'login']).where('id', '=', which.hotspotUserId).executeTakeFirst();
  return h ? { login: h.login, serviceId: null, hotspotUserId: h.id, hotspot: true, router: null, record: null } : null;
}

async function targetsOf(ctx: DynamicContext, subject: Subject) {
  const settings = await ctx.db.selectFrom('radius_settings').select('coa_port').where('id', '=', 1).executeTakeFirst();
  const defaultPort = settings?.coa_port ?? 3799;
  // A service's sessions by its id (the login may have changed since they started), else by login.
  const sessions = await ctx.db
    .selectFrom('radius_sessions as s')
    .leftJoin('routers as r', 'r.id', 's.router_id')
    .select(['s.acct_session_id', 's.login', 's.nas_address', 's.framed_ip', 's.router_id', 'r.address', 'r.coa_port'])
    .where((eb) =>
      subject.serviceId !== null
        ? eb.or([eb('s.service_id', '=', subject.serviceId), eb.and([eb('s.login', '=', subject.login), eb('s.service_id', 'is', null)])])
        : subject.hotspotUserId !== null
          ? eb.or([eb('s.hotspot_user_id', '=', subject.hotspotUserId), eb.and([eb('s.login', '=', subject.login), eb('s.hotspot_user_id', 'is', null)])])
          : eb('s.login', '=', subject.login),
    )
    .where('s.stopped_at', 'is', null)
    .execute();
  let rows = sessions.map((s) => ({ acctSessionId: s.acct_session_id as string | null, login: s.login, framedIp: s.framed_ip, routerId: s.router_id, address: s.address ?? s.nas_address, coaPort: s.coa_port ?? null }));
  if (rows.length === 0 && subject.router && subject.login) {
    const r = await ctx.db.selectFrom('routers').select('coa_port').where('id', '=', subject.router.id).executeTakeFirst();
    rows = [{ acctSessionId: null, login: subject.login, framedIp: null, routerId: subject.router.id, address: subject.router.address, coaPort: r?.coa_port ?? null }];
  }
  const secrets = new Map<number, string | null>();
  const out: { target: DynamicTarget | null; acctSessionId: string | null; login: string; framedIp: string | null; routerId: number | null; address: string }[] = [];
  for (const r of rows) {
    let secret: string | null = null;
    if (r.routerId !== null) {
      if (!secrets.has(r.routerId)) secrets.set(r.routerId, (await routerSecrets(ctx.db, r.routerId, ctx.secrets)).radiusSecret);
      secret = secrets.get(r.routerId) ?? null;
    }
    out.push({ ...r, target: secret ? { address: r.address, port: r.coaPort ?? defaultPort, secret } : null });
  }
  return out;
}

/** How long the API fallback waits for a router that does not answer. */
const FALLBACK_TIMEOUT_MS = 10_000;

/** Removes the logins' active sessions (PPP or hotspot) through each router's RouterOS API. */
async function removeThroughApi(ctx: DynamicContext, subject: Subject, byRouter: Map<number, Set<string>>): Promise<{ removed: number; error: string | null }> {
  if (!ctx.connectRouter) return { removed: 0, error: 'No RouterOS API connection available' };
  let removed = 0;
  const errors: string[] = [];
  for (const [id, logins] of byRouter) {
    const router = await ctx.db
      .selectFrom('routers')
      .select(['id', 'address', 'api_port', 'api_user', 'api_password_sealed', 'api_tls'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!router) continue;
    if (!router.api_user) {
      errors.push(`Router ${router.address} has no API user: the session cannot be removed through the API`);
      continue;
    }
    let connection: RouterOsConnection | null = null;
    try {
      // As the sync reaches it: a router set to API over TLS is never asked in clear.
      connection = await ctx.connectRouter(routerConnectOptions(router, ctx.secrets, FALLBACK_TIMEOUT_MS));
      const menu = subject.hotspot ? '/ip/hotspot/active' : '/ppp/active';
      const key = subject.hotspot ? 'user' : 'name';
      for (const login of logins) {
        const active = await connection.command(`${menu}/print`, { '.proplist': '.id' }, [`?${key}=${login}`]);
        for (const a of active) {
          const itemId = a['.id'];
          if (!itemId) continue;
          await connection.command(`${menu}/remove`, { '.id': itemId });
          removed++;
        }
      }
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    } finally {
      await connection?.close().catch(() => {});
    }
  }
  return { removed, error: errors.length ? errors.join('; ') : null };
}

async function act(kind: 'coa' | 'disconnect', ctx: DynamicContext, which: { serviceId: number } | { hotspotUserId: number }, options: SendOptions): Promise<DynamicResult> {
  const subject = await subjectOf(ctx.db, which);
  if (!subject) return { login: '', routerId: null, sessions: [], fallback: { used: false }, done: false };
  let change: OutAttribute[] = [];
  if (kind === 'coa') {
    const settings = await ctx.db.selectFrom('radius_settings').select('suspended_answer').where('id', '=', 1).executeTakeFirst();
    const decision = subject.record ? decide(subject.record, { suspendedAnswer: settings?.suspended_answer ?? 'address-list', now: (ctx.now ?? (() => new Date()))(), nasRouterId: null }) : null;
    // A login that would now be refused cannot be changed in place: it is disconnected instead.
    if (!decision?.accept) return act('disconnect', ctx, which, options);
    change = decision.attributes.filter(([name]) => name === 'Mikrotik-Rate-Limit' || name === 'Mikrotik-Address-List' || name === 'Session-Timeout');
    if (subject.record?.kind === 'service' && !change.some(([n]) => n === 'Mikrotik-Rate-Limit')) {
      const limit = rateLimitOf(subject.record.plan);
      if (limit) change.push(['Mikrotik-Rate-Limit', limit]);
    }
  }
  const targets = await targetsOf(ctx, subject);
  const sessions: SessionAction[] = [];
  const failedRouters = new Map<number, Set<string>>();
  for (const t of targets) {
    const identify: OutAttribute[] = [['User-Name', t.login]];
    if (t.acctSessionId) identify.push(['Acct-Session-Id', t.acctSessionId]);
    if (t.framedIp) identify.push(['Framed-IP-Address', t.framedIp]);
    const outcome: DynamicOutcome = t.target
      ? await sendDynamic(kind, t.target, [...identify, ...change], options)
      : { ok: false, code: 'error', message: 'The router has no RADIUS secret', attempts: 0 };
    sessions.push({ acctSessionId: t.acctSessionId, nasAddress: t.address, outcome });
    if (!outcome.ok && t.routerId !== null) failedRouters.set(t.routerId, (failedRouters.get(t.routerId) ?? new Set()).add(t.login));
  }
  let fallback: DynamicResult['fallback'] = { used: false };
  if (failedRouters.size) fallback = { used: true, ...(await removeThroughApi(ctx, subject, failedRouters)) };
  const done = sessions.every((s) => s.outcome.ok) || (fallback.used && fallback.error === null);
  return { login: subject.login, routerId: subject.router?.id ?? null, sessions, fallback, done };
}

/**
 * Pushes a service's (or hotspot user's) current speed to its live sessions with a CoA-Request.
 * A login that is no longer to be served is disconnected instead.
 */
export function sendCoa(ctx: DynamicContext, which: { serviceId: number } | { hotspotUserId: number }, options: SendOptions = {}): Promise<DynamicResult> {
  return act('coa', ctx, which, options);
}

/** Ends a service's (or hotspot user's) live sessions with a Disconnect-Request, so it logs in again under the current answer. */
export function sendDisconnect(ctx: DynamicContext, which: { serviceId: number } | { hotspotUserId: number }, options: SendOptions = {}): Promise<DynamicResult> {
  return act('disconnect', ctx, which, options);
}
