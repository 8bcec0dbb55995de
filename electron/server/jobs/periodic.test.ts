import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPeriodic } from './periodic';

/** A pass that waits until the test lets it finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('startPeriodic', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a pass at start and then once every interval', async () => {
    vi.useFakeTimers();
    let passes = 0;
    const job = startPeriodic({ name: 'test', intervalMs: 1000, run: async () => void passes++, log: () => undefined });
    await vi.advanceTimersByTimeAsync(0);
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(passes).toBe(4);
    await job.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(passes).toBe(4);
  });

  it('waits for the first interval when told not to run at start', async () => {
    vi.useFakeTimers();
    let passes = 0;
    const job = startPeriodic({ name: 'test', intervalMs: 1000, runAtStart: false, run: async () => void passes++, log: () => undefined });
    await vi.advanceTimersByTimeAsync(999);
    expect(passes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(1);
    await job.stop();
  });

  it('never runs two passes at once: a pass due while one runs is skipped', async () => {
    vi.useFakeTimers();
    let started = 0;
    let inFlight = 0;
    let most = 0;
    const g = gate();
    const job = startPeriodic({
      name: 'test',
      intervalMs: 100,
      run: async () => {
        started++;
        inFlight++;
        most = Math.max(most, inFlight);
        await g.opened;
        inFlight--;
      },
      log: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(1);
    const asked = job.runNow();
    expect(started).toBe(1);
    g.open();
    await asked;
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toBe(2);
    expect(most).toBe(1);
    await job.stop();
  });

  it('logs a failing pass with the job name and runs the next one as usual', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    let passes = 0;
    const job = startPeriodic({
      name: 'usage poll',
      intervalMs: 1000,
      run: async () => {
        passes++;
        if (passes === 1) throw new Error('router said no');
      },
      log: (line) => lines.push(line),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(lines).toEqual(['usage poll: router said no']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(passes).toBe(2);
    expect(lines).toHaveLength(1);
    await job.stop();
  });

  it('catches a pass that throws before it awaits anything, and keeps running', async () => {
    const lines: string[] = [];
    let passes = 0;
    const job = startPeriodic({
      name: 'sync',
      intervalMs: 60_000,
      run: () => {
        passes++;
        throw new Error('at once');
      },
      log: (line) => lines.push(line),
    });
    await job.runNow();
    await job.runNow();
    expect(passes).toBe(2);
    expect(lines).toEqual(['sync: at once', 'sync: at once']);
    await job.stop();
  });

  it('stop waits for the pass in progress and starts no new one', async () => {
    const g = gate();
    let finished = false;
    let passes = 0;
    const job = startPeriodic({
      name: 'test',
      intervalMs: 60_000,
      run: async () => {
        passes++;
        await g.opened;
        finished = true;
      },
      log: () => undefined,
    });
    await Promise.resolve();
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stopped).toBe(false);
    g.open();
    await stopping;
    expect(finished).toBe(true);
    await job.runNow();
    expect(passes).toBe(1);
  });
});
