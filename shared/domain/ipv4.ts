/**
 * IPv4 addresses and networks as 32-bit unsigned integers, so containment and overlap are range
 * comparisons. Pure: used by the contract (syntax), the back end (allocation rules) and the renderer.
 */

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** "10.0.0.1" → 167772161; null when it is not a dotted-quad address (no leading zeros, no spaces). */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export interface Cidr {
  /** Canonical text, e.g. "10.20.0.0/24". */
  text: string;
  prefix: number;
  first: number;
  last: number;
}

export type CidrVerdict = { ok: true; cidr: Cidr } | { ok: false; message: string };

/**
 * Parses "10.20.0.0/24". Host bits must be zero ("10.20.0.5/24" is refused, naming the network
 * it probably meant), so a stored network always reads the same way.
 */
export function parseCidr(text: string): CidrVerdict {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  const base = m ? parseIpv4(m[1]!) : null;
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || base === null || prefix > 32) return { ok: false, message: `"${text}" is not a network; write it like 10.20.0.0/24` };
  const size = 2 ** (32 - prefix);
  const first = Math.floor(base / size) * size;
  if (first !== base) return { ok: false, message: `${text} has host bits set; the network is ${formatIpv4(first)}/${prefix}` };
  return { ok: true, cidr: { text: `${formatIpv4(first)}/${prefix}`, prefix, first, last: first + size - 1 } };
}

/** Network and broadcast addresses cannot be given to a host, except in /31 and /32 networks (RFC 3021). */
export function reservedAddresses(cidr: Cidr): number[] {
  return cidr.prefix >= 31 ? [] : [cidr.first, cidr.last];
}

export function contains(range: { first: number; last: number }, value: number): boolean {
  return value >= range.first && value <= range.last;
}

export function overlaps(a: { first: number; last: number }, b: { first: number; last: number }): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export interface UsableCount {
  /** Every address in the network. */
  size: number;
  /** Addresses a service could hold: size minus network, broadcast, gateway and excluded ranges. */
  usable: number;
}

/** Counts the addresses a network can hand out; excluded ranges are clipped to the network and may overlap each other. */
export function usableAddresses(cidr: Cidr, gateway: number | null, excluded: readonly { first: number; last: number }[]): UsableCount {
  const size = cidr.last - cidr.first + 1;
  const ranges = excluded
    .map((r) => ({ first: Math.max(r.first, cidr.first), last: Math.min(r.last, cidr.last) }))
    .filter((r) => r.first <= r.last)
    .sort((a, b) => a.first - b.first);
  const merged: { first: number; last: number }[] = [];
  for (const r of ranges) {
    const top = merged.at(-1);
    if (top && r.first <= top.last + 1) top.last = Math.max(top.last, r.last);
    else merged.push({ ...r });
  }
  const inExcluded = (v: number) => merged.some((r) => contains(r, v));
  let removed = merged.reduce((n, r) => n + (r.last - r.first + 1), 0);
  const singles = new Set([...reservedAddresses(cidr), ...(gateway !== null && contains(cidr, gateway) ? [gateway] : [])]);
  for (const v of singles) if (!inExcluded(v)) removed += 1;
  return { size, usable: Math.max(0, size - removed) };
}

export type AddressProblem = 'network' | 'broadcast' | 'gateway' | 'excluded' | null;

/** Why an address of a network cannot be given to a service, or null when it can. */
export function addressProblem(cidr: Cidr, gateway: number | null, excluded: readonly { first: number; last: number }[], value: number): AddressProblem {
  if (cidr.prefix < 31 && value === cidr.first) return 'network';
  if (cidr.prefix < 31 && value === cidr.last) return 'broadcast';
  if (gateway !== null && value === gateway) return 'gateway';
  if (excluded.some((r) => contains(r, value))) return 'excluded';
  return null;
}
