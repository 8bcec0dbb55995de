import { voucherState } from '../../../shared/domain/hotspot';
import { factsOf, hotspotUserRows } from '../services/hotspot';
import type { Backend } from '../backend';
import type { Db } from '../db/open';
import { startPeriodic } from '../jobs/periodic';
import { recordHotspotEvent } from './events';

export const EXPIRY_ACTOR = 'Hotspot expiry job';

/**
 * Stores Expired (with history) for every Active hotspot user the one status rule says is used up
 * or past its validity at `now`. Accounting that uses a voucher up stores it at once (migration
 * 1100's trigger); this catches validity, which ends with no packet at all. Only users already
 * used are read: one never used cannot have run out.
 */
export async function expireHotspotUsers(db: Db, now: Date, actor = EXPIRY_ACTOR): Promise<{ id: number; login: string; reason: string }[]> {
  const rows = await hotspotUserRows(db).where('u.first_used_at', 'is not', null).where('u.status', '=', 'Active').where('u.voided_at', 'is', null).execute();
  const expired: { id: number; login: string; reason: string }[] = [];
  for (const r of rows) {
    const state = voucherState(factsOf(r), now);
    if (state.status !== 'Expired') continue;
    const reason = state.reason ?? 'Expired';
    await db.updateTable('hotspot_users').set({ status: 'Expired', updated_at: now.toISOString() }).where('id', '=', r.id).where('status', '=', 'Active').execute();
    await recordHotspotEvent(db, { hotspotUserId: r.id, at: now, from: 'Active', to: 'Expired', reason, actor });
    expired.push({ id: r.id, login: r.login, reason });
  }
  return expired;
}

export interface HotspotExpiryOptions {
  /** How often to look; a minute by default (a voucher's validity ends to the second, its login is refused at once by the rule). */
  intervalMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
}

/** The periodic job: stores Expired for hotspot users whose validity ended (one transaction per run). */
export function startHotspotExpiry(backend: Backend, options: HotspotExpiryOptions = {}): { stop(): Promise<void>; runNow(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(`[towerline] ${line}`));
  const run = async () => {
    const expired = await backend.datastore.db.transaction().execute((trx) => expireHotspotUsers(trx, now()));
    if (expired.length) log(`hotspot: ${expired.length} hotspot user${expired.length === 1 ? '' : 's'} expired (${expired.slice(0, 5).map((e) => `${e.login}: ${e.reason}`).join(', ')}${expired.length > 5 ? ', …' : ''})`);
  };
  return startPeriodic({ name: 'hotspot expiry', intervalMs: options.intervalMs ?? 60_000, run, log });
}
