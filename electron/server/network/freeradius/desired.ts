import { type ServiceStatusName, SUSPENDED_ADDRESS_LIST, type Serving, servingOf } from '../../../../shared/domain/serving';
import type { SubscriptionStatus } from '../../../../shared/domain/subscription-status';
import { type PlanSpeeds as RateSpeeds, rateLimit } from '../rate-limit';
import { type ServiceLogin, decide, serviceRateLimit } from '../radius/answer';

/**
 * What FreeRADIUS's SQL tables should hold for the datastore now: a pure function of the rows
 * Towerline keeps, so the provisioner only diffs and writes.
 *
 * - Each served login: `Cleartext-Password` in radcheck; `Framed-IP-Address` (permanent address)
 *   and `Framed-Route` (the additional routed network) in radreply; its plan's group in
 *   radusergroup, whose radgroupreply carries `Mikrotik-Rate-Limit`.
 * - Who is accepted, with which address list and rate, is the built-in RADIUS server's own rule
 *   (radius/answer.ts `decide`), so both answer a login alike: a Suspended subscription gets,
 *   per setting, `Auth-Type := Reject` or accepted with `Mikrotik-Address-List =
 *   towerline-suspended` (the walled garden); a Stopped or Disabled service (a data cap's
 *   disable too) or an Inactive subscription is rejected; a throttled one (dunning's throttle
 *   stage, or its data cap) gets the throttle rate as its own `Mikrotik-Rate-Limit` in radreply
 *   instead of its plan's group.
 * - Hotspot users and vouchers: their password, MAC binding, validity, and their hotspot plan's
 *   group (rate limit, Session-Timeout, Mikrotik-Total-Limit).
 * - Each router with a RADIUS secret: a `nas` row, so FreeRADIUS accepts its requests.
 */

export type SuspendedAction = 'reject' | 'address-list';

export interface ServiceRow {
  serviceId: number;
  login: string | null;
  /** The service's own password; null falls back to the subscription's. */
  password: string | null;
  subscriptionPassword: string | null;
  status: ServiceStatusName;
  subscriptionStatus: SubscriptionStatus;
  ipv4Assignment: string;
  ipv4Address: string | null;
  routedNetwork: string | null;
  plan: PlanSpeeds & { id: number };
  /** `upload/download` while throttled (dunning's throttle stage, else the data cap's); null otherwise. */
  throttleRate?: string | null;
}

/** The speeds the one rate-limit rule reads, plus the QoS mode that can switch it off. */
export interface PlanSpeeds extends RateSpeeds {
  qosMode: string | null;
}

export interface HotspotUserRow {
  id: number;
  login: string;
  password: string | null;
  status: 'Active' | 'Disabled' | 'Expired';
  subscriptionStatus: SubscriptionStatus;
  macBinding: string | null;
  firstUsedAt: string | null;
  plan: { id: number; timeLimitMinutes: number | null; dataLimitMb: number | null; downloadKbps: number | null; uploadKbps: number | null; validityDays: number };
}

export interface RouterRow {
  id: number;
  name: string;
  address: string;
  /** Decrypted; null when the router has none (it then gets no nas row). */
  radiusSecret: string | null;
}

export interface AttributeRow {
  /** User name (radcheck, radreply) or group name (radgroupcheck, radgroupreply). */
  name: string;
  attribute: string;
  op: string;
  value: string;
}

export interface UserGroupRow {
  username: string;
  groupname: string;
  priority: number;
}

export interface NasRow {
  nasname: string;
  shortname: string;
  type: string;
  secret: string;
  description: string;
}

export interface FreeradiusState {
  radcheck: AttributeRow[];
  radreply: AttributeRow[];
  radgroupcheck: AttributeRow[];
  radgroupreply: AttributeRow[];
  radusergroup: UserGroupRow[];
  nas: NasRow[];
}

export interface DesiredState {
  state: FreeradiusState;
  /** Logins provisioned (services and hotspot users). */
  users: number;
  groups: number;
  clients: number;
  /** Why something could not be provisioned (no password, a login used twice), for staff. */
  problems: string[];
}

/** Towerline's groups carry this prefix; FreeRADIUS groups of the ISP's own are left alone. */
export const GROUP_PREFIX = 'towerline-';
export const planGroup = (planId: number) => `${GROUP_PREFIX}plan-${planId}`;
export const hotspotGroup = (planId: number) => `${GROUP_PREFIX}hotspot-${planId}`;

