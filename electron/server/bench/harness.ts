import { performance } from 'node:perf_hooks';

/** One figure a benchmark reports; printed as a JSON line at the end of the run. */
export interface Figure {
  bench: string;
  n: number;
  p50_ms?: number;
  p95_ms?: number;
  total_ms?: number;
  [extra: string]: string | number | undefined;
}

export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Runs `fn` `iterations` times after a warm-up and reports p50/p95 latency. */
export async function measure(bench: string, n: number, iterations: number, fn: (i: number) => Promise<void>): Promise<Figure> {
  for (let i = 0; i < Math.min(20, iterations); i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { bench, n, iterations, p50_ms: round(percentile(times, 50)), p95_ms: round(percentile(times, 95)) };
}

export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: round(performance.now() - start), value };
}

/** A named benchmark: `npm run bench -- <name>` runs one, by its name or a figure it prints. */
export interface Benchmark {
  name: string;
  describe: string;
  /** The figures it prints (`search.quick`…), so `npm run bench -- search.quick` finds it too. */
  figures?: readonly string[];
  run(log: (line: string) => void): Promise<Figure[]>;
}
