import type { Backend } from '../backend';
import type { Db } from '../db/open';
import { startPeriodic } from '../jobs/periodic';
import { getUsageSettings } from './queries';

export interface CleanupResult {
  hourly: number;
  daily: number;
  sessions: number;
  staleClosed: number;
}

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

/**
 * Applies the retention settings: hourly and daily figures and ended sessions older than kept are
 * deleted; a live session nobody reported on for the stale hours lost its Stop (the NAS rebooted,
 * the Stop was dropped) and is closed where it was last seen, so "online now" stays true.
 */
export async function cleanUpUsage(db: Db, now: Date): Promise<CleanupResult> {
  const s = await getUsageSettings(db);
  return db.transaction().execute(async (trx) => {
    const hourly = await trx.deleteFrom('usage_hourly').where('hour', '<', ago(now, s.hourlyDays * 86_400_000).slice(0, 13)).executeTakeFirst();
    const daily = await trx.deleteFrom('usage_daily').where('day', '<', ago(now, s.dailyDays * 86_400_000).slice(0, 10)).executeTakeFirst();
    const sessions = await trx.deleteFrom('radius_sessions').where('stopped_at', 'is not', null).where('stopped_at', '<', ago(now, s.sessionDays * 86_400_000)).executeTakeFirst();
    const staleBefore = ago(now, s.staleSessionHours * 3_600_000);
    const stale = await trx.selectFrom('usage_live_sessions').select(['session_key', 'updated_at']).where('updated_at', '<', staleBefore).execute();
    for (const l of stale) {
      const [nas, acctSessionId, login] = l.session_key.split('\u0000');
      if (nas !== undefined && acctSessionId !== undefined && login !== undefined) {
        await trx
          .updateTable('radius_sessions')
          .set({ stopped_at: l.updated_at, terminate_cause: 'Lost (no Stop)' })
          .where('nas_address', '=', nas)
          .where('acct_session_id', '=', acctSessionId)
          .where('login', '=', login)
          .where('stopped_at', 'is', null)
          .execute();
      }
    }
    await trx.deleteFrom('usage_live_sessions').where('updated_at', '<', staleBefore).execute();
    await trx.updateTable('usage_settings').set({ last_cleanup_at: now.toISOString() }).where('id', '=', 1).execute();
    return { hourly: Number(hourly.numDeletedRows), daily: Number(daily.numDeletedRows), sessions: Number(sessions.numDeletedRows), staleClosed: stale.length };
  });
}

/** The usage cleanup job: at start and then hourly, runs the cleanup once a day. */
export function startUsageCleanup(backend: Pick<Backend, 'datastore'>, options: { intervalMs?: number; now?: () => Date; log?: (line: string) => void } = {}): { stop(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(`[towerline] ${line}`));
  const tick = async () => {
    const db = backend.datastore.db;
    const s = await getUsageSettings(db);
    if (s.lastCleanupAt !== null && Date.parse(s.lastCleanupAt) > now().getTime() - 86_400_000) return;
    const r = await cleanUpUsage(db, now());
    log(`usage cleanup: ${r.hourly} hourly, ${r.daily} daily, ${r.sessions} ended sessions removed; ${r.staleClosed} stale sessions closed`);
  };
  return startPeriodic({ name: 'usage cleanup', intervalMs: options.intervalMs ?? 3_600_000, run: tick, log });
}
