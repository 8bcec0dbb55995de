import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { encodeSentence, parseReply, SentenceFramer } from '../../electron/server/network/routeros/protocol';
import type { Attributes, RouterOsConnectOptions } from '../../electron/server/network/routeros/types';
import { MENU_PATHS, MENUS } from './menus';
import { compileQuery, MenuStore, type Outcome, type WriteCounts } from './store';

/**
 * A RouterOS router for tests, e2e runs and benchmarks: the real API wire protocol on 127.0.0.1
 * (plain or api-ssl), the post-6.43 login, and in-memory menus that answer print/add/set/remove/
 * unset the way RouterOS does (traps on duplicates and unknown ids, `!empty` for an empty print,
 * values printed in RouterOS's own form). It misbehaves on demand: `!fatal`, slow replies,
 * dropped connections, replies split into tiny TCP writes, and refusing connections.
 */

export interface RouterOsTestServerOptions {
  user: string;
  password: string;
  /** api-ssl with a self-signed certificate made for this run (its PEM is `ca`). */
  tls?: boolean;
  /** RouterOS before 7.18 answers an empty print with a bare `!done`; default true (7.18+). */
  emptyReplies?: boolean;
  /** Printed by /system/resource/print. */
  version?: string;
}

export interface ReceivedCommand {
  path: string;
  attributes: Attributes;
  queries: string[];
  tag: string | undefined;
}

/** What to do to the next command that matches, instead of answering it. */
export type Misbehaviour =
  /** `!fatal <message>`, then the router closes the connection. */
  | { kind: 'fatal'; message?: string }
  /** The connection is dropped with the command unanswered. */
  | { kind: 'drop' }
  /** The command is never answered (until `/cancel`). */
  | { kind: 'hang' };

export interface Behaviour {
  /** Wait this long before answering each command (a slow router). */
  delayMs: number | ((command: ReceivedCommand) => number);
  /** Write each reply in pieces of this many bytes, one TCP write each (0: whole replies). */
  splitBytes: number;
}

/** Direct access to one menu, behind the client's back: no write is counted. */
export interface TestMenu {
  /** Entries as printed (defaults filled, `.id` first). */
  list(): Attributes[];
  get(id: string): Attributes | undefined;
  /** Entries whose printed properties equal all of `match`. */
  find(match: Attributes): Attributes[];
  /** Adds an entry (read-only properties such as counters allowed); returns its `.id`. Throws on a refusal. */
  add(attributes: Attributes): string;
  set(id: string, attributes: Attributes): void;
  remove(id: string): void;
  clear(): void;
  readonly size: number;
}

