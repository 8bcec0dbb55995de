import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RouterOsTestServer, startRouterOsTestServer } from '../../../../test/routeros/server';
import { connectRouterOs } from './client';
import { encodeSentence, SentenceFramer } from './protocol';
import { type RouterOsConnection, RouterOsError } from './types';

let router: RouterOsTestServer;
const open: RouterOsConnection[] = [];

async function connect(extra: Parameters<RouterOsTestServer['connectOptions']>[0] = {}): Promise<RouterOsConnection> {
  const connection = await connectRouterOs(router.connectOptions({ timeoutMs: 2_000, ...extra }));
  open.push(connection);
  return connection;
}

/** The rejection of `promise`, which must reject with a RouterOsError. */
async function refusal(promise: Promise<unknown>): Promise<RouterOsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RouterOsError);
  return error as RouterOsError;
}

beforeAll(async () => {
  router = await startRouterOsTestServer({ user: 'towerline', password: 's3cret' });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  Object.assign(router.behaviour, { delayMs: 0, splitBytes: 0 });
  for (const path of ['/ppp/secret', '/queue/simple', '/ip/firewall/address-list']) router.menu(path).clear();
  router.resetCounters();
  if (router.isDown) await router.up();
});

afterAll(async () => {
  await router.close();
});

describe('connecting', () => {
  it('logs in with the plain post-6.43 login and runs commands', async () => {
    const logins = router.logins;
    const c = await connect();
    expect(router.logins).toBe(logins + 1);
    expect(router.commands[0]).toMatchObject({ path: '/login', attributes: { name: 'towerline', password: 's3cret' } });
    expect(await c.command('/system/identity/print')).toEqual([{ name: 'towerline-test' }]);
    expect(c.closed).toBe(false);
  });

  it('refuses a wrong password as a login error and closes the socket', async () => {
    const before = router.logins;
    const error = await refusal(connectRouterOs(router.connectOptions({ password: 'wrong' })));
    expect(error.kind).toBe('login');
    expect(error.message).toBe('Login refused: invalid user name or password (6)');
    expect(router.logins).toBe(before);
    await expect.poll(() => router.connections).toBe(0);
  });

  it('reports a router that refuses connections', async () => {
    await router.down();
    const error = await refusal(connectRouterOs(router.connectOptions()));
    expect(error.kind).toBe('connection');
    expect(error.message).toMatch(/ECONNREFUSED/);
    await router.up();
    await connect();
  });

  it('gives up on a router that accepts but never answers the login', async () => {
    router.failNext({ kind: 'hang' }, (c) => c.path === '/login');
    const started = Date.now();
    const error = await refusal(connectRouterOs(router.connectOptions({ timeoutMs: 300 })));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect.poll(() => router.connections).toBe(0);
  });

  it('answers the pre-6.43 challenge when the router sends one', async () => {
    const challenge = '9f0c1a2b3c4d5e6f708192a3b4c5d6e7';
    const expected = '00' + createHash('md5').update(Buffer.concat([Buffer.from([0]), Buffer.from('pw'), Buffer.from(challenge, 'hex')])).digest('hex');
    const raw = await rawRouter((words, send) => {
      const tag = words.find((w) => w.startsWith('.tag='))!;
      if (words.includes('=password=pw')) send(['!done', `=ret=${challenge}`, tag]);
      else if (words.includes(`=response=${expected}`)) send(['!done', tag]);
      else send(['!trap', '=message=bad response', tag]);
    });
    const c = await connectRouterOs({ host: '127.0.0.1', port: raw.port, user: 'admin', password: 'pw', timeoutMs: 2_000 });
    await c.close();
    await raw.close();
  });
});

