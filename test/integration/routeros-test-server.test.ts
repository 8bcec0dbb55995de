import { connect as netConnect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRouterOs } from '../../electron/server/network/routeros/client';
import { encodeSentence, SentenceFramer } from '../../electron/server/network/routeros/protocol';
import { type RouterOsConnection, RouterOsError } from '../../electron/server/network/routeros/types';
import { MENU_PATHS } from '../routeros/menus';
import { type RouterOsTestServer, startRouterOsTestServer } from '../routeros/server';

/**
 * The test router itself, through the real client: other tests (the reconciler's, e2e,
 * benchmarks) rely on it answering like RouterOS.
 */
let router: RouterOsTestServer;
let api: RouterOsConnection;

async function trap(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RouterOsError);
  expect((error as RouterOsError).kind).toBe('trap');
  return (error as RouterOsError).message;
}

beforeAll(async () => {
  router = await startRouterOsTestServer({ user: 'admin', password: 'pw' });
  api = await connectRouterOs(router.connectOptions({ timeoutMs: 2_000 }));
});

afterEach(async () => {
  if (router.isDown) await router.up();
  for (const path of MENU_PATHS) router.menu(path).clear();
  router.resetCounters();
});

afterAll(async () => {
  await api.close();
  await router.close();
});

describe('the test router', () => {
  it('prints entries with .id first and RouterOS defaults filled in', async () => {
    await api.command('/ppp/secret/add', { name: 'alice', password: 'pw', 'remote-address': '100.64.0.2' });
    expect(await api.command('/ppp/secret/print')).toEqual([
      {
        '.id': '*1',
        name: 'alice',
        service: 'any',
        'caller-id': '',
        password: 'pw',
        profile: 'default',
        'remote-address': '100.64.0.2',
        routes: '',
        'ipv6-routes': '',
        'limit-bytes-in': '0',
        'limit-bytes-out': '0',
        'last-logged-out': '1970-01-01 00:00:00',
        disabled: 'false',
      },
    ]);
  });

  it('prints values the way RouterOS normalises them', async () => {
    await api.command('/queue/simple/add', { name: 'q', target: '100.64.0.7', 'max-limit': '10M/25M', 'limit-at': '512k', 'burst-time': '8', disabled: 'yes' });
    await api.command('/ip/firewall/address-list/add', { list: 'l', address: '100.64.0.7/32', timeout: '90m' });
    await api.command('/ip/firewall/address-list/add', { list: 'l', address: '10.1.2.3/24' });
    await api.command('/ip/dhcp-server/lease/add', { address: '192.168.88.20', 'mac-address': 'aa-bb-cc-dd-ee-0f', 'lease-time': '01:00:00' });
    await api.command('/ip/hotspot/user/add', { name: 'v1', 'limit-uptime': '3600', 'limit-bytes-total': '0100' });
    expect(await api.command('/queue/simple/print', { '.proplist': 'target,max-limit,limit-at,burst-time,disabled' })).toEqual([
      { target: '100.64.0.7/32', 'max-limit': '10000000/25000000', 'limit-at': '512000/512000', 'burst-time': '8s/8s', disabled: 'true' },
    ]);
    expect(await api.command('/ip/firewall/address-list/print', { '.proplist': 'address,timeout' })).toEqual([
      { address: '100.64.0.7', timeout: '1h30m' },
      { address: '10.1.2.0/24' },
    ]);
    expect(await api.command('/ip/dhcp-server/lease/print', { '.proplist': 'mac-address,lease-time' })).toEqual([{ 'mac-address': 'AA:BB:CC:DD:EE:0F', 'lease-time': '1h' }]);
    expect(await api.command('/ip/hotspot/user/print', { '.proplist': 'limit-uptime,limit-bytes-total' })).toEqual([{ 'limit-uptime': '1h', 'limit-bytes-total': '100' }]);
  });

  it('filters prints with queries, including the ?# stack operations', async () => {
    for (const [name, profile, disabled] of [['a', 'p1', 'no'], ['b', 'p2', 'yes'], ['c', 'p1', 'yes']] as const) {
      await api.command('/ppp/secret/add', { name, profile, disabled, ...(name === 'a' ? { comment: 'towerline' } : {}) });
    }
    const names = async (queries: string[]) => (await api.command('/ppp/secret/print', { '.proplist': 'name' }, queries)).map((r) => r.name);
    expect(await names(['?profile=p1'])).toEqual(['a', 'c']);
    expect(await names(['?profile=p1', '?disabled=true'])).toEqual(['c']);
    expect(await names(['?=name=b'])).toEqual(['b']);
    expect(await names(['?comment'])).toEqual(['a']);
    expect(await names(['?-comment'])).toEqual(['b', 'c']);
    expect(await names(['?name=a', '?name=b', '?#|'])).toEqual(['a', 'b']);
    expect(await names(['?profile=p1', '?#!'])).toEqual(['b']);
    expect(await names(['?profile=p1', '?disabled=true', '?#&', '?name=a', '?#|'])).toEqual(['a', 'c']);
    expect(await names(['?>name=a'])).toEqual(['b', 'c']);
    expect(await names(['?<name=b'])).toEqual(['a']);
    expect(await api.command('/ppp/secret/print', { 'count-only': '' }, ['?profile=p1'])).toEqual([{ ret: '2' }]);
  });

  it('traps on duplicates in every menu with a uniqueness rule', async () => {
    const duplicates: [string, Record<string, string>][] = [
      ['/ppp/secret', { name: 'x' }],
      ['/ppp/profile', { name: 'x' }],
      ['/queue/simple', { name: 'x', target: '10.0.0.1' }],
      ['/ip/firewall/address-list', { list: 'x', address: '10.0.0.1' }],
      ['/ip/dhcp-server/lease', { address: '10.0.0.1', 'mac-address': '02:00:00:00:00:01' }],
      ['/ip/hotspot/user', { name: 'x' }],
      ['/ip/hotspot/user/profile', { name: 'x' }],
    ];
    for (const [path, attributes] of duplicates) {
      await api.command(`${path}/add`, attributes);
      expect(await trap(api.command(`${path}/add`, attributes))).toMatch(/^failure: /);
    }
    // The same address on another list, and the same MAC written differently.
    await api.command('/ip/firewall/address-list/add', { list: 'y', address: '10.0.0.1' });
    expect(await trap(api.command('/ip/dhcp-server/lease/add', { address: '10.0.0.2', 'mac-address': '02-00-00-00-00-01' }))).toMatch(/MAC/);
    // A set that would make a duplicate is refused too.
    const [{ ret: id }] = (await api.command('/ppp/secret/add', { name: 'z' })) as [{ ret: string }];
    expect(await trap(api.command('/ppp/secret/set', { '.id': id, name: 'x' }))).toMatch(/same name/);
  });

  it('sets, unsets and removes by id or name, several ids at once, and traps on unknown ones', async () => {
    const secrets = router.menu('/ppp/secret');
    const a = secrets.add({ name: 'a', comment: 'c' });
    const b = secrets.add({ name: 'b' });
    const c = secrets.add({ name: 'c' });
    await api.command('/ppp/secret/set', { '.id': a, password: 'new', disabled: 'true' });
    expect(secrets.get(a)).toMatchObject({ password: 'new', disabled: 'true', comment: 'c' });
    await api.command('/ppp/secret/unset', { numbers: a, 'value-name': 'comment' });
    expect(secrets.get(a)).not.toHaveProperty('comment');
    await api.command('/ppp/secret/set', { numbers: 'b', profile: 'p' });
    expect(secrets.get(b)?.profile).toBe('p');
    expect(await trap(api.command('/ppp/secret/set', { '.id': '*99', password: 'x' }))).toBe('no such item');
    expect(await trap(api.command('/ppp/secret/remove', { '.id': `${a},*99` }))).toBe('no such item');
    expect(secrets.size).toBe(3);
    // A set keeps the entry's place in print order.
    expect(secrets.list().map((s) => s.name)).toEqual(['a', 'b', 'c']);
    await api.command('/ppp/secret/remove', { '.id': `${a},${c}` });
    expect(secrets.list().map((s) => s.name)).toEqual(['b']);
  });

  it('traps on unknown parameters, read-only ones, bad values and missing required ones', async () => {
    expect(await trap(api.command('/ppp/secret/add', { name: 'a', speed: '1M' }))).toBe('unknown parameter speed');
    expect(await trap(api.command('/queue/simple/add', { name: 'q', target: '10.0.0.1', bytes: '1/1' }))).toBe('unknown parameter bytes');
    expect(await trap(api.command('/ppp/secret/add', { name: 'a', disabled: 'maybe' }))).toBe('input does not match any value of disabled');
    expect(await trap(api.command('/queue/simple/add', { name: 'q', target: '10.0.0.300' }))).toBe('invalid value for argument target');
    expect(await trap(api.command('/queue/simple/add', { name: 'q' }))).toBe('failure: target not specified');
    expect(await trap(api.command('/ppp/secret/print', { bogus: '' }))).toBe('unknown parameter bogus');
    expect(await trap(api.command('/ppp/nothing/print'))).toBe('no such command prefix');
    expect(await trap(api.command('/ppp/secret/frobnicate'))).toBe('no such command');
  });

  it('lets sessions in /ppp/active be read and removed but not added through the API', async () => {
    const active = router.menu('/ppp/active');
    const id = active.add({ name: 'alice', address: '100.64.0.2', uptime: '1h', 'session-id': '0x81100001' });
    expect(await trap(api.command('/ppp/active/add', { name: 'bob' }))).toBe('no such command');
    expect(await api.command('/ppp/active/print', { '.proplist': 'name,address,uptime' })).toEqual([{ name: 'alice', address: '100.64.0.2', uptime: '1h' }]);
    await api.command('/ppp/active/remove', { '.id': id });
    expect(active.size).toBe(0);
  });

  it('refuses to change or remove dynamic entries the router made itself', async () => {
    const lists = router.menu('/ip/firewall/address-list');
    const id = lists.add({ list: 'towerline-suspended', address: '100.64.0.5', dynamic: 'true' });
    const queue = router.menu('/queue/simple').add({ name: '<pppoe-alice>', target: '100.64.0.5', dynamic: 'true' });
    expect(await trap(api.command('/ip/firewall/address-list/remove', { '.id': id }))).toBe('failure: can not change dynamic');
    expect(await trap(api.command('/queue/simple/set', { '.id': queue, 'max-limit': '1M/1M' }))).toBe('failure: can not change dynamic');
    expect(await api.command('/ip/firewall/address-list/print', { '.proplist': 'address,dynamic' }, ['?dynamic=true'])).toEqual([{ address: '100.64.0.5', dynamic: 'true' }]);
    // Behind the client's back (a session ending), they go.
    lists.remove(id);
    expect(lists.size).toBe(0);
  });

  it('has the factory default profiles, which cannot be removed', async () => {
    expect((await api.command('/ppp/profile/print', { '.proplist': '.id,name,default' })).map((p) => p.name)).toEqual(['default', 'default-encryption']);
    expect(await trap(api.command('/ppp/profile/remove', { '.id': '*0' }))).toMatch(/default/);
    expect((await api.command('/ip/hotspot/user/profile/print', { '.proplist': 'name' }))).toEqual([{ name: 'default' }]);
  });

  it('counts attempted writes per menu, refused ones too, and not prints or direct changes', async () => {
    router.menu('/queue/simple').add({ name: 'behind-the-back', target: '10.9.9.9' });
    await api.command('/ppp/secret/print');
    expect(router.writes()).toEqual({ add: 0, set: 0, remove: 0, total: 0 });
    await api.command('/ppp/secret/add', { name: 'a' });
    await trap(api.command('/ppp/secret/add', { name: 'a' }));
    await api.command('/ppp/secret/set', { numbers: 'a', password: 'x' });
    await trap(api.command('/ip/firewall/address-list/remove', { '.id': '*7' }));
    expect(router.writes('/ppp/secret')).toEqual({ add: 2, set: 1, remove: 0, total: 3 });
    expect(router.writes('/ip/firewall/address-list').total).toBe(1);
    expect(router.writes().total).toBe(4);
    router.resetCounters();
    expect(router.writes().total).toBe(0);
    expect(router.commands).toEqual([]);
  });

  it('answers nothing but a trap before the login, and !fatal on /quit', async () => {
    const socket = netConnect({ host: router.host, port: router.port });
    const framer = new SentenceFramer();
    const sentences: string[][] = [];
    socket.on('data', (chunk) => sentences.push(...framer.push(chunk).flatMap((f) => (f.ok ? [f.words] : []))));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write(encodeSentence(['/ppp/secret/print', '.tag=a']));
    socket.write(encodeSentence(['/quit']));
    await closed;
    expect(sentences).toEqual([['!trap', '=message=not logged in', '.tag=a'], ['!done', '.tag=a'], ['!fatal', 'session terminated on request']]);
  });

  it('keeps its menus while down, refuses connections, and serves again on the same port', async () => {
    router.menu('/ppp/secret').add({ name: 'kept' });
    await router.down();
    await expect.poll(() => api.closed).toBe(true);
    await expect(connectRouterOs(router.connectOptions())).rejects.toMatchObject({ kind: 'connection' });
    await router.up();
    api = await connectRouterOs(router.connectOptions({ timeoutMs: 2_000 }));
    expect(await api.command('/ppp/secret/print', { '.proplist': 'name' })).toEqual([{ name: 'kept' }]);
  });

  it('answers a cancelled slow command with the interrupted trap', async () => {
    router.behaviour.delayMs = (c) => (c.path === '/ppp/secret/add' ? 5_000 : 0);
    const slow = connectRouterOs(router.connectOptions({ timeoutMs: 500 })).then(async (c) => {
      const error = await c.command('/ppp/secret/add', { name: 'never' }).catch((e: unknown) => e);
      await c.close();
      return error;
    });
    expect(await slow).toMatchObject({ kind: 'timeout' });
    router.behaviour.delayMs = 0;
    expect(router.commands.map((c) => c.path)).toContain('/cancel');
    expect(router.menu('/ppp/secret').size).toBe(0);
  });
});
