/**
 * The built-in RADIUS server: authentication (PAP, CHAP) and accounting over UDP for the routers
 * (NAS clients) Towerline knows. Every datagram handler catches everything: a bad packet is
 * counted and dropped, never an exception out of the socket.
 */
import dgram from 'node:dgram';
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type BetterSqlite3 from 'better-sqlite3';
import type { Backend } from '../../backend';
import { dataVersion, openConnection, openReadOnly, setBusyTimeout } from '../../db/connection';
import { isBusy } from '../../db/errors';
import { decide, expectedPassword, type Decision, type LoginRecord, type ServiceLogin, type SuspendedAnswer } from './answer';
import { createSessionWriter, reportOf, type SessionWriter } from './accounting';
import {
  Code,
  attrBytes,
  attrText,
  checkMessageAuthenticator,
  decode,
  encodeResponse,
  unhidePassword,
  verifyChap,
  verifySignedRequest,
  type OutAttribute,
  type Packet,
} from './codec';
import { createLookup, type Lookup, type NasClient, type Settings } from './lookup';
import { ServiceLoginCache } from './login-cache';

export const DROP_REASONS = ['unknownClient', 'malformed', 'wrongPort', 'badAuthenticator', 'missingMessageAuthenticator', 'invalidRequest', 'storeFailed', 'internal'] as const;
export type DropReason = (typeof DROP_REASONS)[number];
export const REJECT_REASONS = ['unknownLogin', 'wrongPassword', 'notServed'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface RadiusCounters {
  /** Access-Requests received (before any check). */
  authRequests: number;
  /** Accounting-Requests received. */
  acctRequests: number;
  accepts: number;
  rejects: number;
  rejected: Record<RejectReason, number>;
  accountingResponses: number;
  dropped: Record<DropReason, number>;
}

export interface RadiusServerOptions {
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** 0 picks a free port (tests). Defaults to 1812 and 1813. */
  authPort?: number;
  acctPort?: number;
  /** Socket receive buffer asked of the kernel (it caps this at net.core.rmem_max). Default 8 MiB. */
  receiveBufferBytes?: number;
  /** How often the state and counters are written for `radius.status`; default 2 s. */
  heartbeatMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface RadiusServer {
  readonly host: string;
  readonly authPort: number;
  readonly acctPort: number;
  counters(): RadiusCounters;
  stop(): Promise<void>;
}

export function emptyCounters(): RadiusCounters {
  return {
    authRequests: 0,
    acctRequests: 0,
    accepts: 0,
    rejects: 0,
    rejected: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>,
    accountingResponses: 0,
    dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
  };
}

function bind(socket: dgram.Socket, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}

const samePassword = (given: Buffer, stored: string) => {
  const s = Buffer.from(stored, 'utf8');
  return given.length === s.length && timingSafeEqual(given, s);
};

/** Starts the server on its own datastore connections; resolves once both ports listen. */
export async function startRadiusServer(backend: Pick<Backend, 'datastore' | 'secrets'>, options: RadiusServerOptions = {}): Promise<RadiusServer> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.warn(`[towerline radius] ${line}`));
  const db = backend.datastore.db;
  const reader: BetterSqlite3.Database = openReadOnly(backend.datastore.file);
  const writer: BetterSqlite3.Database = openConnection(backend.datastore.file);
  setBusyTimeout(writer, 0);
  const lookup: Lookup = createLookup(db, reader);
  const sessions: SessionWriter = createSessionWriter(db, writer);
  const counters = emptyCounters();

  // NAS clients, settings and every service login are kept in memory. When another connection
  // (the office) has committed, the writer's data_version moves (not for the server's own
  // accounting writes): clients and settings are read again, and only the services the change log
  // lists since the last look. Hotspot logins are read each time: their usage changes with every
  // accounting packet; logins that are nobody's are remembered until the next commit.
  let clients = new Map<string, NasClient>();
  let settings: Settings = lookup.settings();
  const services = new ServiceLoginCache();
  const nobody = new Set<string>();
  const opened = new Map<string, string>();
  let seenVersion = -1;
  let loaded = false;
  let pruned = 0;
  function refresh() {
    const v = dataVersion(writer);
    if (v === seenVersion) return;
    seenVersion = v;
    if (loaded) services.apply(lookup.servicesChangedSince(services.cursor));
    else services.load(lookup.allServices());
    loaded = true;
    nobody.clear();
    settings = lookup.settings();
    const next = new Map<string, NasClient>();
    for (const r of lookup.routers()) {
      const address = r.address.trim();
      // Clients are told apart by source address, so only routers stored by IP can be one.
      if (!isIP(address)) continue;
      try {
        // Opening a sealed secret may ask the OS keychain: once per sealed value.
        let secret = opened.get(r.sealed);
        if (secret === undefined) opened.set(r.sealed, (secret = backend.secrets.decrypt(r.sealed)));
        next.set(address, { routerId: r.id, name: r.name, secret });
      } catch {
        log(`cannot open the RADIUS secret of router ${r.name}; it is not a client until it is set again`);
      }
    }
    clients = next;
  }
  // A service's answer depends on its record, the NAS and the suspended-answer setting only (not on
  // the time or the device): kept per record object, which the cache replaces when the service changes.
  const decisions = new WeakMap<ServiceLogin, { nasRouterId: number; suspendedAnswer: SuspendedAnswer; decision: Decision }>();
  function serviceDecision(record: ServiceLogin, nasRouterId: number): Decision {
    const known = decisions.get(record);
    if (known && known.nasRouterId === nasRouterId && known.suspendedAnswer === settings.suspendedAnswer) return known.decision;
    const decision = decide(record, { suspendedAnswer: settings.suspendedAnswer, now: now(), nasRouterId });
    decisions.set(record, { nasRouterId, suspendedAnswer: settings.suspendedAnswer, decision });
    return decision;
  }
  function loginOf(name: string): LoginRecord | null {
    const service = services.get(name);
    if (service) return service;
    if (nobody.has(name)) return null;
    const record = lookup.hotspot(name);
    if (record === null) {
      if (nobody.size >= 100_000) nobody.clear();
      nobody.add(name);
    }
    return record;
  }
  refresh();

  const auth = dgram.createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', recvBufferSize: options.receiveBufferBytes ?? 8 * 1024 * 1024 });
  const acct = dgram.createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', recvBufferSize: options.receiveBufferBytes ?? 8 * 1024 * 1024 });
  const drop = (reason: DropReason) => {
    counters.dropped[reason]++;
  };

  // data_version is asked once per turn of the event loop: a commit whose outcome a NAS could
  // know of happened in an earlier turn, so every request still sees it.
  let checked = false;
  const uncheck = () => {
    checked = false;
  };
  function clientOf(address: string): NasClient | undefined {
    if (!checked) {
      checked = true;
      setImmediate(uncheck);
      refresh();
    }
    // An IPv4 client reaching a dual-stack socket shows as ::ffff:a.b.c.d.
    return clients.get(address) ?? (address.startsWith('::ffff:') ? clients.get(address.slice(7)) : undefined);
  }

  function reply(socket: dgram.Socket, request: Packet, code: number, attributes: OutAttribute[], secret: string, rinfo: dgram.RemoteInfo) {
    const out = encodeResponse(code, request.identifier, request.authenticator, attributes, secret);
    socket.send(out, rinfo.port, rinfo.address);
  }

  function reject(socket: dgram.Socket, request: Packet, client: NasClient, rinfo: dgram.RemoteInfo, reason: RejectReason) {
    counters.rejects++;
    counters.rejected[reason]++;
    reply(socket, request, Code.AccessReject, [], client.secret, rinfo);
  }

  function onAuth(msg: Buffer, rinfo: dgram.RemoteInfo) {
    counters.authRequests++;
    const client = clientOf(rinfo.address);
    if (!client) return drop('unknownClient');
    const decoded = decode(msg);
    if (!decoded.ok) return drop('malformed');
    const request = decoded.packet;
    if (request.code !== Code.AccessRequest) return drop('wrongPort');
    const ma = checkMessageAuthenticator(request.raw, client.secret);
    if (ma === 'invalid') return drop('badAuthenticator');
    if (ma === 'absent' && settings.requireMessageAuthenticator) return drop('missingMessageAuthenticator');
    const login = attrText(request, 'User-Name');
    if (!login) return drop('invalidRequest');
    const record = loginOf(login);
    if (!record) return reject(auth, request, client, rinfo, 'unknownLogin');
    const stored = expectedPassword(record, login);
    const pap = attrBytes(request, 'User-Password');
    const chap = attrBytes(request, 'CHAP-Password');
    let ok = false;
    if (stored !== null && stored !== '') {
      if (pap) {
        const clear = unhidePassword(pap, request.authenticator, client.secret);
        ok = clear !== null && samePassword(clear, stored);
      } else if (chap) {
        ok = verifyChap(chap, attrBytes(request, 'CHAP-Challenge') ?? request.authenticator, Buffer.from(stored, 'utf8'));
      }
    }
    if (!ok) return reject(auth, request, client, rinfo, 'wrongPassword');
    const decision = record.kind === 'service' ? serviceDecision(record, client.routerId) : decide(record, { suspendedAnswer: settings.suspendedAnswer, now: now(), callingStationId: attrText(request, 'Calling-Station-Id'), nasRouterId: client.routerId });
    if (!decision.accept) return reject(auth, request, client, rinfo, 'notServed');
    counters.accepts++;
    reply(auth, request, Code.AccessAccept, decision.attributes, client.secret, rinfo);
  }

  function onAcct(msg: Buffer, rinfo: dgram.RemoteInfo) {
    counters.acctRequests++;
    const client = clientOf(rinfo.address);
    if (!client) return drop('unknownClient');
    const decoded = decode(msg);
    if (!decoded.ok) return drop('malformed');
    const request = decoded.packet;
    if (request.code !== Code.AccountingRequest) return drop('wrongPort');
    if (!verifySignedRequest(request.raw, client.secret)) return drop('badAuthenticator');
    if (checkMessageAuthenticator(request.raw, client.secret, Buffer.alloc(16)) === 'invalid') return drop('badAuthenticator');
    const login = attrText(request, 'User-Name');
    const record = login ? loginOf(login) : null;
    const owner = { serviceId: record?.kind === 'service' ? record.serviceId : null, hotspotUserId: record?.kind === 'hotspot' ? record.hotspotUserId : null };
    const report = reportOf(request, { address: rinfo.address, routerId: client.routerId }, now(), owner);
    const respond = () => {
      counters.accountingResponses++;
      reply(acct, request, Code.AccountingResponse, [], client.secret, rinfo);
    };
    if (!report.ok) {
      if (report.reason === 'ignored') return respond();
      return drop('invalidRequest');
    }
    // The answer waits for the commit: a NAS that hears nothing retransmits, so nothing is lost.
    sessions.store(report.report).then(respond, (error: unknown) => {
      drop('storeFailed');
      log(`accounting not stored: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  const guard = (handler: (msg: Buffer, rinfo: dgram.RemoteInfo) => void) => (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    try {
      handler(msg, rinfo);
    } catch (error) {
      drop('internal');
      log(`packet from ${rinfo.address} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  auth.on('message', guard(onAuth));
  acct.on('message', guard(onAcct));
  for (const s of [auth, acct]) s.on('error', (e) => log(`socket error: ${e.message}`));

  let authPort: number;
  let acctPort: number;
  try {
    authPort = await bind(auth, host, options.authPort ?? 1812);
    acctPort = await bind(acct, host, options.acctPort ?? 1813);
  } catch (error) {
    for (const s of [auth, acct]) s.close(() => {});
    sessions.close();
    reader.close();
    writer.close();
    throw error;
  }

  // The state other back ends read for `radius.status` (the server may run in server mode).
  const startedAt = now().toISOString();
  const state = writer.prepare(
    db
      .insertInto('radius_server_state')
      .values({ id: 1, listening: 1, host: '', auth_port: 0, acct_port: 0, started_at: '', heartbeat_at: '', counters: '' })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          listening: eb.ref('excluded.listening'),
          host: eb.ref('excluded.host'),
          auth_port: eb.ref('excluded.auth_port'),
          acct_port: eb.ref('excluded.acct_port'),
          started_at: eb.ref('excluded.started_at'),
          heartbeat_at: eb.ref('excluded.heartbeat_at'),
          counters: eb.ref('excluded.counters'),
        })),
      )
      .compile().sql,
  );
  const writeState = (listening: boolean) => {
    try {
      state.run([1, listening ? 1 : 0, host, authPort, acctPort, startedAt, now().toISOString(), JSON.stringify(counters)]);
    } catch (error) {
      // Busy: the next beat writes it.
      if (!isBusy(error)) log(`state not written: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // The change log is read up to the cursor: what is behind it is of no further use.
  const prune = writer.prepare(db.deleteFrom('radius_login_changes').where('id', '<=', 0).compile().sql);
  const pruneChanges = () => {
    if (services.cursor <= pruned) return;
    try {
      prune.run([services.cursor]);
      pruned = services.cursor;
    } catch (error) {
      if (!isBusy(error)) log(`change log not pruned: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  writeState(true);
  pruneChanges();
  const beat = setInterval(() => {
    writeState(true);
    pruneChanges();
  }, options.heartbeatMs ?? 2000);
  beat.unref();

  let stopped = false;
  return {
    host,
    authPort,
    acctPort,
    counters: () => structuredClone(counters),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(beat);
      await Promise.all([auth, acct].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      sessions.close();
      writeState(false);
      reader.close();
      writer.close();
    },
  };
}
