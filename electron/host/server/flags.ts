import type { RadiusListen } from '../../server/background';

/**
 * The RADIUS flags server mode and the web host share:
 * `--radius-host` (default 127.0.0.1), `--radius-auth-port` (1812), `--radius-acct-port` (1813).
 */
export const RADIUS_FLAGS = {
  'radius-host': { type: 'string' },
  'radius-auth-port': { type: 'string' },
  'radius-acct-port': { type: 'string' },
} as const;

export const RADIUS_DEFAULTS: RadiusListen = { host: '127.0.0.1', authPort: 1812, acctPort: 1813 };

export interface RadiusFlagValues {
  'radius-host'?: string;
  'radius-auth-port'?: string;
  'radius-acct-port'?: string;
}

export function anyRadiusFlag(values: RadiusFlagValues): boolean {
  return values['radius-host'] !== undefined || values['radius-auth-port'] !== undefined || values['radius-acct-port'] !== undefined;
}

/** A port given on the command line; 0 asks the system for a free one (tests). */
function port(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new Error(`--${flag} must be a port number (0-65535), not "${text}"`);
  return n;
}

/** Where RADIUS listens: the flags, else `defaults`. Throws a message naming the bad flag. */
export function radiusListenFrom(values: RadiusFlagValues, defaults: RadiusListen = RADIUS_DEFAULTS): RadiusListen {
  const host = values['radius-host']?.trim() || defaults.host;
  const authPort = port('radius-auth-port', values['radius-auth-port'], defaults.authPort);
  const acctPort = port('radius-acct-port', values['radius-acct-port'], defaults.acctPort);
  if (authPort !== 0 && authPort === acctPort) throw new Error('--radius-auth-port and --radius-acct-port must differ');
  return { host, authPort, acctPort };
}
