import { BYTES_PER_MB, hotspotPassword } from '../../../shared/domain/hotspot';
import { SUSPENDED_ADDRESS_LIST, type ServiceStatusName, servingOf } from '../../../shared/domain/serving';
import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';
import { type PlanSpeeds, queueLimits, rateLimit, throttleRateLimit } from './rate-limit';
import type { ValueKind } from './routeros-values';

/**
 * What one router should hold for the datastore now: a pure function of rows read from it.
 * Every object Towerline owns carries a comment marker (`towerline:service=123`,
 * `towerline:plan=7`, `towerline:hotspot=9`, `towerline:profile=suspended`); objects without one
 * are someone else's and are never touched.
 */

/** The menus Towerline writes, in the order adds and edits are applied (removals go in reverse). */
export const MENUS = ['/ppp/profile', '/ppp/secret', '/queue/simple', '/ip/dhcp-server/lease', '/ip/firewall/address-list', '/ip/hotspot/user'] as const;
export type Menu = (typeof MENUS)[number];

/** How each managed attribute is compared (routeros-values.ts). Attributes not listed here are the router's business. */
export const FIELDS: Record<Menu, Record<string, ValueKind>> = {
  '/ppp/profile': { name: 'text', 'rate-limit': 'rates', 'address-list': 'text', comment: 'text' },
  '/ppp/secret': { name: 'text', password: 'text', profile: 'text', 'remote-address': 'address', routes: 'text', disabled: 'bool', comment: 'text' },
  '/queue/simple': { name: 'text', target: 'address', 'max-limit': 'rates', 'burst-limit': 'rates', 'burst-threshold': 'rates', 'burst-time': 'rates', priority: 'rates', disabled: 'bool', comment: 'text' },
  '/ip/dhcp-server/lease': { address: 'address', 'mac-address': 'mac', disabled: 'bool', comment: 'text' },
  '/ip/firewall/address-list': { list: 'text', address: 'address', disabled: 'bool', comment: 'text' },
  '/ip/hotspot/user': { name: 'text', password: 'text', 'mac-address': 'mac', 'limit-uptime': 'duration', 'limit-bytes-total': 'integer', disabled: 'bool', comment: 'text' },
};

export const MARKER_PREFIX = 'towerline:';
export const SUSPENDED_PROFILE = 'towerline-suspended';

export interface DesiredObject {
  menu: Menu;
  /** Identity among Towerline's objects of the menu: the marker, plus the address where one service has several entries. */
  key: string;
  attributes: Record<string, string>;
  serviceId: number | null;
}

export interface ServiceRow {
  serviceId: number;
  serviceStatus: ServiceStatusName;
  subscriptionStatus: SubscriptionStatus;
  planId: number;
  login: string | null;
  /** The password that applies: the service's own, else the subscription's. */
  password: string | null;
  /** The permanent IPv4, only when the assignment is permanent. */
  permanentIpv4: string | null;
  routedNetwork: string | null;
  macs: readonly string[];
  /** Dunning's throttle rate (`upload/download`) while the subscription is at the throttle stage. */
  throttleRate?: string | null;
  /** The data cap's throttle rate (`upload/download`) while the service is over its plan's cap. */
  capRate?: string | null;
}

export interface PlanRow extends PlanSpeeds {
  planId: number;
  name: string;
  qosMode: 'Simple queue' | 'PCQ' | 'RADIUS rate limit' | 'None' | null;
}

export interface HotspotUserRow {
  id: number;
  login: string;
  password: string | null;
  status: 'Active' | 'Disabled' | 'Expired';
  macBinding: string | null;
  subscriptionStatus: SubscriptionStatus;
  timeLimitMinutes: number | null;
  dataLimitMb: number | null;
}

export interface DesiredInput {
  services: readonly ServiceRow[];
  plans: readonly PlanRow[];
  hotspotUsers: readonly HotspotUserRow[];
}

