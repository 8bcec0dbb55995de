import { formatRate } from '../network/rate-limit';

/**
 * Data caps, as pure rules. A plan may cap the bytes (download + upload) a service moves in a
 * calendar month (UTC, like every usage figure). Reaching the cap applies the plan's action once
 * for the period: the service is Disabled, or throttled to the cap's speed. The action is lifted
 * when its period has passed, or sooner when the cap no longer applies (removed, raised above the
 * usage, the other action chosen). A service staff set back to Active by hand keeps its open
 * action, so the job does not disable it again in the same period.
 */

export type CapAction = 'disable' | 'throttle';

export interface PlanCap {
  capBytes: number;
  action: CapAction;
  /** Speeds of the throttle action, kbit/s; null for disable. */
  throttleDownloadKbps: number | null;
  throttleUploadKbps: number | null;
}

/** A cap action applied and not lifted yet. */
export interface OpenCapAction {
  id: number;
  /** `YYYY-MM` the action belongs to. */
  period: string;
  action: CapAction;
}

export interface CapFacts {
  serviceId: number;
  status: 'Active' | 'Disabled' | 'Stopped' | 'Pending' | 'Archived';
  cap: PlanCap | null;
  /** Download + upload in the period of the day the rule is asked about. */
  usedBytes: number;
  open: OpenCapAction | null;
}

export type CapDecision =
  | { kind: 'apply'; serviceId: number; period: string; action: CapAction; throttleRate: string | null; usedBytes: number; capBytes: number }
  | { kind: 'lift'; serviceId: number; actionId: number; action: CapAction; reason: 'next period' | 'cap no longer reached' };

/** The period (`YYYY-MM`) of a UTC day. */
export const capPeriodOf = (day: string): string => day.slice(0, 7);

/** The throttle of a cap as the router and the RADIUS answer write it (`upload/download`). */
export function capThrottleRate(cap: PlanCap): string | null {
  if (cap.action !== 'throttle' || !cap.throttleDownloadKbps || !cap.throttleUploadKbps) return null;
  return `${formatRate(cap.throttleUploadKbps)}/${formatRate(cap.throttleDownloadKbps)}`;
}

const reached = (f: CapFacts) => f.cap !== null && f.usedBytes >= f.cap.capBytes;

/** What the cap job must do for one service on a day. */
export function capDecision(day: string, f: CapFacts): CapDecision | null {
  const period = capPeriodOf(day);
  if (f.open) {
    if (f.open.period < period) return { kind: 'lift', serviceId: f.serviceId, actionId: f.open.id, action: f.open.action, reason: 'next period' };
    if (!reached(f) || f.cap!.action !== f.open.action) return { kind: 'lift', serviceId: f.serviceId, actionId: f.open.id, action: f.open.action, reason: 'cap no longer reached' };
    return null;
  }
  // Only a service being served is capped: Stopped, Pending or already Disabled ones move no data.
  if (!reached(f) || f.status !== 'Active') return null;
  const cap = f.cap!;
  return { kind: 'apply', serviceId: f.serviceId, period, action: cap.action, throttleRate: capThrottleRate(cap), usedBytes: f.usedBytes, capBytes: cap.capBytes };
}

/** Every decision for a day, in service order. */
export function capDecisions(day: string, facts: readonly CapFacts[]): CapDecision[] {
  return [...facts]
    .sort((a, b) => a.serviceId - b.serviceId)
    .map((f) => capDecision(day, f))
    .filter((d): d is CapDecision => d !== null);
}
