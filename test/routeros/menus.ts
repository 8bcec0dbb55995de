import { isIPv4 } from 'node:net';
import type { Attributes } from '../../electron/server/network/routeros/types';

/**
 * The test router's menus: which properties each has, their defaults, and how RouterOS prints
 * what it was given (booleans `true`/`false`, rates in bits per second, durations like `1h30m`,
 * MAC addresses in capitals, a host queue target with its `/32`). A reconciler that compares
 * what it wrote with what it reads back must normalise the same way, or it rewrites everything.
 */

export type Kind = 'text' | 'bool' | 'int' | 'duration' | 'rates' | 'durations' | 'mac' | 'ip' | 'targets' | 'list-address';

export interface FieldSpec {
  kind: Kind;
  /** Printed when the property was never set. Properties without a default are omitted then. */
  default?: string;
  required?: boolean;
  /** Printed by the router but not settable through the API. */
  readOnly?: boolean;
}

export interface UniqueRule {
  keys: readonly string[];
  message: string;
}

export interface MenuSpec {
  path: string;
  fields: Record<string, FieldSpec>;
  unique: readonly UniqueRule[];
  /** `add` and `set` are refused (RouterOS has no such commands there), `remove` is allowed. */
  readOnlyMenu?: boolean;
  /** Entries every router has from the factory (`.id` given). */
  builtins?: readonly Attributes[];
}

const text = (d?: string): FieldSpec => (d === undefined ? { kind: 'text' } : { kind: 'text', default: d });
const disabled: FieldSpec = { kind: 'bool', default: 'false' };
const ro = (kind: Kind, d?: string): FieldSpec => ({ kind, readOnly: true, ...(d === undefined ? {} : { default: d }) });