/**
 * The plan's Mikrotik-Rate-Limit: the same rule as the router's PPP profile and the built-in
 * RADIUS server (network/rate-limit.ts). Null when the plan limits nothing.
 */
export function mikrotikRateLimit(plan: PlanSpeeds): string | null {
  if (plan.qosMode === 'None') return null;
  return rateLimit(plan) || null;
}

/** A service row as the RADIUS answer rule reads it. */
function loginRecord(s: ServiceRow): ServiceLogin {
  return {
    kind: 'service',
    serviceId: s.serviceId,
    password: s.password ?? s.subscriptionPassword,
    serviceStatus: s.status,
    subscriptionStatus: s.subscriptionStatus,
    // FreeRADIUS answers every client in `nas` alike.
    routerId: null,
    permanentIp: s.ipv4Assignment === 'permanent' ? s.ipv4Address : null,
    pool: null,
    plan: s.plan,
    throttleRate: s.throttleRate ?? null,
  };
}

/** A hotspot user's status in the service vocabulary, so one serving rule applies to both. */
function hotspotServiceStatus(status: HotspotUserRow['status']): ServiceStatusName {
  return status === 'Active' ? 'Active' : status === 'Disabled' ? 'Disabled' : 'Archived';
}

/** RADIUS `Expiration` takes Unix seconds; the validity runs from first use. */
function expirationOf(user: HotspotUserRow): string | null {
  if (!user.firstUsedAt) return null;
  const start = Date.parse(user.firstUsedAt);
  if (Number.isNaN(start)) return null;
  return String(Math.floor(start / 1000) + user.plan.validityDays * 86_400);
}

/** 2^32: Mikrotik-Total-Limit holds the low 32 bits, -Gigawords the rest. */
const GIGAWORD = 4_294_967_296;