describe('commands', () => {
  it('tells concurrent commands apart by tag even when their replies come back out of order', async () => {
    router.menu('/ppp/secret').add({ name: 'slow' });
    router.menu('/queue/simple').add({ name: 'fast', target: '10.0.0.9' });
    router.behaviour.delayMs = (command) => (command.path === '/ppp/secret/print' ? 150 : 0);
    const c = await connect();
    const finished: string[] = [];
    const [secrets, queues, count] = await Promise.all([
      c.command('/ppp/secret/print', { '.proplist': 'name' }).then((r) => (finished.push('secret'), r)),
      c.command('/queue/simple/print', { '.proplist': 'name,target' }).then((r) => (finished.push('queue'), r)),
      c.command('/queue/simple/print', { 'count-only': '' }).then((r) => (finished.push('count'), r)),
    ]);
    expect(finished).toEqual(['queue', 'count', 'secret']);
    expect(secrets).toEqual([{ name: 'slow' }]);
    expect(queues).toEqual([{ name: 'fast', target: '10.0.0.9/32' }]);
    expect(count).toEqual([{ ret: '1' }]);
    const tags = router.commands.filter((cmd) => cmd.path !== '/login').map((cmd) => cmd.tag);
    expect(new Set(tags).size).toBe(3);
  });

  it('resolves an add with its =ret= and a print with its rows', async () => {
    const c = await connect();
    const [added] = await c.command('/ppp/secret/add', { name: 'alice', password: 'pw', 'remote-address': '100.64.0.2', disabled: 'no' });
    expect(added).toEqual({ ret: '*1' });
    expect(await c.command('/ppp/secret/print', { '.proplist': '.id,name,disabled,remote-address' }, ['?name=alice'])).toEqual([
      { '.id': '*1', name: 'alice', 'remote-address': '100.64.0.2', disabled: 'false' },
    ]);
  });

  it('resolves an empty print answered with !empty (RouterOS 7.18+) to no rows', async () => {
    const c = await connect();
    expect(await c.command('/ppp/secret/print')).toEqual([]);
    expect(await c.command('/ppp/secret/print', {}, ['?name=nobody'])).toEqual([]);
  });

  it('resolves an empty print answered with a bare !done (before 7.18) to no rows', async () => {
    const old = await startRouterOsTestServer({ user: 'a', password: 'b', emptyReplies: false, version: '7.16' });
    const c = await connectRouterOs(old.connectOptions());
    expect(await c.command('/ip/hotspot/user/print')).toEqual([]);
    await c.close();
    await old.close();
  });

  it('rejects a duplicate with the trap and keeps the connection usable', async () => {
    const c = await connect();
    await c.command('/ip/firewall/address-list/add', { list: 'towerline-suspended', address: '100.64.0.9' });
    const error = await refusal(c.command('/ip/firewall/address-list/add', { list: 'towerline-suspended', address: '100.64.0.9' }));
    expect(error.kind).toBe('trap');
    expect(error.message).toBe('failure: already have such entry');
    expect(c.closed).toBe(false);
    expect(await c.command('/ip/firewall/address-list/print', { '.proplist': 'list,address' })).toEqual([{ list: 'towerline-suspended', address: '100.64.0.9' }]);
  });

  it('rejects every pending command when the router sends !fatal, and refuses new ones', async () => {
    const c = await connect();
    router.behaviour.delayMs = (command) => (command.path === '/queue/simple/print' ? 200 : 0);
    const waiting = c.command('/queue/simple/print');
    router.failNext({ kind: 'fatal', message: 'out of memory' });
    const fatal = c.command('/ppp/secret/print');
    for (const error of await Promise.all([refusal(fatal), refusal(waiting)])) {
      expect(error.kind).toBe('fatal');
      expect(error.message).toBe('The router ended the session: out of memory');
    }
    expect(c.closed).toBe(true);
    expect((await refusal(c.command('/ppp/secret/print'))).kind).toBe('fatal');
  });

  it('times out a slow command, cancels it on the router, and goes on', async () => {
    const c = await connect({ timeoutMs: 500 });
    router.behaviour.delayMs = 5_000;
    const error = await refusal(c.command('/ppp/secret/add', { name: 'late' }));
    expect(error.kind).toBe('timeout');
    await expect.poll(() => router.commands.some((cmd) => cmd.path === '/cancel')).toBe(true);
    // Cancelled before the router got to it: nothing was added.
    router.behaviour.delayMs = 0;
    expect(await c.command('/ppp/secret/print')).toEqual([]);
    expect(router.menu('/ppp/secret').size).toBe(0);
    expect(c.closed).toBe(false);
  });

  it('rejects every pending command when the connection drops mid-command', async () => {
    const c = await connect();
    router.behaviour.delayMs = 300;
    const first = c.command('/ppp/secret/print');
    const second = c.command('/queue/simple/print');
    await expect.poll(() => router.commands.length).toBe(3);
    router.dropConnections();
    for (const error of await Promise.all([refusal(first), refusal(second)])) expect(error.kind).toBe('connection');
    expect(c.closed).toBe(true);
    expect((await refusal(c.command('/ppp/secret/print'))).kind).toBe('connection');
  });

  it('rejects the command the router drops the connection on', async () => {
    const c = await connect();
    router.failNext({ kind: 'drop' });
    expect((await refusal(c.command('/ppp/secret/remove', { '.id': '*1' }))).kind).toBe('connection');
  });

  it('reads replies split into tiny TCP writes, down to one byte', async () => {
    const secrets = router.menu('/ppp/secret');
    for (let i = 0; i < 4; i++) secrets.add({ name: `user${i}`, comment: `towerline:service=${i}` });
    // Byte by byte is thousands of event-loop turns: generous on a loaded machine, it is not timed.
    const c = await connect({ timeoutMs: 30_000 });
    const whole = await c.command('/ppp/secret/print', { '.proplist': '.id,name,comment,disabled' });
    for (const splitBytes of [1, 3, 7]) {
      router.behaviour.splitBytes = splitBytes;
      const [a, b] = await Promise.all([c.command('/ppp/secret/print', { '.proplist': '.id,name,comment,disabled' }), c.command('/ppp/secret/print', { '.proplist': '.id,name,comment,disabled' }, ['?name=user3'])]);
      expect(a).toEqual(whole);
      expect(b).toEqual([whole[3]]);
    }
  });

  it('closes with pending commands rejected, and closing twice is harmless', async () => {
    const c = await connect();
    router.behaviour.delayMs = 500;
    const pending = refusal(c.command('/ppp/secret/print'));
    await c.close();
    expect((await pending).kind).toBe('connection');
    expect(c.closed).toBe(true);
    await c.close();
    await expect.poll(() => router.connections).toBe(0);
  });

  it('refuses a command it cannot encode without sending it', async () => {
    const c = await connect();
    const error = await refusal(c.command(''));
    expect(error.kind).toBe('protocol');
    expect(await c.command('/ppp/secret/print')).toEqual([]);
  });
});