export const MENUS: readonly MenuSpec[] = [
  {
    path: '/ppp/secret',
    fields: {
      name: { kind: 'text', required: true },
      service: text('any'),
      'caller-id': text(''),
      password: text(''),
      profile: text('default'),
      'local-address': { kind: 'ip' },
      'remote-address': { kind: 'ip' },
      routes: text(''),
      'ipv6-routes': text(''),
      'limit-bytes-in': { kind: 'int', default: '0' },
      'limit-bytes-out': { kind: 'int', default: '0' },
      'last-logged-out': ro('text', '1970-01-01 00:00:00'),
      disabled,
      comment: text(),
    },
    unique: [{ keys: ['name'], message: 'failure: secret with the same name already exists' }],
  },
  {
    path: '/ppp/profile',
    fields: {
      name: { kind: 'text', required: true },
      'local-address': text(),
      'remote-address': text(),
      'rate-limit': text(),
      'address-list': text(''),
      'parent-queue': text(),
      'queue-type': text(),
      'insert-queue-before': text(),
      'session-timeout': { kind: 'duration' },
      'idle-timeout': { kind: 'duration' },
      'dns-server': text(),
      bridge: text(),
      'incoming-filter': text(),
      'outgoing-filter': text(),
      'on-up': text(''),
      'on-down': text(''),
      'only-one': text('default'),
      'change-tcp-mss': text('default'),
      'use-compression': text('default'),
      'use-encryption': text('default'),
      'use-mpls': text('default'),
      'use-upnp': text('default'),
      default: ro('bool', 'false'),
      comment: text(),
    },
    unique: [{ keys: ['name'], message: 'failure: profile with the same name already exists' }],
    builtins: [
      { '.id': '*0', name: 'default', default: 'true' },
      { '.id': '*FFFFFFFE', name: 'default-encryption', 'use-encryption': 'yes', default: 'true' },
    ],
  },
  {
    path: '/ppp/active',
    fields: {
      name: { kind: 'text', required: true },
      service: text('pppoe'),
      'caller-id': text(''),
      address: { kind: 'ip' },
      uptime: { kind: 'duration', default: '0s' },
      encoding: text(''),
      'session-id': text('0x81000000'),
      'limit-bytes-in': { kind: 'int', default: '0' },
      'limit-bytes-out': { kind: 'int', default: '0' },
      radius: { kind: 'bool', default: 'false' },
      comment: text(),
    },
    unique: [],
    readOnlyMenu: true,
  },
  {
    path: '/queue/simple',
    fields: {
      name: { kind: 'text', required: true },
      target: { kind: 'targets', required: true },
      parent: text('none'),
      'packet-marks': text(''),
      priority: text('8/8'),
      queue: text('default-small/default-small'),
      'limit-at': { kind: 'rates', default: '0/0' },
      'max-limit': { kind: 'rates', default: '0/0' },
      'burst-limit': { kind: 'rates', default: '0/0' },
      'burst-threshold': { kind: 'rates', default: '0/0' },
      'burst-time': { kind: 'durations', default: '0s/0s' },
      'bucket-size': text('0.1/0.1'),
      dst: text(),
      time: text(),
      disabled,
      comment: text(),
      invalid: ro('bool', 'false'),
      dynamic: ro('bool', 'false'),
      rate: ro('text', '0/0'),
      'packet-rate': ro('text', '0/0'),
      bytes: ro('text', '0/0'),
      packets: ro('text', '0/0'),
      'queued-bytes': ro('text', '0/0'),
      'queued-packets': ro('text', '0/0'),
    },
    unique: [{ keys: ['name'], message: 'failure: queue with such name already exists' }],
  },
  {
    path: '/ip/firewall/address-list',
    fields: {
      list: { kind: 'text', required: true },
      address: { kind: 'list-address', required: true },
      timeout: { kind: 'duration' },
      disabled,
      comment: text(),
      dynamic: ro('bool', 'false'),
      'creation-time': ro('text', ''),
    },
    unique: [{ keys: ['list', 'address'], message: 'failure: already have such entry' }],
  },
  {
    path: '/ip/dhcp-server/lease',
    fields: {
      address: { kind: 'ip', required: true },
      'mac-address': { kind: 'mac', required: true },
      'client-id': text(),
      server: text('all'),
      'lease-time': { kind: 'duration', default: '0s' },
      'address-lists': text(''),
      'dhcp-option': text(''),
      'block-access': { kind: 'bool', default: 'false' },
      'rate-limit': text(),
      disabled,
      comment: text(),
      dynamic: ro('bool', 'false'),
      blocked: ro('bool', 'false'),
      radius: ro('bool', 'false'),
      status: ro('text', 'waiting'),
    },
    unique: [{ keys: ['mac-address'], message: 'failure: already have static lease with this MAC address' }],
  },
  {
    path: '/ip/hotspot/user',
    fields: {
      name: { kind: 'text', required: true },
      password: text(''),
      profile: text('default'),
      server: text('all'),
      address: { kind: 'ip' },
      'mac-address': { kind: 'mac' },
      email: text(),
      routes: text(),
      'limit-uptime': { kind: 'duration' },
      'limit-bytes-in': { kind: 'int' },
      'limit-bytes-out': { kind: 'int' },
      'limit-bytes-total': { kind: 'int' },
      disabled,
      comment: text(),
      uptime: ro('duration', '0s'),
      'bytes-in': ro('int', '0'),
      'bytes-out': ro('int', '0'),
      'packets-in': ro('int', '0'),
      'packets-out': ro('int', '0'),
      dynamic: ro('bool', 'false'),
    },
    unique: [{ keys: ['name'], message: 'failure: already have user with this name for this server' }],
  },
  {
    path: '/ip/hotspot/user/profile',
    fields: {
      name: { kind: 'text', required: true },
      'rate-limit': text(),
      'shared-users': text('1'),
      'session-timeout': { kind: 'duration' },
      'idle-timeout': text('none'),
      'keepalive-timeout': { kind: 'duration', default: '2m' },
      'status-autorefresh': { kind: 'duration', default: '1m' },
      'address-pool': text('none'),
      'address-list': text(),
      'incoming-filter': text(),
      'outgoing-filter': text(),
      'parent-queue': text(),
      'queue-type': text(),
      'add-mac-cookie': { kind: 'bool', default: 'true' },
      'mac-cookie-timeout': { kind: 'duration', default: '3d' },
      'transparent-proxy': { kind: 'bool', default: 'false' },
      'open-status-page': text('always'),
      'on-login': text(''),
      'on-logout': text(''),
      default: ro('bool', 'false'),
      comment: text(),
    },
    unique: [{ keys: ['name'], message: 'failure: already have profile with such name' }],
    builtins: [{ '.id': '*0', name: 'default', default: 'true' }],
  },
];

export const MENU_PATHS = MENUS.map((m) => m.path);

