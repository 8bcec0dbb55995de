/**
 * The counting rules of usage accounting, pure. A NAS reports running totals per session; what a
 * report adds is its counters minus the counters last counted for that session, so a duplicated,
 * retransmitted or late packet adds nothing and the rollups never count a byte twice.
 */

/** 2^32: where a 32-bit Octets counter wraps (a NAS without Gigawords starts again at 0). */
export const WRAP = 2 ** 32;

export interface Counters {
  /** Acct-Session-Time: orders the reports of one session (it only grows). */
  sessionSeconds: number;
  /** Bytes as reported: Gigawords × 2^32 + Octets. Input is what the subscriber sent (upload). */
  input: number;
  output: number;
}

export interface Advance {
  /** The counters to keep for the session: the newer of the two readings. */
  next: Counters;
  uploadBytes: number;
  downloadBytes: number;
  seconds: number;
}

/**
 * What one counter added since the last reading. A counter that went down in a newer report
 * wrapped when both readings fit in 32 bits (no Gigawords: the count went past 2^32 and started
 * over); one wrap is assumed, which holds while interim updates come more often than 2^32 bytes
 * (4 GiB) pass. A 64-bit counter going down was reset by the NAS: what it holds now is new.
 */
export function counterDelta(previous: number, current: number): number {
  if (current >= previous) return current - previous;
  if (previous < WRAP && current < WRAP) return WRAP - previous + current;
  return current;
}

/**
 * Counts one report against the counters last counted (null: the first report of the session,
 * whose counters all count). A report older than the last one counted (smaller session time) adds
 * nothing: the newer report already includes its bytes. One with the same session time counts
 * only growth, so a duplicate adds nothing.
 */
export function advance(previous: Counters | null, report: Counters): Advance {
  if (previous === null) return { next: report, uploadBytes: report.input, downloadBytes: report.output, seconds: report.sessionSeconds };
  if (report.sessionSeconds < previous.sessionSeconds) return { next: previous, uploadBytes: 0, downloadBytes: 0, seconds: 0 };
  if (report.sessionSeconds === previous.sessionSeconds) {
    // Same moment (a duplicate, or a Start and an Interim within a second): only growth counts.
    const up = Math.max(0, report.input - previous.input);
    const down = Math.max(0, report.output - previous.output);
    return { next: { sessionSeconds: report.sessionSeconds, input: Math.max(report.input, previous.input), output: Math.max(report.output, previous.output) }, uploadBytes: up, downloadBytes: down, seconds: 0 };
  }
  return {
    next: report,
    uploadBytes: counterDelta(previous.input, report.input),
    downloadBytes: counterDelta(previous.output, report.output),
    seconds: report.sessionSeconds - previous.sessionSeconds,
  };
}

/** The UTC hour (`YYYY-MM-DDTHH`) and day (`YYYY-MM-DD`) an ISO instant falls in. */
export function hourOf(iso: string): string {
  return iso.slice(0, 13);
}
export function dayOfInstant(iso: string): string {
  return iso.slice(0, 10);
}

export interface RollupRow {
  serviceId: number;
  key: string;
  downloadBytes: number;
  uploadBytes: number;
}

/** Sums deltas per service and hour (or day): the shape the rollup tables hold. */
export function rollup(deltas: readonly { serviceId: number; at: string; downloadBytes: number; uploadBytes: number }[], period: 'hour' | 'day'): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const d of deltas) {
    const key = period === 'hour' ? hourOf(d.at) : dayOfInstant(d.at);
    const id = `${d.serviceId}\u0000${key}`;
    const row = rows.get(id);
    if (row) {
      row.downloadBytes += d.downloadBytes;
      row.uploadBytes += d.uploadBytes;
    } else rows.set(id, { serviceId: d.serviceId, key, downloadBytes: d.downloadBytes, uploadBytes: d.uploadBytes });
  }
  return [...rows.values()];
}

/** Every day from `from` to `to` inclusive (ISO dates, UTC). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The first and last day of the calendar month (UTC) a day falls in. */
export function monthOf(day: string): { from: string; to: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}