export const serviceMarker = (id: number) => `${MARKER_PREFIX}service=${id}`;
export const planMarker = (id: number) => `${MARKER_PREFIX}plan=${id}`;
export const hotspotMarker = (id: number) => `${MARKER_PREFIX}hotspot=${id}`;
export const SUSPENDED_PROFILE_MARKER = `${MARKER_PREFIX}profile=suspended`;
/** The PPP profile of subscribers dunning throttles for non-payment: the throttle rate, no burst. */
export const THROTTLED_PROFILE = 'towerline-throttled';
export const THROTTLED_PROFILE_MARKER = `${MARKER_PREFIX}profile=throttled`;
export const planProfileName = (planId: number) => `towerline-plan-${planId}`;
/** Data cap throttles differ by plan, so each rate has its profile, named by the rate. */
export const cappedProfileName = (rate: string) => `towerline-capped-${rate.replace('/', '-')}`;
export const cappedProfileMarker = (rate: string) => `${MARKER_PREFIX}profile=capped-${rate}`;

/** The service id a marker names, if it names one. */
export function markedServiceId(comment: string): number | null {
  const m = /^towerline:service=(\d+)$/.exec(comment);
  return m ? Number(m[1]) : null;
}

/** The key of a router object Towerline owns, or null for anyone else's (no marker in its comment). */
export function keyOf(menu: Menu, attributes: Readonly<Record<string, string>>): string | null {
  const comment = (attributes.comment ?? '').trim();
  if (!comment.startsWith(MARKER_PREFIX)) return null;
  if (menu === '/ip/firewall/address-list') return `${comment}|${(attributes.address ?? '').replace(/\/32$/, '')}`;
  return comment;
}

/**
 * Who gets what (servingOf): a served service gets its plan's profile; a suspended or blocked one
 * keeps its login but lands in the `towerline-suspended` address list, by its fixed address where
 * it has one, else through the suspended PPP profile (whose address-list puts the session there
 * when it reconnects: the reconciler drops its active session). Services served by nothing
 * (Archived, Pending, closed subscriptions) have nothing on the router.
 */
