/**
 * The built-in RADIUS server: authentication (PAP, CHAP) and accounting over UDP for the routers
 * (NAS clients) Towerline knows. Every datagram handler catches everything: a bad packet is
 * counted and dropped, never an exception out of the socket.
 */
import dgram from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import type BetterSqlite3 from 'better-sqlite3';
import type { Backend } from '../../backend';
import { dataVersion, openConnection, openReadOnly, setBusyTimeout } from '../../db/connection';
import { isBusy } from '../../db/errors';
import { decide, expectedPassword, type Decision, type LoginRecord, type ServiceLogin, type SuspendedAnswer } from './answer';
import { createSessionWriter, reportOf, type SessionWriter } from './accounting';
import {
  Code,
  RadiusKey,
  attrText,
  checkMessageAuthenticator,
  decode,
  emptyView,
  encodeAttributes,
  encodeResponseWith,
  messageAuthenticatorValid,
  scanRequest,
  unhidePasswordInto,
  verifyChap,
  verifySignedRequest,
  type Packet,
} from './codec';
import { createLookup, type Lookup, type NasClient as StoredClient, type Settings } from './lookup';
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

/** A decision with an Access-Accept's attributes in wire form. */
type Answer = { accept: true; encoded: Buffer } | { accept: false };
const answerOf = (d: Decision): Answer => (d.accept ? { accept: true, encoded: encodeAttributes(d.attributes) } : { accept: false });
const ZERO16 = Buffer.alloc(16);

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

/** A NAS client with its secret made ready for hashing (once per secret, not per packet). */
interface NasClient extends StoredClient {
  key: RadiusKey;
}

/** Constant-time over the stored password's length: no early exit on the first differing octet. */
function samePassword(given: Uint8Array, givenLength: number, stored: Buffer): boolean {
  if (givenLength !== stored.length) return false;
  let diff = 0;
  for (let i = 0; i < givenLength; i++) diff |= given[i]! ^ stored[i]!;
  return diff === 0;
}

/**
 * IP literals need no resolver: dgram's default lookup goes through dns.lookup and a nextTick for
 * every datagram sent. Names (a --radius-host of localhost) still resolve.
 */
