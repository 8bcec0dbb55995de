import type { Backend } from '../backend';
import { catchUpScheduledChanges } from './scheduled';

/**
 * Applies scheduled service changes as they fall due while the back end keeps running (the back
 * end applies those that fell due while it was closed when it opens). Checks every quarter hour,
 * so a change dated today applies within 15 minutes of midnight UTC.
 */
export interface ScheduledChangesJobOptions {
  intervalMs?: number;
  /** Told after changes were applied, so jobs that mirror the data (network, FreeRADIUS) follow at once. */
  onApplied?: (applied: number) => void;
  log?: (line: string) => void;
  now?: () => Date;
}

export function startScheduledChanges(backend: Backend, options: ScheduledChangesJobOptions = {}): { stop(): Promise<void> } {
  const { intervalMs = 15 * 60_000, onApplied, log = (line) => console.log(line), now = () => new Date() } = options;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        const { applied, failed } = await catchUpScheduledChanges(backend.datastore.db, now());
        if (applied + failed > 0) log(`[towerline] scheduled changes: ${applied} applied, ${failed} could not apply`);
        if (applied > 0) onApplied?.(applied);
      } catch (error) {
        log(`[towerline] scheduled changes could not run: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  };
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
