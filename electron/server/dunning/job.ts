import type { Backend } from '../backend';
import { dayOf } from '../billing/settings';
import { durableTransaction } from '../db/open';
import { startPeriodic } from '../jobs/periodic';
import { DUNNING_ACTOR, runDunning } from './run';
import { getDunningSettings } from './settings';

export interface DunningJobOptions {
  /** How often to look whether a new day has begun; an hour by default. */
  intervalMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
  /** Called after a run that moved someone (the jobs that mirror the data to the network follow). */
  onChanged?: () => void;
}

/**
 * The daily dunning job: at start and then every interval, when dunning is on and the last run
 * was for an earlier day, runs the stages for today. The days missed while the app or server was
 * down are caught up by that one run (run.ts explains why no replay is needed).
 */
export function startDunning(backend: Backend, options: DunningJobOptions = {}): { stop(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(`[towerline] ${line}`));
  async function tick(): Promise<void> {
    const db = backend.datastore.db;
    const settings = await getDunningSettings(db);
    const today = dayOf(now());
    if (!settings.enabled || (settings.lastRunDate !== null && settings.lastRunDate >= today)) return;
    // One transaction, like a command: the whole day's moves or none.
    const result = await durableTransaction(db, (trx) => runDunning(trx, today, { actor: DUNNING_ACTOR, now: now() }));
    const moves = result.moves.length;
    log(`dunning: ran for ${today}${settings.lastRunDate ? ` (last run ${settings.lastRunDate})` : ''}: ${moves} subscription${moves === 1 ? '' : 's'} moved`);
    if (moves > 0) options.onChanged?.();
  }

  return startPeriodic({ name: 'dunning', intervalMs: options.intervalMs ?? 60 * 60 * 1000, run: tick, log });
}