describe('a misbehaving router', () => {
  it('skips unknown reply words and untagged sentences, and finishes on !done', async () => {
    const raw = await rawRouter((words, send) => {
      const tag = words.find((w) => w.startsWith('.tag='))!;
      if (words[0] === '/login') return send(['!done', tag]);
      send(['!weird', '=x=1', tag]);
      send(['!re', '=untagged=1']);
      send(['!empty', tag]);
      send(['!futureword', tag]);
      send(['!re', '=.id=*1', tag]);
      send(['!done', tag]);
    });
    const c = await connectRouterOs({ host: '127.0.0.1', port: raw.port, user: 'u', password: 'p' });
    expect(await c.command('/anything')).toEqual([{ '.id': '*1' }]);
    await c.close();
    await raw.close();
  });

  it('turns a broken byte stream into a protocol error and drops the connection', async () => {
    const raw = await rawRouter((words, send, socket) => {
      const tag = words.find((w) => w.startsWith('.tag='))!;
      if (words[0] === '/login') return send(['!done', tag]);
      socket.write(Buffer.from([0xf9, 0xff, 0x00]));
    });
    const c = await connectRouterOs({ host: '127.0.0.1', port: raw.port, user: 'u', password: 'p' });
    const error = await refusal(c.command('/anything'));
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(/invalid word length byte 0xf9/);
    expect(c.closed).toBe(true);
    await raw.close();
  });

  it('keeps a long print that keeps streaming, timing out only on silence', async () => {
    const raw = await rawRouter((words, send) => {
      const tag = words.find((w) => w.startsWith('.tag='))!;
      if (words[0] === '/login') return send(['!done', tag]);
      for (let i = 0; i < 6; i++) setTimeout(() => send(['!re', `=n=${i}`, tag]), 100 * (i + 1));
      if (words[0] === '/print') setTimeout(() => send(['!done', tag]), 100 * 7);
    });
    const c = await connectRouterOs({ host: '127.0.0.1', port: raw.port, user: 'u', password: 'p', timeoutMs: 400 });
    expect(await c.command('/print')).toHaveLength(6);
    // Rows stop and no !done follows: the silence is the timeout.
    expect((await refusal(c.command('/never-done'))).kind).toBe('timeout');
    await c.close();
    await raw.close();
  });

  it('turns a bad port into a connection error, not an exception', async () => {
    const error = await refusal(connectRouterOs({ host: '127.0.0.1', port: 70_000, user: 'u', password: 'p' }));
    expect(error.kind).toBe('connection');
  });

  it('fails the connect when the router hangs up during the login', async () => {
    const raw = await rawRouter((_words, _send, socket) => socket.destroy());
    const error = await refusal(connectRouterOs({ host: '127.0.0.1', port: raw.port, user: 'u', password: 'p' }));
    expect(error.kind).toBe('connection');
    await raw.close();
  });
});