export interface RouterOsTestServer {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** The self-signed certificate (PEM) in TLS mode, for the client's `ca`. */
  readonly ca: string | undefined;
  /** Options for connectRouterOs reaching this server as its user. */
  connectOptions(extra?: Partial<RouterOsConnectOptions>): RouterOsConnectOptions;
  menu(path: string): TestMenu;
  /** Attempted writes (add, set, unset, remove; refused ones too) to one menu, or summed over all. */
  writes(path?: string): WriteCounts & { total: number };
  resetCounters(): void;
  /** Every command received since the last resetCounters(), logins included. */
  readonly commands: readonly ReceivedCommand[];
  readonly behaviour: Behaviour;
  /** The next command matching `match` (by default any but `/login`) misbehaves instead of being answered. */
  failNext(misbehaviour: Misbehaviour, match?: (command: ReceivedCommand) => boolean): void;
  /** Connections open now, and successful logins so far. */
  readonly connections: number;
  readonly logins: number;
  /** Drops every open connection (the router rebooting, a link flapping). */
  dropConnections(): void;
  /** Stops listening and drops connections: connects are refused until `up()`. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  readonly isDown: boolean;
  close(): Promise<void>;
}

interface Delayed {
  timer: NodeJS.Timeout | undefined;
  tag: string | undefined;
}

export async function startRouterOsTestServer(options: RouterOsTestServerOptions): Promise<RouterOsTestServer> {
  const host = '127.0.0.1';
  const stores = new Map(MENUS.map((spec) => [spec.path, new MenuStore(spec)]));
  const behaviour: Behaviour = { delayMs: 0, splitBytes: 0 };
  const misbehaviours: { misbehaviour: Misbehaviour; match: (c: ReceivedCommand) => boolean }[] = [];
  let commands: ReceivedCommand[] = [];
  const sockets = new Set<Socket>();
  let logins = 0;
  let isDown = false;
  const emptyReplies = options.emptyReplies ?? true;
  const version = options.version ?? '7.18.2 (stable)';
  const cert = options.tls ? testCertificate() : undefined;

  const store = (path: string): MenuStore => {
    const found = stores.get(path);
    if (!found) throw new Error(`The test router has no menu ${path} (it has ${MENU_PATHS.join(', ')})`);
    return found;
  };

  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const framer = new SentenceFramer();
    const out = new Output(socket, () => behaviour.splitBytes);
    const delayed = new Set<Delayed>();
    let loggedIn = false;

    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      for (const d of delayed) clearTimeout(d.timer);
      delayed.clear();
    });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) {
        if (!frame.ok) {
          socket.destroy();
          return;
        }
        if (frame.words.length > 0) onCommand(frame.words);
        if (socket.destroyed) return;
      }
    });

    const reply = (command: ReceivedCommand, sentences: string[][]) => {
      const tagged = command.tag === undefined ? sentences : sentences.map((s) => [...s, `.tag=${command.tag}`]);
      out.send(Buffer.concat(tagged.map((s) => encodeSentence(s))));
    };

    function onCommand(words: string[]): void {
      const parsed = parseReply(words);
      const command: ReceivedCommand = { path: parsed.type, attributes: parsed.attributes, queries: parsed.other.filter((w) => w.startsWith('?')), tag: parsed.tag };
      commands.push(command);
      const index = misbehaviours.findIndex((m) => m.match(command));
      const misbehaviour = index === -1 ? undefined : misbehaviours.splice(index, 1)[0]!.misbehaviour;
      if (misbehaviour?.kind === 'drop') {
        socket.destroy();
        return;
      }
      if (misbehaviour?.kind === 'fatal') {
        out.send(encodeSentence(['!fatal', misbehaviour.message ?? 'session terminated by the test']), () => socket.end());
        return;
      }
      if (command.path === '/cancel') {
        const target = command.attributes.tag;
        for (const d of [...delayed]) {
          if (target !== undefined && d.tag !== target) continue;
          clearTimeout(d.timer);
          delayed.delete(d);
          reply({ ...command, tag: d.tag }, [['!trap', '=category=2', '=message=interrupted'], ['!done']]);
        }
        reply(command, [['!done']]);
        return;
      }
      if (misbehaviour?.kind === 'hang') {
        delayed.add({ timer: undefined, tag: command.tag });
        return;
      }
      const delay = typeof behaviour.delayMs === 'function' ? behaviour.delayMs(command) : behaviour.delayMs;
      if (delay > 0) {
        const entry: Delayed = { tag: command.tag, timer: undefined };
        entry.timer = setTimeout(() => {
          delayed.delete(entry);
          answer(command);
        }, delay);
        delayed.add(entry);
      } else {
        answer(command);
      }
    }

    function answer(command: ReceivedCommand): void {
      if (socket.destroyed) return;
      if (command.path === '/login') {
        if (command.attributes.name === options.user && command.attributes.password === options.password) {
          loggedIn = true;
          logins++;
          reply(command, [['!done']]);
        } else {
          reply(command, [['!trap', '=message=invalid user name or password (6)'], ['!done']]);
        }
        return;
      }
      if (command.path === '/quit') {
        out.send(encodeSentence(['!fatal', 'session terminated on request']), () => socket.end());
        return;
      }
      if (!loggedIn) {
        reply(command, [['!trap', '=message=not logged in'], ['!done']]);
        return;
      }
      const outcome = execute(command);
      if (!outcome.ok) {
        const trap = ['!trap', ...(outcome.category === undefined ? [] : [`=category=${outcome.category}`]), `=message=${outcome.message}`];
        reply(command, [trap, ['!done']]);
        return;
      }
      const rows = outcome.rows.map((row) => ['!re', ...Object.entries(row).map(([k, v]) => `=${k}=${v}`)]);
      const done = ['!done', ...Object.entries(outcome.done ?? {}).map(([k, v]) => `=${k}=${v}`)];
      const isPrint = /\/(print|getall)$/.test(command.path);
      reply(command, rows.length === 0 && isPrint && emptyReplies && outcome.done === undefined ? [['!empty'], done] : [...rows, done]);
    }
  };

  function execute(command: ReceivedCommand): Outcome {
    if (command.path === '/system/resource/print') {
      return { ok: true, rows: [{ uptime: '1d', version, 'board-name': 'Towerline test router', 'architecture-name': 'x86_64', platform: 'MikroTik' }] };
    }
    if (command.path === '/system/identity/print') return { ok: true, rows: [{ name: 'towerline-test' }] };
    const slash = command.path.lastIndexOf('/');
    const menu = stores.get(command.path.slice(0, slash));
    const verb = command.path.slice(slash + 1);
    if (!menu) return { ok: false, message: 'no such command prefix' };
    const { attributes } = command;
    const refs = (attributes['.id'] ?? attributes.numbers ?? '').split(',').filter((r) => r !== '');
    switch (verb) {
      case 'print':
      case 'getall':
        return print(menu, command);
      case 'add':
        menu.writes.add++;
        return menu.add(attributes);
      case 'set': {
        menu.writes.set++;
        const { '.id': _id, numbers: _numbers, ...values } = attributes;
        return menu.set(refs, values);
      }
      case 'unset':
        menu.writes.set++;
        return menu.unset(refs, attributes['value-name'] ?? '');
      case 'remove':
        menu.writes.remove++;
        return menu.remove(refs);
      default:
        return { ok: false, message: 'no such command' };
    }
  }

  function print(menu: MenuStore, command: ReceivedCommand): Outcome {
    const flags = new Set(['.proplist', 'detail', 'without-paging', 'terse', 'brief', 'stats', 'count-only', 'show-ids']);
    for (const name of Object.keys(command.attributes)) if (!flags.has(name)) return { ok: false, message: `unknown parameter ${name}` };
    const query = compileQuery(command.queries);
    if (!query.ok) return query;
    const rows = menu.list().filter(query.test);
    if ('count-only' in command.attributes) return { ok: true, rows: [], done: { ret: String(rows.length) } };
    const proplist = command.attributes['.proplist'];
    if (proplist === undefined) return { ok: true, rows };
    const wanted = new Set(proplist.split(','));
    return { ok: true, rows: rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => wanted.has(k)))) };
  }

  const server: Server = cert ? createTlsServer({ key: cert.key, cert: cert.cert }, onConnection) : createNetServer(onConnection);
  server.on('error', () => undefined);
  if (cert) server.on('tlsClientError', () => undefined);

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) resolve();
      else server.close(() => resolve());
    });

  const port = await listen(0);

  return {
    host,
    port,
    tls: cert !== undefined,
    ca: cert?.cert,
    connectOptions: (extra = {}) => ({
      host,
      port,
      user: options.user,
      password: options.password,
      ...(cert ? { tls: { ca: cert.cert } } : {}),
      ...extra,
    }),
    menu(path) {
      const s = store(path);
      const check = (outcome: Outcome): Outcome & { ok: true } => {
        if (!outcome.ok) throw new Error(`${path}: ${outcome.message}`);
        return outcome;
      };
      return {
        list: () => s.list(),
        get: (id) => s.printed(id),
        find: (match) => s.list().filter((item) => Object.entries(match).every(([k, v]) => item[k] === v)),
        add: (attributes) => check(s.add(attributes, true)).done!.ret!,
        set: (id, attributes) => void check(s.set([id], attributes, true)),
        remove: (id) => void check(s.remove([id], true)),
        clear: () => s.reset(),
        get size() {
          return s.size;
        },
      };
    },
    writes(path) {
      const counts = path === undefined ? [...stores.values()].map((s) => s.writes) : [store(path).writes];
      const sum = { add: 0, set: 0, remove: 0 };
      for (const c of counts) {
        sum.add += c.add;
        sum.set += c.set;
        sum.remove += c.remove;
      }
      return { ...sum, total: sum.add + sum.set + sum.remove };
    },
    resetCounters() {
      for (const s of stores.values()) Object.assign(s.writes, { add: 0, set: 0, remove: 0 });
      commands = [];
    },
    get commands() {
      return commands;
    },
    behaviour,
    failNext(misbehaviour, match = (c) => c.path !== '/login') {
      misbehaviours.push({ misbehaviour, match });
    },
    get connections() {
      return sockets.size;
    },
    get logins() {
      return logins;
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async down() {
      isDown = true;
      await stopListening();
    },
    async up() {
      if (!isDown) return;
      await listen(port);
      isDown = false;
    },
    get isDown() {
      return isDown;
    },
    async close() {
      isDown = true;
      await stopListening();
    },
  };
}

/**
 * Writes replies in order; in split mode each piece is its own write on a later turn of the
 * event loop, so the client sees sentences (even a sentence's final byte) arrive separately.
 */
class Output {
  private queue: { bytes: Buffer; then: (() => void) | undefined }[] = [];
  private pumping = false;

  constructor(
    private readonly socket: Socket,
    private readonly splitBytes: () => number,
  ) {}

  send(bytes: Buffer, then?: () => void): void {
    if (this.socket.destroyed) return;
    if (!this.pumping && this.splitBytes() <= 0) {
      this.socket.write(bytes);
      then?.();
      return;
    }
    this.queue.push({ bytes, then });
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    while (this.queue.length > 0) {
      const { bytes, then } = this.queue.shift()!;
      const size = Math.max(1, this.splitBytes());
      for (let at = 0; at < bytes.length; at += size) {
        if (this.socket.destroyed) break;
        this.socket.write(bytes.subarray(at, at + size));
        await new Promise((resolve) => setImmediate(resolve));
      }
      then?.();
    }
    this.pumping = false;
  }
}

let certificate: { key: string; cert: string } | undefined;

/** A self-signed certificate for 127.0.0.1, made once per process with the openssl CLI. */
function testCertificate(): { key: string; cert: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'routeros-test-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=routeros-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
        { stdio: 'pipe' },
      );
    } catch (error) {
      throw new Error(`The TLS test router needs the openssl command (Debian: apt-get install openssl): ${(error as Error).message}`);
    }
    certificate = { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
    return certificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
