import type { Backend } from './backend';
import { type FreeradiusSyncJob, startFreeradiusSync } from './network/freeradius/job';
import { startScheduledChanges } from './services/scheduled-job';
import { type NetworkSync, startNetworkSync } from './network/sync-worker';
import { startBackups } from './backup/job';
import { startRadiusServer } from './network/radius/server';
import { startPackageMoveScheduler } from './moves/moves';
import { startDunning } from './dunning/job';
import { startHotspotExpiry } from './hotspot/expiry';
import { startUsageCleanup } from './usage/cleanup';
import { startUsageCaps } from './usage/caps';
import { startRadiusDynamic } from './network/radius/dynamic-outbox';
import { startRouterosUsagePoll } from './usage/routeros-poll';

/**
 * The always-on work of the back end: the RADIUS server, the network (RouterOS) sync, the
 * FreeRADIUS sync, scheduled changes and backups. Server mode always runs it; the web host and the
 * desktop app run it when asked (`--radius-*` flags, or the "run on this computer" setting).
 *
 * Each job starts on its own: one that fails to start is logged and reported in `status()`, and
 * the others run regardless. `stop()` stops them all (each finishes what it is writing).
 */
export interface RadiusListen {
  host: string;
  authPort: number;
  acctPort: number;
}

export interface BackgroundOptions {
  /** Where the built-in RADIUS server listens; null: do not run it. */
  radius: RadiusListen | null;
  log?: (line: string) => void;
  /** Tests shorten the FreeRADIUS job's debounce. */
  freeradiusDebounceMs?: number;
}

export interface JobState {
  name: string;
  state: 'running' | 'failed' | 'stopped';
  /** Why it could not start. */
  error: string | null;
}

export interface RunningBackground {
  status(): JobState[];
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void> | void;
}

interface JobSpec {
  name: string;
  start(): Promise<Stoppable> | Stoppable;
}

export async function startBackground(backend: Backend, options: BackgroundOptions): Promise<RunningBackground> {
  const log = options.log ?? ((line: string) => console.log(line));
  let freeradius: FreeradiusSyncJob | undefined;
  let networkSync: NetworkSync | undefined;
  /** Work applied outside an API call (scheduled changes) is followed by the jobs that mirror the data. */
  const followUp = () => {
    void freeradius?.runNow();
    void networkSync?.runNow();
  };

  const radius = options.radius;
  const jobs: JobSpec[] = [
    ...(radius ? [{ name: 'radius-server', start: () => startRadiusServer(backend, { ...radius, log }) }] : []),
    { name: 'network-sync', start: () => (networkSync = startNetworkSync(backend, { log })) },
    { name: 'freeradius-sync', start: () => (freeradius = startFreeradiusSync(backend, { log, debounceMs: options.freeradiusDebounceMs })) },
    { name: 'scheduled-changes', start: () => startScheduledChanges(backend, { log, onApplied: followUp }) },
    { name: 'backups', start: () => startBackups(backend, { log }) },
    { name: 'package-moves', start: () => startPackageMoveScheduler(backend) },
    { name: 'dunning', start: () => startDunning(backend, { log, onChanged: followUp }) },
    { name: 'hotspot-expiry', start: () => startHotspotExpiry(backend, { log }) },
    { name: 'usage-cleanup', start: () => startUsageCleanup(backend, { log }) },
    { name: 'usage-caps', start: () => startUsageCaps(backend, { log, onChanged: followUp }) },
    { name: 'radius-coa', start: () => startRadiusDynamic(backend, { log }) },
    { name: 'usage-routeros-poll', start: () => startRouterosUsagePoll(backend, { log }) },
  ];

  let started: { spec: JobSpec; job: Stoppable | null; state: JobState }[] = [];
  async function startAll() {
    const now: typeof started = [];
    for (const spec of jobs) {
      try {
        const job = await spec.start();
        now.push({ spec, job, state: { name: spec.name, state: 'running', error: null } });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`[towerline] ${spec.name} could not start: ${message}`);
        now.push({ spec, job: null, state: { name: spec.name, state: 'failed', error: message } });
      }
    }
    started = now;
  }
  async function stopAll() {
    // Reverse order: what started last (and may depend on earlier jobs) stops first.
    for (const s of [...started].reverse()) {
      if (!s.job) continue;
      try {
        await s.job.stop();
        s.state.state = 'stopped';
      } catch (error) {
        log(`[towerline] ${s.spec.name} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  await startAll();
  // A restore replaces the datastore: the jobs hold its connection (and the RADIUS server two of
  // its own), so they stop before the file is swapped and start again on the one now in use.
  let stopping: Promise<void> | undefined;
  const unsubscribe = backend.onReplace({
    before: () => stopAll(),
    after: async () => {
      if (!stopping) await startAll();
    },
  });
  return {
    status: () => started.map((s) => ({ ...s.state })),
    stop() {
      stopping ??= (async () => {
        unsubscribe();
        await stopAll();
      })();
      return stopping;
    },
  };
}
