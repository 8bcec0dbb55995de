/**
 * Values compared the way RouterOS means them, not the way they happen to be spelt: the router
 * prints `10M` where Towerline wrote `10000k`, `16s` for `16`, `1h` for `01:00:00`, `true` for
 * `yes`, `10.0.0.5` for `10.0.0.5/32`, and upper-case MACs. Without this a sync of an
 * unchanged world would rewrite everything.
 */
export type ValueKind = 'text' | 'bool' | 'rates' | 'duration' | 'address' | 'mac' | 'integer';

const UNITS: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
const SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

/** `1w2d03:04:05`, `1h30m`, `16s`, `16`, `00:01:00` → seconds; null when it is not a duration. */
export function durationSeconds(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  let rest = t;
  let total = 0;
  const clock = /(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(rest);
  if (clock) {
    total += Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
    rest = rest.slice(0, clock.index);
  }
  const part = /(\d+(?:\.\d+)?)(ms|w|d|h|m|s)?/y;
  while (rest.length > 0) {
    part.lastIndex = 0;
    const m = part.exec(rest);
    if (!m || m[0] === '') return null;
    total += Number(m[1]) * (SECONDS[m[2] ?? 's'] ?? 1);
    rest = rest.slice(m[0].length);
  }
  return Math.round(total * 1000) / 1000;
}

/** One token of a rate list: a rate (`10M`, `10000k`, `10000000`) or a duration (`16s`). */
function rateToken(token: string): string {
  const rate = /^(\d+(?:\.\d+)?)([kKMGT]?)$/.exec(token);
  if (rate) return String(Math.round(Number(rate[1]) * (UNITS[rate[2] ?? ''] ?? 1)));
  const seconds = durationSeconds(token);
  return seconds === null ? token : String(seconds);
}

export function normalizeValue(kind: ValueKind, value: string | undefined): string {
  const v = (value ?? '').trim();
  switch (kind) {
    case 'text':
      return v;
    case 'bool':
      return v === 'yes' || v === 'true' ? 'true' : v === '' || v === 'no' || v === 'false' ? 'false' : v;
    case 'integer':
      // 0 is RouterOS's "no limit", the same as leaving it unset.
      return v === '' || Number(v) === 0 ? '' : String(Number(v));
    case 'rates':
      // `10M/50M 20M/100M 8M/40M 16/16 8`: each number canonical, separators kept.
      const canonical = v
        .split(/\s+/)
        .filter(Boolean)
        .map((group) => group.split('/').map(rateToken).join('/'));
      // `0/0` (and `0s/0s`) is RouterOS's "not set".
      return canonical.every((group) => /^0(\/0)*$/.test(group)) ? '' : canonical.join(' ');
    case 'duration': {
      if (v === '' || v === '0s' || v === '0') return '';
      const s = durationSeconds(v);
      return s === null ? v : String(s);
    }
    case 'address':
      return v
        .split(',')
        .map((a) => a.trim().replace(/\/32$/, ''))
        .filter(Boolean)
        .join(',');
    case 'mac':
      return v.toUpperCase().replace(/-/g, ':');
  }
}
