/**
 * The one shape of a periodic job: a pass at start and then every interval, never two passes at
 * once (a pass still running when the next is due is not doubled: the due one is skipped), a
 * failing pass logged and the next one tried as usual, and `stop()` that waits for the pass in
 * progress so nothing is cut off halfway through its write.
 */
export interface PeriodicOptions {
  /** Names the job in the log line of a failed pass (`<name>: <message>`). */
  name: string;
  intervalMs: number;
  /** One pass. What it wants logged it logs itself; a throw is caught and logged. */
  run: () => Promise<void>;
  log: (line: string) => void;
  /** Run a pass at once (default) rather than after the first interval. */
  runAtStart?: boolean;
}

export interface PeriodicJob {
  /** Runs a pass now, or waits for the one in progress; resolves when it has finished (never rejects). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function startPeriodic(options: PeriodicOptions): PeriodicJob {
  let running: Promise<void> | null = null;
  let stopped = false;
  const once = (): Promise<void> => {
    if (stopped) return running ?? Promise.resolve();
    // Started on a later turn, so `running` is set before the pass can finish and clear it.
    running ??= Promise.resolve()
      .then(options.run)
      .catch((error: unknown) => options.log(`${options.name}: ${errorText(error)}`))
      .finally(() => {
        running = null;
      });
    return running;
  };
  if (options.runAtStart ?? true) void once();
  const timer = setInterval(() => void once(), options.intervalMs);
  timer.unref?.();
  return {
    runNow: once,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
