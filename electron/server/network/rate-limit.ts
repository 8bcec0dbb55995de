/**
 * Plan speeds in RouterOS rate-limit syntax. RouterOS names directions as the router sees them:
 * rx is what it receives from the subscriber (upload), tx what it sends (download), so every
 * pair is written `upload/download`:
 *
 *   rx-rate/tx-rate [rx-burst/tx-burst [rx-threshold/tx-threshold [rx-time/tx-time [priority]]]]
 *
 * e.g. 50 Mbit/s down, 10 up, bursting to 100/20 while the average stays under 40% of the burst,
 * averaged over 16 s: `10M/50M 20M/100M 8M/40M 16/16`.
 */
export interface PlanSpeeds {
  downloadKbps: number | null;
  uploadKbps: number | null;
  burstDownloadKbps: number | null;
  burstUploadKbps: number | null;
  /** Percent of the burst rate (the plan form's rule). */
  burstThresholdPercent: number | null;
  burstTimeSeconds: number | null;
  /** 1 (highest) to 8. */
  priority: number | null;
}

/** kbit/s as RouterOS writes a rate: whole megabits as `M`, otherwise `k`. */
export function formatRate(kbps: number): string {
  const k = Math.round(kbps);
  if (k > 0 && k % 1_000_000 === 0) return `${k / 1_000_000}G`;
  if (k > 0 && k % 1000 === 0) return `${k / 1000}M`;
  return `${k}k`;
}

/** Burst fields the plan leaves blank: MikroTik's usual threshold (75% of the rate) and averaging time. */
export const DEFAULT_BURST_THRESHOLD_PERCENT = 75;
export const DEFAULT_BURST_TIME_SECONDS = 16;

export interface QueueLimits {
  maxLimit: string;
  burstLimit: string | null;
  burstThreshold: string | null;
  burstTime: string | null;
  priority: string | null;
}

/**
 * The simple-queue fields for a plan (same `upload/download` order as the rate limit), or null
 * without speeds. The burst threshold is a percent of the plan's own rate (max-limit): bursting is
 * allowed while the average stays under it, so it must sit below max-limit to ever stop a burst.
 */
export function queueLimits(p: PlanSpeeds): QueueLimits | null {
  if (!p.downloadKbps || !p.uploadKbps) return null;
  const pair = (up: number, down: number) => `${formatRate(up)}/${formatRate(down)}`;
  const burst = !!p.burstDownloadKbps && !!p.burstUploadKbps;
  const pct = p.burstThresholdPercent ?? DEFAULT_BURST_THRESHOLD_PERCENT;
  const time = p.burstTimeSeconds ?? DEFAULT_BURST_TIME_SECONDS;
  const threshold = (kbps: number) => Math.max(1, Math.round((kbps * pct) / 100));
  return {
    maxLimit: pair(p.uploadKbps, p.downloadKbps),
    burstLimit: burst ? pair(p.burstUploadKbps!, p.burstDownloadKbps!) : null,
    burstThreshold: burst ? pair(threshold(p.uploadKbps), threshold(p.downloadKbps)) : null,
    burstTime: burst ? `${time}/${time}` : null,
    priority: p.priority !== null ? `${p.priority}/${p.priority}` : null,
  };
}

/**
 * The plan's rate limit as RouterOS and RADIUS (Mikrotik-Rate-Limit) both take it, or '' when the
 * plan has no speeds: one rule, so the router's PPP profile, the built-in RADIUS server and
 * FreeRADIUS give a subscriber the same speed.
 */
export function rateLimit(p: PlanSpeeds): string {
  const q = queueLimits(p);
  if (!q) return '';
  // Priority only has a place after the three burst pairs; without a burst they are written 0/0.
  const bursts = q.burstLimit && q.burstThreshold && q.burstTime ? [q.burstLimit, q.burstThreshold, q.burstTime] : p.priority !== null ? ['0/0', '0/0', '0/0'] : [];
  return [q.maxLimit, ...bursts, ...(p.priority !== null ? [String(p.priority)] : [])].join(' ');
}

const UNIT_KBPS: Record<string, number> = { '': 0.001, k: 1, M: 1000, G: 1_000_000 };

/**
 * The dunning throttle, a setting written as RouterOS writes a rate pair (`upload/download`, e.g.
 * `512k/2M`), in the same form as a plan's rate (whole megabits as M), or null when it is not a
 * rate pair. A throttled subscriber gets exactly this, with no burst, on the router's PPP profile
 * or queue and in the RADIUS answer alike.
 */
export function throttleRateLimit(rate: string): string | null {
  const m = /^(\d+)([kMG]?)\/(\d+)([kMG]?)$/.exec(rate.trim());
  if (!m) return null;
  const up = Number(m[1]) * UNIT_KBPS[m[2]!]!;
  const down = Number(m[3]) * UNIT_KBPS[m[4]!]!;
  if (up < 1 || down < 1) return null;
  return `${formatRate(up)}/${formatRate(down)}`;
}