describe('a router sending garbage', () => {
  it('settles every command with a value on 100 connections fed random and mutated replies', async () => {
    let seed = 0xc0ffee;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const int = (n: number) => Math.floor(random() * n);
    let garbage: Buffer = Buffer.alloc(0);
    const raw = await rawRouter((words, send, socket) => {
      const tag = words.find((w) => w.startsWith('.tag='))!;
      if (words[0] === '/login') return send(['!done', tag]);
      // Replies in pieces, then the connection ends: whatever was unparsed must not hang a command.
      for (let at = 0, size = 1; at < garbage.length; at += size, size = 1 + int(9)) socket.write(garbage.subarray(at, at + size));
      socket.end();
    });
    const kinds = new Map<string, number>();
    for (let run = 0; run < 100; run++) {
      const valid = Buffer.concat([
        encodeSentence(['!re', '=.id=*1', '=name=a', '.tag=2']),
        encodeSentence(['!empty', '.tag=3']),
        encodeSentence(['!done', '.tag=2']),
        encodeSentence(['!trap', '=message=x', '.tag=3']),
        encodeSentence(['!fatal', 'bye']),
      ]);
      garbage = Buffer.from(valid);
      for (let m = int(4); m > 0; m--) garbage[int(garbage.length)] = int(256);
      if (run % 3 === 0) garbage = Buffer.from(Array.from({ length: int(200) }, () => int(256)));
      const c = await connectRouterOs({ host: '127.0.0.1', port: raw.port, user: 'u', password: 'p', timeoutMs: 1_000 });
      const outcomes = await Promise.allSettled([c.command('/a'), c.command('/b'), c.command('/c')]);
      for (const o of outcomes) {
        const kind = o.status === 'fulfilled' ? 'resolved' : o.reason instanceof RouterOsError ? o.reason.kind : 'not a RouterOsError';
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      await c.close();
    }
    await raw.close();
    expect(Object.fromEntries(kinds)).not.toHaveProperty('not a RouterOsError');
    // The corpus reaches the interesting outcomes, not only one of them.
    for (const kind of ['resolved', 'fatal', 'connection']) expect(kinds.get(kind) ?? 0).toBeGreaterThan(0);
  });
});

describe('api-ssl', () => {
  let secure: RouterOsTestServer;
  beforeAll(async () => {
    secure = await startRouterOsTestServer({ user: 'towerline', password: 's3cret', tls: true });
  });
  afterAll(async () => {
    await secure.close();
  });

  it('speaks the API over TLS, trusting the router certificate given', async () => {
    const c = await connectRouterOs(secure.connectOptions());
    await c.command('/ppp/secret/add', { name: 'tls-user' });
    expect(await c.command('/ppp/secret/print', { '.proplist': 'name' })).toEqual([{ name: 'tls-user' }]);
    await c.close();
  });

  it('refuses an untrusted certificate unless told not to check it', async () => {
    const { ca: _ca, ...plain } = { ...secure.connectOptions(), ca: undefined };
    const error = await refusal(connectRouterOs({ ...plain, tls: true }));
    expect(error.kind).toBe('connection');
    expect(error.message).toMatch(/self-signed certificate/);
    const c = await connectRouterOs({ ...plain, tls: { rejectUnauthorized: false } });
    expect(await c.command('/system/identity/print')).toEqual([{ name: 'towerline-test' }]);
    await c.close();
  });

  it('reaches nothing when TLS meets a plain API port', async () => {
    const error = await refusal(connectRouterOs(router.connectOptions({ tls: { rejectUnauthorized: false }, timeoutMs: 1_000 })));
    expect(['connection', 'timeout']).toContain(error.kind);
  });
});

/** A bare API peer for replies the test router would never send. */
async function rawRouter(onCommand: (words: string[], send: (words: string[]) => void, socket: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const framer = new SentenceFramer();
    socket.on('data', (chunk) => {
      for (const frame of framer.push(chunk)) if (frame.ok) onCommand(frame.words, (words) => socket.write(encodeSentence(words)), socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