export function desiredState(input: DesiredInput): DesiredObject[] {
  const plans = new Map(input.plans.map((p) => [p.planId, p]));
  const out: DesiredObject[] = [];
  const usedPlans = new Set<number>();
  let suspendedProfile = false;
  /** The throttle rate (one setting, so one profile); null while nobody is throttled. */
  let throttledRate: string | null = null;
  /** The data cap throttle rates in use, one profile each. */
  const cappedRates = new Set<string>();

  for (const s of [...input.services].sort((a, b) => a.serviceId - b.serviceId)) {
    const serving = servingOf(s.serviceStatus, s.subscriptionStatus);
    if (serving === 'none') continue;
    const plan = plans.get(s.planId);
    const marker = serviceMarker(s.serviceId);
    const withheld = serving !== 'serve';
    const dunningThrottle = !withheld && s.throttleRate ? throttleRateLimit(s.throttleRate) : null;
    // Dunning's throttle wins over a data cap's: a subscriber in both gets the dunning rate.
    const capThrottle = !withheld && !dunningThrottle && s.capRate ? throttleRateLimit(s.capRate) : null;
    const throttle = dunningThrottle ?? capThrottle;
    const push = (menu: Menu, attributes: Record<string, string>, key = marker) => out.push({ menu, key, attributes: { ...attributes, comment: marker }, serviceId: s.serviceId });

    if (s.login && s.password) {
      let profile = planProfileName(s.planId);
      if (withheld && !s.permanentIpv4) {
        profile = SUSPENDED_PROFILE;
        suspendedProfile = true;
      } else if (dunningThrottle) {
        profile = THROTTLED_PROFILE;
        throttledRate ??= dunningThrottle;
      } else if (capThrottle) {
        profile = cappedProfileName(capThrottle);
        cappedRates.add(capThrottle);
      } else usedPlans.add(s.planId);
      push('/ppp/secret', {
        name: s.login,
        password: s.password,
        profile,
        'remote-address': s.permanentIpv4 ?? '',
        // RouterOS accepts only `dst gateway metric` here, so routes need the fixed address as gateway.
        routes: s.routedNetwork && s.permanentIpv4 ? `${s.routedNetwork} ${s.permanentIpv4} 1` : '',
        disabled: 'false',
      });
    }

    // PPP sessions are limited by their profile; a queue limits subscribers on a fixed address without PPP.
    if (plan?.qosMode === 'Simple queue' && s.permanentIpv4 && !(s.login && s.password)) {
      const planLimits = queueLimits(plan);
      // Throttled for non-payment: the throttle rate with no burst, whatever the plan allows.
      const limits = throttle ? { maxLimit: throttle, burstLimit: null, burstThreshold: null, burstTime: null, priority: planLimits?.priority ?? null } : planLimits;
      if (limits) {
        push('/queue/simple', {
          name: `towerline-service-${s.serviceId}`,
          target: [`${s.permanentIpv4}/32`, ...(s.routedNetwork ? [s.routedNetwork] : [])].join(','),
          'max-limit': limits.maxLimit,
          'burst-limit': limits.burstLimit ?? '0/0',
          'burst-threshold': limits.burstThreshold ?? '0/0',
          'burst-time': limits.burstTime ?? '0/0',
          priority: limits.priority ?? '8/8',
          disabled: 'false',
        });
      }
    }

    const mac = s.macs[0];
    if (s.permanentIpv4 && mac) {
      push('/ip/dhcp-server/lease', { address: s.permanentIpv4, 'mac-address': mac, disabled: 'false' });
    }

    if (withheld && s.permanentIpv4) {
      for (const address of [s.permanentIpv4, ...(s.routedNetwork ? [s.routedNetwork] : [])]) {
        push('/ip/firewall/address-list', { list: SUSPENDED_ADDRESS_LIST, address, disabled: 'false' }, `${marker}|${address}`);
      }
    }
  }

  const profiles: DesiredObject[] = [];
  for (const planId of [...usedPlans].sort((a, b) => a - b)) {
    const plan = plans.get(planId);
    // A plan whose QoS mode is None is not limited by the router.
    const rate = plan && plan.qosMode !== 'None' ? rateLimit(plan) : '';
    profiles.push({ menu: '/ppp/profile', key: planMarker(planId), serviceId: null, attributes: { name: planProfileName(planId), 'rate-limit': rate, 'address-list': '', comment: planMarker(planId) } });
  }
  if (suspendedProfile) {
    profiles.push({
      menu: '/ppp/profile',
      key: SUSPENDED_PROFILE_MARKER,
      serviceId: null,
      attributes: { name: SUSPENDED_PROFILE, 'rate-limit': '', 'address-list': SUSPENDED_ADDRESS_LIST, comment: SUSPENDED_PROFILE_MARKER },
    });
  }
  if (throttledRate) {
    profiles.push({
      menu: '/ppp/profile',
      key: THROTTLED_PROFILE_MARKER,
      serviceId: null,
      attributes: { name: THROTTLED_PROFILE, 'rate-limit': throttledRate, 'address-list': '', comment: THROTTLED_PROFILE_MARKER },
    });
  }

  for (const rate of [...cappedRates].sort()) {
    profiles.push({
      menu: '/ppp/profile',
      key: cappedProfileMarker(rate),
      serviceId: null,
      attributes: { name: cappedProfileName(rate), 'rate-limit': rate, 'address-list': '', comment: cappedProfileMarker(rate) },
    });
  }

  for (const h of [...input.hotspotUsers].sort((a, b) => a.id - b.id)) {
    if (h.status === 'Expired' || h.subscriptionStatus === 'Cancelled' || h.subscriptionStatus === 'Completed') continue;
    const enabled = h.status === 'Active' && h.subscriptionStatus === 'Active';
    const marker = hotspotMarker(h.id);
    out.push({
      menu: '/ip/hotspot/user',
      key: marker,
      serviceId: null,
      attributes: {
        name: h.login,
        password: hotspotPassword(h.password, h.login),
        'mac-address': h.macBinding ?? '',
        'limit-uptime': h.timeLimitMinutes !== null ? `${h.timeLimitMinutes * 60}s` : '',
        'limit-bytes-total': h.dataLimitMb !== null ? String(h.dataLimitMb * BYTES_PER_MB) : '',
        disabled: enabled ? 'false' : 'true',
        comment: marker,
      },
    });
  }
  return [...profiles, ...out];
}
