/**
 * What the RADIUS server answers a login: a pure rule over what the datastore holds for it.
 * The server (server.ts) looks the login up and checks the password; this decides the rest.
 */
import { SUSPENDED_ADDRESS_LIST, servingOf, type ServiceStatusName } from '../../../../shared/domain/serving';
import type { SubscriptionStatus } from '../../../../shared/domain/subscription-status';
import type { OutAttribute } from './codec';
import { hotspotPassword, sessionSecondsLeft, voucherState } from '../../../../shared/domain/hotspot';
import { type PlanSpeeds, formatRate, rateLimit, throttleRateLimit } from '../rate-limit';

export type SuspendedAnswer = 'reject' | 'address-list';

/** A subscriber service's login as the server's lookup reads it. */
export interface ServiceLogin {
  kind: 'service';
  serviceId: number;
  /** The password that applies (the service's own, else the subscription's service password). */
  password: string | null;
  serviceStatus: ServiceStatusName;
  subscriptionStatus: SubscriptionStatus;
  /** The router the service is on; a login is only served by its own router when set. */
  routerId: number | null;
  permanentIp: string | null;
  /** Framed-Pool name for dynamic addresses from a chosen pool. */
  pool: string | null;
  plan: PlanSpeeds;
  /** Dunning's throttle rate (`upload/download`) while the subscription is at the throttle stage. */
  throttleRate?: string | null;
}

/** A hotspot login or voucher with its plan's limits and what it has used so far. */
export interface HotspotLogin {
  kind: 'hotspot';
  hotspotUserId: number;
  password: string | null;
  status: 'Active' | 'Disabled' | 'Expired';
  subscriptionStatus: SubscriptionStatus;
  macBinding: string | null;
  firstUsedAt: string | null;
  validityDays: number;
  timeLimitMinutes: number | null;
  dataLimitMb: number | null;
  downloadKbps: number | null;
  uploadKbps: number | null;
  usedSeconds: number;
  usedBytes: number;
}

export type LoginRecord = ServiceLogin | HotspotLogin;

export type { PlanSpeeds };

/** The plan's Mikrotik-Rate-Limit: the same rule as the router's PPP profile (network/rate-limit.ts). */
export function rateLimitOf(p: PlanSpeeds): string | null {
  return rateLimit(p) || null;
}

/**
 * The rate a served service gets: while throttled (dunning's stage or its data cap) the throttle
 * rate, without burst, in place of the plan's. `throttled` tells the two apart.
 */
export function serviceRateLimit(record: ServiceLogin): { limit: string | null; throttled: boolean } {
  const serving = servingOf(record.serviceStatus, record.subscriptionStatus);
  const throttle = serving === 'serve' && record.throttleRate ? throttleRateLimit(record.throttleRate) : null;
  return throttle ? { limit: throttle, throttled: true } : { limit: rateLimitOf(record.plan), throttled: false };
}

export type Decision = { accept: true; attributes: OutAttribute[] } | { accept: false; reason: string };

const GIGA = 2 ** 32;

/**
 * The answer for a login whose password is already verified. `now` decides hotspot validity;
 * `callingStationId` is the client's MAC as the NAS reports it.
 */
export function decide(record: LoginRecord, options: { suspendedAnswer: SuspendedAnswer; now: Date; callingStationId?: string; nasRouterId: number | null }): Decision {
  if (record.kind === 'service') {
    if (record.routerId !== null && options.nasRouterId !== null && record.routerId !== options.nasRouterId) return { accept: false, reason: 'Login belongs to another router' };
    const serving = servingOf(record.serviceStatus, record.subscriptionStatus);
    if (serving === 'none' || serving === 'block') return { accept: false, reason: `Service not served (${record.serviceStatus}, subscription ${record.subscriptionStatus})` };
    const attributes: OutAttribute[] = [];
    if (record.permanentIp) attributes.push(['Framed-IP-Address', record.permanentIp]);
    else if (record.pool) attributes.push(['Framed-Pool', record.pool]);
    if (serving === 'suspend') {
      if (options.suspendedAnswer === 'reject') return { accept: false, reason: 'Subscription suspended' };
      attributes.push(['Mikrotik-Address-List', SUSPENDED_ADDRESS_LIST]);
    }
    const limit = serviceRateLimit(record).limit;
    if (limit) attributes.push(['Mikrotik-Rate-Limit', limit]);
    return { accept: true, attributes };
  }

  // The one status rule (shared/domain/hotspot.ts): what the Hotspot tab shows is what is enforced.
  const facts = { ...record, voidedAt: null };
  const state = voucherState(facts, options.now);
  if (state.status !== 'Active') return { accept: false, reason: state.status === 'Expired' && state.reason ? state.reason : `Hotspot user ${state.status}` };
  const serving = servingOf('Active', record.subscriptionStatus);
  if (serving !== 'serve') return { accept: false, reason: `Subscription ${record.subscriptionStatus}` };
  if (record.macBinding && normaliseMac(options.callingStationId ?? '') !== normaliseMac(record.macBinding)) return { accept: false, reason: 'Bound to another device' };
  const attributes: OutAttribute[] = [];
  // Time left across sessions, never past the end of validity (which this login may start).
  const seconds = sessionSecondsLeft(facts, options.now);
  if (seconds !== null) {
    if (seconds <= 0) return { accept: false, reason: 'Time used up' };
    attributes.push(['Session-Timeout', seconds]);
  }
  if (state.dataLeftBytes !== null) {
    const left = state.dataLeftBytes;
    attributes.push(['Mikrotik-Total-Limit', left % GIGA]);
    if (left >= GIGA) attributes.push(['Mikrotik-Total-Limit-Gigawords', Math.floor(left / GIGA)]);
  }
  if (record.downloadKbps && record.uploadKbps) attributes.push(['Mikrotik-Rate-Limit', `${formatRate(record.uploadKbps)}/${formatRate(record.downloadKbps)}`]);
  return { accept: true, attributes };
}

/** The password a login must give: a hotspot user without one (a voucher) gives its own code. */
export function expectedPassword(record: LoginRecord, login: string): string | null {
  return record.kind === 'hotspot' ? hotspotPassword(record.password, login) : record.password;
}

/** MACs as NAS send them vary (aa-bb-…, AA:BB:…, aabb.cc…); compare bare hex. */
export function normaliseMac(text: string): string {
  return text.replace(/[^0-9a-f]/gi, '').toUpperCase();
}
