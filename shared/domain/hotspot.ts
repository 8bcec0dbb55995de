/**
 * Hotspot users and vouchers: the one status rule (what the Hotspot tab shows, what the RADIUS
 * answer enforces, what the expiry job stores) and the one way their limits read.
 *
 * A voucher's validity runs from its first use; its time is counted across every session; its data
 * is download plus upload. Used up or past validity: Expired. Staff can disable a user, or void a
 * whole batch (the record stays, it never logs in again).
 */

/** A plan's data limit is in MB of 1,048,576 bytes: the router's limit-bytes-total and FreeRADIUS use the same. */
export const BYTES_PER_MB = 1_048_576;
const DAY_MS = 86_400_000;

export type StoredHotspotStatus = 'Active' | 'Disabled' | 'Expired';
export const VOUCHER_STATES = ['Active', 'Expired', 'Disabled', 'Voided'] as const;
export type VoucherStateName = (typeof VOUCHER_STATES)[number];

export interface VoucherFacts {
  /** What is stored: staff's Disabled and a stored Expired are final until staff change them. */
  status: StoredHotspotStatus;
  voidedAt: string | null;
  firstUsedAt: string | null;
  validityDays: number;
  timeLimitMinutes: number | null;
  dataLimitMb: number | null;
  /** Seconds of every session so far (the live one up to its last report). */
  usedSeconds: number;
  /** Bytes in and out of every session so far. */
  usedBytes: number;
}

export type ExpiryReason = 'Validity ended' | 'Time used up' | 'Data used up' | 'Marked expired';

export interface VoucherState {
  status: VoucherStateName;
  /** Why it is not Active (null when Active). */
  reason: string | null;
  /** First use plus validity; null until first used. */
  expiresAt: string | null;
  /** Null: no time limit. */
  timeLeftSeconds: number | null;
  /** Null: no data limit. */
  dataLeftBytes: number | null;
}

/** When the validity of a voucher first used at `firstUsedAt` ends. */
export function validityEnd(firstUsedAt: string, validityDays: number): Date {
  return new Date(Date.parse(firstUsedAt) + validityDays * DAY_MS);
}

/** Why the limits alone make it Expired at `now`, or null while something is left. */
export function exhaustion(f: VoucherFacts, now: Date): ExpiryReason | null {
  if (f.firstUsedAt !== null && now.getTime() >= validityEnd(f.firstUsedAt, f.validityDays).getTime()) return 'Validity ended';
  if (f.timeLimitMinutes !== null && f.usedSeconds >= f.timeLimitMinutes * 60) return 'Time used up';
  if (f.dataLimitMb !== null && f.usedBytes >= f.dataLimitMb * BYTES_PER_MB) return 'Data used up';
  return null;
}

/**
 * The one status rule: a function of what is stored, the plan's limits, the usage and `now`, and
 * nothing else, so two vouchers with the same plan, first use and usage always read the same.
 */
export function voucherState(f: VoucherFacts, now: Date): VoucherState {
  const expiresAt = f.firstUsedAt !== null ? validityEnd(f.firstUsedAt, f.validityDays).toISOString() : null;
  const timeLeftSeconds = f.timeLimitMinutes !== null ? Math.max(0, f.timeLimitMinutes * 60 - f.usedSeconds) : null;
  const dataLeftBytes = f.dataLimitMb !== null ? Math.max(0, f.dataLimitMb * BYTES_PER_MB - f.usedBytes) : null;
  const left = { expiresAt, timeLeftSeconds, dataLeftBytes };
  if (f.voidedAt !== null) return { status: 'Voided', reason: 'Voided', ...left };
  if (f.status === 'Disabled') return { status: 'Disabled', reason: 'Disabled by staff', ...left };
  const reason = exhaustion(f, now) ?? (f.status === 'Expired' ? 'Marked expired' : null);
  return reason ? { status: 'Expired', reason, ...left } : { status: 'Active', reason: null, ...left };
}

/**
 * How long a session may last when it starts at `now` (RADIUS Session-Timeout): the time left,
 * and never past the end of validity (which a first login starts). Null: no limit applies.
 */
export function sessionSecondsLeft(f: VoucherFacts, now: Date): number | null {
  const candidates: number[] = [];
  if (f.timeLimitMinutes !== null) candidates.push(f.timeLimitMinutes * 60 - f.usedSeconds);
  const end = f.firstUsedAt !== null ? validityEnd(f.firstUsedAt, f.validityDays).getTime() : now.getTime() + f.validityDays * DAY_MS;
  candidates.push(Math.ceil((end - now.getTime()) / 1000));
  return Math.max(0, Math.min(...candidates));
}

/** A voucher logs in with its code as both name and password unless it has a password (router, FreeRADIUS and the built-in server alike). */
export function hotspotPassword(password: string | null, login: string): string {
  return password !== null && password !== '' ? password : login;
}

// --- How limits read (one formatter, every screen and the printed cards) -------------------------

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Minutes as people read them: "45 min", "1 h 30 min", "24 h", "3 days". */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m >= 2 * 1440 && m % 1440 === 0) return plural(m / 1440, 'day', 'days');
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? `${h.toLocaleString('en-US')} h` : `${h.toLocaleString('en-US')} h ${rest} min`;
}

/** Seconds left, rounded down to whole minutes (under a minute: seconds). */
export function formatSecondsLeft(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s > 0 && s < 60) return `${s} s`;
  return formatMinutes(Math.floor(s / 60));
}

function trimmed(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 1 });
}

/** A data amount in MB of the plan: "500 MB", "2 GB", "1.5 GB". */
export function formatMegabytes(mb: number): string {
  if (mb >= 1024) return `${trimmed(mb / 1024)} GB`;
  return `${trimmed(mb)} MB`;
}

/** Bytes in the same units as the plan's limits. */
export function formatBytes(bytes: number): string {
  const mb = Math.max(0, bytes) / BYTES_PER_MB;
  if (mb < 1) return `${trimmed(Math.max(0, bytes) / 1024)} KB`;
  return formatMegabytes(mb);
}

/** "24 h · 2 GB · valid 1 day": a hotspot plan's time, data and validity in one line (speeds are the caller's). */
export function formatHotspotLimits(p: { timeLimitMinutes: number | null; dataLimitMb: number | null; validityDays?: number | null }): string {
  const parts: string[] = [];
  parts.push(p.timeLimitMinutes !== null ? formatMinutes(p.timeLimitMinutes) : 'unlimited time');
  parts.push(p.dataLimitMb !== null ? formatMegabytes(p.dataLimitMb) : 'unlimited data');
  if (p.validityDays !== undefined && p.validityDays !== null) parts.push(`valid ${plural(p.validityDays, 'day', 'days')}`);
  return parts.join(' · ');
}