export function desiredState(input: { services: ServiceRow[]; hotspotUsers: HotspotUserRow[]; routers: RouterRow[]; suspendedAction: SuspendedAction }): DesiredState {
  const state: FreeradiusState = { radcheck: [], radreply: [], radgroupcheck: [], radgroupreply: [], radusergroup: [], nas: [] };
  const problems: string[] = [];
  const groups = new Map<string, AttributeRow[]>();
  const taken = new Map<string, string>();
  let users = 0;

  // Served logins win a login that another, unserved record also claims.
  const rank: Record<Serving, number> = { serve: 0, suspend: 1, block: 2, none: 3 };
  const services = input.services
    .filter((s) => s.login !== null && s.login !== '')
    .map((s) => ({ s, serving: servingOf(s.status, s.subscriptionStatus) }))
    .filter((x) => x.serving !== 'none')
    .sort((a, b) => rank[a.serving] - rank[b.serving] || a.s.serviceId - b.s.serviceId);

  for (const { s, serving } of services) {
    const login = s.login!;
    const owner = `service #${s.serviceId}`;
    if (taken.has(login)) {
      problems.push(`Login "${login}" of ${owner} is already provisioned for ${taken.get(login)}; not provisioned twice.`);
      continue;
    }
    taken.set(login, owner);
    const record = loginRecord(s);
    // The service branch of the rule reads no clock (only hotspot validity does).
    const decision = decide(record, { suspendedAnswer: input.suspendedAction, now: new Date(0), nasRouterId: null });
    if (!decision.accept) {
      state.radcheck.push({ name: login, attribute: 'Auth-Type', op: ':=', value: 'Reject' });
      users += 1;
      continue;
    }
    const password = record.password;
    if (password === null || password === '') {
      problems.push(`Login "${login}" of ${owner} has no password (neither the service's nor the subscription's); FreeRADIUS would reject it.`);
      continue;
    }
    state.radcheck.push({ name: login, attribute: 'Cleartext-Password', op: ':=', value: password });
    if (s.ipv4Assignment === 'permanent' && s.ipv4Address) state.radreply.push({ name: login, attribute: 'Framed-IP-Address', op: ':=', value: s.ipv4Address });
    // RFC 2865 form "network gateway metric"; gateway 0.0.0.0 routes it to the subscriber's address.
    if (s.routedNetwork) state.radreply.push({ name: login, attribute: 'Framed-Route', op: '+=', value: `${s.routedNetwork} 0.0.0.0 1` });
    for (const [name, value] of decision.attributes) if (name === 'Mikrotik-Address-List') state.radreply.push({ name: login, attribute: name, op: ':=', value: String(value) });
    const rate = mikrotikRateLimit(s.plan);
    const own = serviceRateLimit(record);
    // A throttle is the login's own reply: its plan group's `:=` would otherwise win over it.
    if (own.throttled && own.limit) state.radreply.push({ name: login, attribute: 'Mikrotik-Rate-Limit', op: ':=', value: own.limit });
    else if (rate !== null) {
      const group = planGroup(s.plan.id);
      if (!groups.has(group)) groups.set(group, [{ name: group, attribute: 'Mikrotik-Rate-Limit', op: ':=', value: rate }]);
      state.radusergroup.push({ username: login, groupname: group, priority: 1 });
    }
    users += 1;
  }

  const hotspot = input.hotspotUsers
    .map((u) => ({ u, serving: servingOf(hotspotServiceStatus(u.status), u.subscriptionStatus) }))
    .filter((x) => x.serving !== 'none')
    .sort((a, b) => rank[a.serving] - rank[b.serving] || a.u.id - b.u.id);
  for (const { u, serving } of hotspot) {
    const owner = `hotspot user #${u.id}`;
    if (taken.has(u.login)) {
      problems.push(`Hotspot login "${u.login}" is already provisioned for ${taken.get(u.login)}; not provisioned twice.`);
      continue;
    }
    taken.set(u.login, owner);
    users += 1;
    if (serving !== 'serve' && input.suspendedAction === 'reject') {
      state.radcheck.push({ name: u.login, attribute: 'Auth-Type', op: ':=', value: 'Reject' });
      continue;
    }
    // A voucher logs in with its code as both name and password unless it has a password.
    state.radcheck.push({ name: u.login, attribute: 'Cleartext-Password', op: ':=', value: u.password ?? u.login });
    if (u.macBinding) state.radcheck.push({ name: u.login, attribute: 'Calling-Station-Id', op: '==', value: u.macBinding.toUpperCase() });
    const expiration = expirationOf(u);
    if (expiration) state.radcheck.push({ name: u.login, attribute: 'Expiration', op: ':=', value: expiration });
    if (serving !== 'serve') state.radreply.push({ name: u.login, attribute: 'Mikrotik-Address-List', op: ':=', value: SUSPENDED_ADDRESS_LIST });
    const group = hotspotGroup(u.plan.id);
    if (!groups.has(group)) {
      const rows: AttributeRow[] = [];
      const rate = mikrotikRateLimit({ downloadKbps: u.plan.downloadKbps, uploadKbps: u.plan.uploadKbps, burstDownloadKbps: null, burstUploadKbps: null, burstThresholdPercent: null, burstTimeSeconds: null, priority: null, qosMode: null });
      if (rate) rows.push({ name: group, attribute: 'Mikrotik-Rate-Limit', op: ':=', value: rate });
      if (u.plan.timeLimitMinutes) rows.push({ name: group, attribute: 'Session-Timeout', op: ':=', value: String(u.plan.timeLimitMinutes * 60) });
      if (u.plan.dataLimitMb) {
        const bytes = u.plan.dataLimitMb * 1_048_576;
        rows.push({ name: group, attribute: 'Mikrotik-Total-Limit', op: ':=', value: String(bytes % GIGAWORD) });
        rows.push({ name: group, attribute: 'Mikrotik-Total-Limit-Gigawords', op: ':=', value: String(Math.floor(bytes / GIGAWORD)) });
      }
      groups.set(group, rows);
    }
    if (groups.get(group)!.length > 0) state.radusergroup.push({ username: u.login, groupname: group, priority: 1 });
  }

  for (const rows of groups.values()) state.radgroupreply.push(...rows);

  const nasNames = new Map<string, string>();
  for (const r of [...input.routers].sort((a, b) => a.id - b.id)) {
    if (r.radiusSecret === null || r.radiusSecret === '') continue;
    const address = r.address.trim();
    if (nasNames.has(address)) {
      problems.push(`Router "${r.name}" has the same address (${address}) as "${nasNames.get(address)}"; FreeRADIUS knows one client per address.`);
      continue;
    }
    nasNames.set(address, r.name);
    state.nas.push({ nasname: address, shortname: r.name.slice(0, 32), type: 'other', secret: r.radiusSecret, description: `Towerline router #${r.id}` });
  }

  return { state, users, groups: [...groups.values()].filter((g) => g.length > 0).length, clients: state.nas.length, problems };
}