export type Normalised = { ok: true; value: string } | { ok: false; message: string };

/** What RouterOS stores and prints for `value` given to a property of this kind. */
export function normaliseValue(kind: Kind, name: string, value: string): Normalised {
  const bad: Normalised = { ok: false, message: `invalid value for argument ${name}` };
  switch (kind) {
    case 'text':
      return { ok: true, value };
    case 'bool':
      if (value === 'yes' || value === 'true') return { ok: true, value: 'true' };
      if (value === 'no' || value === 'false') return { ok: true, value: 'false' };
      return { ok: false, message: `input does not match any value of ${name}` };
    case 'int':
      return /^\d+$/.test(value) ? { ok: true, value: String(BigInt(value)) } : bad;
    case 'duration': {
      if (value === 'none') return { ok: true, value };
      const seconds = parseDuration(value);
      return seconds === undefined ? bad : { ok: true, value: formatDuration(seconds) };
    }
    case 'durations': {
      const parts = value.split('/');
      if (parts.length > 2) return bad;
      const seconds = parts.map(parseDuration);
      if (seconds.some((s) => s === undefined)) return bad;
      const [a, b = a] = seconds as number[];
      return { ok: true, value: `${formatDuration(a!)}/${formatDuration(b!)}` };
    }
    case 'rates': {
      const parts = value.split('/');
      if (parts.length > 2) return bad;
      const rates = parts.map(parseRate);
      if (rates.some((r) => r === undefined)) return bad;
      const [a, b = a] = rates as number[];
      return { ok: true, value: `${a}/${b}` };
    }
    case 'mac':
      return /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i.test(value) ? { ok: true, value: value.replaceAll('-', ':').toUpperCase() } : bad;
    case 'ip':
      return isIPv4(value) ? { ok: true, value } : bad;
    case 'targets': {
      const out: string[] = [];
      for (const part of value.split(',')) {
        const prefix = normalisePrefix(part, true);
        if (prefix === undefined) return bad;
        out.push(prefix);
      }
      return { ok: true, value: out.join(',') };
    }
    case 'list-address': {
      if (/^\d+\.\d+\.\d+\.\d+-\d+\.\d+\.\d+\.\d+$/.test(value)) return { ok: true, value };
      if (/^[0-9.\/]+$/.test(value)) {
        const prefix = normalisePrefix(value, false);
        return prefix === undefined ? bad : { ok: true, value: prefix };
      }
      // A DNS name: RouterOS resolves it; the test router keeps it as given.
      return /^[a-z0-9.-]+$/i.test(value) ? { ok: true, value } : bad;
    }
  }
}

/** `10.0.0.7/24` → `10.0.0.0/24`; a host is printed with `/32` in queue targets, bare in address lists. */
function normalisePrefix(value: string, hostWithLength: boolean): string | undefined {
  const [address, lengthText, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined || !isIPv4(address)) return undefined;
  const length = lengthText === undefined ? 32 : /^\d+$/.test(lengthText) ? Number(lengthText) : NaN;
  if (!(length >= 0 && length <= 32)) return undefined;
  const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  const network = (n & mask) >>> 0;
  const dotted = [24, 16, 8, 0].map((s) => (network >>> s) & 0xff).join('.');
  if (length === 32) return hostWithLength ? `${dotted}/32` : dotted;
  return `${dotted}/${length}`;
}

/** Bits per second from `512k`, `10M`, `1.5G` or a plain number. */
export function parseRate(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([kKMG]?)$/.exec(value);
  if (!m) return undefined;
  const factor = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 }[m[2] as '' | 'k' | 'K' | 'M' | 'G'];
  return Math.round(Number(m[1]) * factor);
}

/** Seconds from `1w2d3h4m5s`, `00:10:00`, `1d 02:00:00` or plain seconds. */
export function parseDuration(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  let m = /^(?:(\d+)d\s?)?(\d+):(\d{2}):(\d{2})$/.exec(value);
  if (m) return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  m = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m || value === '') return undefined;
  return Number(m[1] ?? 0) * 604800 + Number(m[2] ?? 0) * 86400 + Number(m[3] ?? 0) * 3600 + Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0);
}

/** RouterOS's print form of a duration: `1h30m`, `3d`, `0s`. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = seconds;
  let out = '';
  for (const [unit, size] of [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) out += `${n}${unit}`;
  }
  return out;
}
