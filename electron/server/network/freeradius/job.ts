import type { Backend } from '../../backend';
import { type SyncResult, provisioningTarget } from './settings';
import { syncFreeradius } from './sync';

/**
 * Keeps FreeRADIUS's tables in step in the background: a sync shortly after every change that
 * can affect the network, and a full sync on the configured interval (which also repairs rows
 * edited by hand in PostgreSQL). A failed sync is retried with backoff (30 s, doubling, up to the
 * interval); its reason is recorded for `freeradius.status` and logged once per distinct reason.
 */
export interface FreeradiusSyncJobOptions {
  /** Wait this long after a change, so a burst of edits syncs once. Default 1 s. */
  debounceMs?: number;
  /** First retry after a failure. Default 30 s. */
  retryMs?: number;
  log?: (line: string) => void;
  now?: () => Date;
}

export interface FreeradiusSyncJob {
  /** Syncs now (queued behind one in progress); null when provisioning is off or the job stopped. */
  runNow(): Promise<SyncResult | null>;
  stop(): Promise<void>;
}

/**
 * Procedures that cannot change what FreeRADIUS should hold; every other write triggers a sync.
 * Payments and credit memos can: one that clears the overdue balance lifts dunning's throttle or
 * suspension in the same transaction.
 */
const UNRELATED_AREAS = new Set(['contacts', 'organizations', 'staff', 'search', 'invoices', 'statements', 'billingSettings', 'taxClasses', 'devices', 'ipNetworks', 'background']);

export function affectsFreeradius(procedure: string): boolean {
  return !UNRELATED_AREAS.has(procedure.split('.')[0] ?? '');
}

export function startFreeradiusSync(backend: Backend, options: FreeradiusSyncJobOptions = {}): FreeradiusSyncJob {
  const { debounceMs = 1000, retryMs = 30_000, log = (line) => console.log(line), now = () => new Date() } = options;
  const db = backend.datastore.db;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let failures = 0;
  let lastError: string | null = null;
  let inFlight: Promise<SyncResult | null> = Promise.resolve(null);

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void run(), ms);
  };

  async function attempt(): Promise<SyncResult | null> {
    if (stopped) return null;
    let intervalMs = 5 * 60_000;
    try {
      const settings = await provisioningTarget(db, backend.secrets);
      intervalMs = settings.intervalMinutes * 60_000;
      if (!settings.enabled) {
        // Switching it on is a change, which runs a sync; the timer only re-reads the setting.
        schedule(intervalMs);
        return null;
      }
      const result = await syncFreeradius(db, backend.secrets, now);
      if (result.error === null) {
        if (lastError !== null) log(`[towerline] FreeRADIUS sync works again (${result.inserted + result.updated + result.deleted} rows written)`);
        failures = 0;
        lastError = null;
        schedule(intervalMs);
      } else {
        if (result.error !== lastError) log(`[towerline] FreeRADIUS sync failed: ${result.error}`);
        lastError = result.error;
        failures += 1;
        schedule(Math.min(intervalMs, retryMs * 2 ** (failures - 1)));
      }
      return result;
    } catch (error) {
      // Only the datastore itself can fail here (syncFreeradius never throws); keep the job alive.
      log(`[towerline] FreeRADIUS sync could not run: ${error instanceof Error ? error.message : String(error)}`);
      failures += 1;
      schedule(Math.min(intervalMs, retryMs * 2 ** (failures - 1)));
      return null;
    }
  }

  function run(): Promise<SyncResult | null> {
    inFlight = inFlight.then(attempt, attempt);
    return inFlight;
  }

  const unsubscribe = backend.onChange((procedure) => {
    if (stopped || !affectsFreeradius(procedure)) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => void run(), debounceMs);
  });

  void run();

  return {
    runNow: run,
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      clearTimeout(debounce);
      await inFlight.catch(() => null);
    },
  };
}
