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

export interface QueueLimits {
  maxLimit: string;
  burstLimit: string | null;
  burstThreshold: string | null;
  burstTime: string | null;
  priority: string | null;
}

/** The simple-queue fields for a plan (same `upload/download` order as the rate limit), or null without speeds. */
export function queueLimits(p: PlanSpeeds): QueueLimits | null {
  if (p.downloadKbps === null || p.uploadKbps === null) return null;
  const pair = (up: number, down: number) => `${formatRate(up)}/${formatRate(down)}`;
  const burst = p.burstDownloadKbps !== null && p.burstUploadKbps !== null && p.burstThresholdPercent !== null && p.burstTimeSeconds !== null;
  const upBurst = p.burstUploadKbps ?? 0;
  const downBurst = p.burstDownloadKbps ?? 0;
  const pct = p.burstThresholdPercent ?? 0;
  return {
    maxLimit: pair(p.uploadKbps, p.downloadKbps),
    burstLimit: burst ? pair(upBurst, downBurst) : null,
    burstThreshold: burst ? pair((upBurst * pct) / 100, (downBurst * pct) / 100) : null,
    burstTime: burst ? `${p.burstTimeSeconds}/${p.burstTimeSeconds}` : null,
    priority: p.priority !== null ? `${p.priority}/${p.priority}` : null,
  };
}

/** The PPP profile's `rate-limit`, or '' when the plan has no speeds. */
export function rateLimit(p: PlanSpeeds): string {
  const q = queueLimits(p);
  if (!q) return '';
  if (!q.burstLimit || !q.burstThreshold || !q.burstTime) return q.maxLimit;
  // Priority is a single number here, and only has a place after the burst fields.
  return [q.maxLimit, q.burstLimit, q.burstThreshold, q.burstTime, ...(p.priority !== null ? [String(p.priority)] : [])].join(' ');
}