export const literalLookup = (address: string, family: number | object, callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void) => {
  const v = isIP(address);
  if (v !== 0) return callback(null, address, v);
  dnsLookup(address, typeof family === 'number' ? family : 0, callback);
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
  const keys = new Map<string, RadiusKey>();
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
        let key = keys.get(secret);
        if (key === undefined) keys.set(secret, (key = new RadiusKey(secret)));
        next.set(address, { routerId: r.id, name: r.name, secret, key });
      } catch {
        log(`cannot open the RADIUS secret of router ${r.name}; it is not a client until it is set again`);
      }
    }
    clients = next;
  }
  // A service's answer depends on its record, the NAS and the suspended-answer setting only (not on
  // the time or the device): kept per record object, which the cache replaces when the service changes.
  // The reply's attributes are kept in wire form beside it.
  const decisions = new WeakMap<ServiceLogin, { nasRouterId: number; suspendedAnswer: SuspendedAnswer; answer: Answer }>();
  function serviceAnswer(record: ServiceLogin, nasRouterId: number): Answer {
    const known = decisions.get(record);
    if (known && known.nasRouterId === nasRouterId && known.suspendedAnswer === settings.suspendedAnswer) return known.answer;
    const answer = answerOf(decide(record, { suspendedAnswer: settings.suspendedAnswer, now: now(), nasRouterId }));
    decisions.set(record, { nasRouterId, suspendedAnswer: settings.suspendedAnswer, answer });
    return answer;
  }
  // The password a login must give, as octets, per record object (replaced when the service changes).
  const storedPasswords = new WeakMap<LoginRecord, Buffer | null>();
  function storedPassword(record: LoginRecord, login: string): Buffer | null {
    if (record.kind === 'service') {
      const known = storedPasswords.get(record);
      if (known !== undefined) return known;
    }
    const text = expectedPassword(record, login);
    const bytes = text === null || text === '' ? null : Buffer.from(text, 'utf8');
    if (record.kind === 'service') storedPasswords.set(record, bytes);
    return bytes;
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

  const socketOptions: dgram.SocketOptions = { type: isIP(host) === 6 ? 'udp6' : 'udp4', recvBufferSize: options.receiveBufferBytes ?? 8 * 1024 * 1024, lookup: literalLookup };
  const auth = dgram.createSocket(socketOptions);
  const acct = dgram.createSocket(socketOptions);
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

  function reply(socket: dgram.Socket, request: Packet, code: number, encoded: Uint8Array, client: NasClient, rinfo: dgram.RemoteInfo) {
    socket.send(encodeResponseWith(code, request.identifier, request.authenticator, 0, encoded, client.key), rinfo.port, rinfo.address);
  }

  const NO_ATTRIBUTES = Buffer.alloc(0);
  const view = emptyView();
  const clear = Buffer.alloc(128);

  function reject(msg: Buffer, client: NasClient, rinfo: dgram.RemoteInfo, reason: RejectReason) {
    counters.rejects++;
    counters.rejected[reason]++;
    auth.send(encodeResponseWith(Code.AccessReject, view.identifier, msg, 4, NO_ATTRIBUTES, client.key), rinfo.port, rinfo.address);
  }

  // Access-Requests are read in place (scanRequest): no attribute objects, no copies, the secret's
  // hashing state prepared once per client, the reply's attributes encoded once per answer.
  function onAuth(msg: Buffer, rinfo: dgram.RemoteInfo) {
    counters.authRequests++;
    const client = clientOf(rinfo.address);
    if (!client) return drop('unknownClient');
    const request = scanRequest(msg, view);
    if (!request) return drop('malformed');
    if (request.code !== Code.AccessRequest) return drop('wrongPort');
    const ma = request.messageAuthenticator;
    if (ma === -2 || (ma >= 0 && !messageAuthenticatorValid(msg, ma, client.key))) return drop('badAuthenticator');
    if (ma === -1 && settings.requireMessageAuthenticator) return drop('missingMessageAuthenticator');
    const at = request.userName;
    const login = at < 0 ? '' : msg.toString('utf8', at + 2, at + msg[at + 1]!);
    if (!login) return drop('invalidRequest');
    const record = loginOf(login);
    if (!record) return reject(msg, client, rinfo, 'unknownLogin');
    const stored = storedPassword(record, login);
    let ok = false;
    if (stored !== null) {
      if (request.userPassword >= 0) {
        const p = request.userPassword;
        const n = unhidePasswordInto(msg, p + 2, msg[p + 1]! - 2, msg, 4, client.key, clear);
        ok = n >= 0 && samePassword(clear, n, stored);
      } else if (request.chapPassword >= 0) {
        const c = request.chapPassword;
        const challenge = request.chapChallenge >= 0 ? msg.subarray(request.chapChallenge + 2, request.chapChallenge + msg[request.chapChallenge + 1]!) : msg.subarray(4, 20);
        ok = verifyChap(msg.subarray(c + 2, c + msg[c + 1]!), challenge, stored);
      }
    }
    if (!ok) return reject(msg, client, rinfo, 'wrongPassword');
    const answer = record.kind === 'service' ? serviceAnswer(record, client.routerId) : hotspotAnswer(record, msg, request.callingStationId, client.routerId);
    if (!answer.accept) return reject(msg, client, rinfo, 'notServed');
    counters.accepts++;
    auth.send(encodeResponseWith(Code.AccessAccept, request.identifier, msg, 4, answer.encoded, client.key), rinfo.port, rinfo.address);
  }

  function hotspotAnswer(record: LoginRecord, msg: Buffer, callingAt: number, nasRouterId: number): Answer {
    const callingStationId = callingAt < 0 ? undefined : msg.toString('utf8', callingAt + 2, callingAt + msg[callingAt + 1]!);
    return answerOf(decide(record, { suspendedAnswer: settings.suspendedAnswer, now: now(), callingStationId, nasRouterId }));
  }

  function onAcct(msg: Buffer, rinfo: dgram.RemoteInfo) {
    counters.acctRequests++;
    const client = clientOf(rinfo.address);
    if (!client) return drop('unknownClient');
    const decoded = decode(msg);
    if (!decoded.ok) return drop('malformed');
    const request = decoded.packet;
    if (request.code !== Code.AccountingRequest) return drop('wrongPort');
    if (!verifySignedRequest(request.raw, client.key)) return drop('badAuthenticator');
    if (checkMessageAuthenticator(request.raw, client.key, ZERO16) === 'invalid') return drop('badAuthenticator');
    const login = attrText(request, 'User-Name');
    const record = login ? loginOf(login) : null;
    const owner = { serviceId: record?.kind === 'service' ? record.serviceId : null, hotspotUserId: record?.kind === 'hotspot' ? record.hotspotUserId : null };
    const report = reportOf(request, { address: rinfo.address, routerId: client.routerId }, now(), owner);
    const respond = () => {
      counters.accountingResponses++;
      reply(acct, request, Code.AccountingResponse, NO_ATTRIBUTES, client, rinfo);
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
