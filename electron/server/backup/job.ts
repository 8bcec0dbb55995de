/**
 * The daily backup: checks now (catching up when the last backup is more than a day old, say after
 * the office PC was off over a weekend) and then every few minutes, and backs up through the API so
 * it takes its turn with every other call (and waits while a restore replaces the datastore).
 */
import { createClient } from '../../../shared/api/client';
import type { Backend } from '../backend';
import { dailyBackupDue } from './rules';

export interface BackupJobOptions {
  /** How often to look whether a backup is due; 10 minutes unless given. */
  checkEveryMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
}

export function startBackups(backend: Backend, options: BackupJobOptions = {}): { stop(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(`[towerline] ${line}`));
  let stopped = false;
  let working: Promise<void> = Promise.resolve();

  const api = createClient({ call: (procedure, input) => backend.call(procedure, input) });

  async function check(): Promise<void> {
    const s = await api.call('backups.settings', {});
    if (!s.daily || s.running || stopped) return;
    if (!dailyBackupDue(now(), s.lastSuccess ? new Date(s.lastSuccess.finishedAt) : null, s.last ? new Date(s.last.finishedAt) : null)) return;
    const run = await api.call('backups.run', { trigger: 'daily' });
    log(`daily backup written to ${run.file} (${((run.bytes ?? 0) / 1e6).toFixed(1)} MB)`);
  }

  const tick = () => {
    // One check at a time; a check never throws out of the timer.
    working = working.then(() => (stopped ? undefined : check())).catch((error: unknown) => log(`daily backup failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  tick();
  const timer = setInterval(tick, options.checkEveryMs ?? 10 * 60 * 1000);
  timer.unref?.();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await working;
    },
  };
}
