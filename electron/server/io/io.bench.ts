import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { SUBSCRIPTION_HEADERS, subscriberRows, xlsxOf } from '../../../test/io/sheets';
import { createBackend } from '../backend';
import { generateDemo } from '../demo/generate';
import { KEEP_ROWS } from './bulk';
import { dryRunReuse } from './imports';
import { type Benchmark, type Figure, time } from '../bench/harness';

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Peak resident memory and JS heap while `fn` runs, sampled every 20 ms (the process's own high-water mark cannot be reset). */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number; peakHeapMb: number }> {
  let peak = process.memoryUsage.rss();
  let heap = process.memoryUsage().heapUsed;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 20);
  try {
    const value = await fn();
    sample();
    return { value, peakMb: mb(peak), peakHeapMb: mb(heap) };
  } finally {
    clearInterval(timer);
  }
}

/** exceljs's own streaming parse of the same bytes, touching every cell: the floor an import cannot beat. */
async function bareParse(bytes: Buffer): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let cells = 0;
  for await (const ws of reader) for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) cells += (row.values as unknown[]).length;
  return cells;
}

interface ImportRun {
  bare: number;
  preview: { ms: number; peakMb: number; peakHeapMb: number };
  /** The wizard's path: the apply right after its dry run, writing the rows the dry run checked. */
  apply: { ms: number; peakMb: number; peakHeapMb: number };
  /** An apply with no dry run before it (a script calling `imports.apply` alone): reads, checks and writes. */
  applyAlone: { ms: number; peakMb: number; peakHeapMb: number };
}

/** A fresh datastore with the staff, plan and network the generated file names. */
async function benchBackend() {
  const dataDir = mkdtempSync(join(tmpdir(), 'towerline-io-bench-'));
  const backend = await createBackend({ dataDir });
  const call = async (procedure: string, input: unknown) => {
    const r = await backend.call(procedure, input);
    if (!r.ok) throw new Error(`${procedure}: ${r.error.message}`);
    return r.value as { rows: number; creates: number; errorCount: number; errors: unknown[] };
  };
  await call('staff.create', { name: 'Alex Admin' });
  await call('plans.create', { kind: 'Internet', name: 'Home 25', priceCents: 4500, payPeriodMonths: 1, downloadKbps: 25000, uploadKbps: 5000, qosMode: 'Simple queue', accessTechnology: 'wireless' });
  await call('ipNetworks.create', { cidr: '10.64.0.0/10', kind: 'permanent', gateway: null });
  const close = async () => {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { call, close };
}

/** A call timed, with the peak memory while it ran. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakMb: number; peakHeapMb: number }> {
  const { value, peakMb, peakHeapMb } = await withPeakRss(() => time(fn));
  return { value: value.value, ms: value.ms, peakMb, peakHeapMb };
}

/** One bare parse, then a preview and its apply on one fresh datastore, and an apply alone on another. */
async function importOnce(n: number, bytes: Buffer): Promise<ImportRun> {
  const file = { name: `subscribers-${n}.xlsx`, base64: bytes.toString('base64') };
  const figures = ({ ms, peakMb, peakHeapMb }: { ms: number; peakMb: number; peakHeapMb: number }) => ({ ms, peakMb, peakHeapMb });
  const applied = <R extends { creates: number }>(r: R) => {
    if (r.creates !== n) throw new Error(`apply created ${r.creates} of ${n}`);
    return r;
  };
  const wizard = await benchBackend();
  let run: Omit<ImportRun, 'applyAlone'>;
  try {
    const bare = (await time(() => bareParse(bytes))).ms;
    const reused = dryRunReuse.applies;
    const preview = await measured(() => wizard.call('imports.preview', { kind: 'subscriptions', file }));
    if (preview.value.errorCount) throw new Error(`preview found errors: ${JSON.stringify(preview.value.errors.slice(0, 3))}`);
    const apply = await measured(async () => applied(await wizard.call('imports.apply', { kind: 'subscriptions', file })));
    // Up to KEEP_ROWS rows the dry run's rows are written as they are; a longer file is read again.
    if (n <= KEEP_ROWS && dryRunReuse.applies !== reused + 1) throw new Error('the apply did not write the rows its dry run checked');
    run = { bare, preview: figures(preview), apply: figures(apply) };
  } finally {
    await wizard.close();
  }
  const alone = await benchBackend();
  try {
    const applyAlone = await measured(async () => applied(await alone.call('imports.apply', { kind: 'subscriptions', file })));
    return { ...run, applyAlone: figures(applyAlone) };
  } finally {
    await alone.close();
  }
}

/**
 * The import of `n` subscribers with services, repeated (TOWERLINE_IO_BENCH_REPS; 3 up to 10,000
 * rows): on a shared machine one slow moment skews a single run, so times are the fastest run and
 * ratios the median of each run's own ratio (to the bare parse of the same run).
 */
async function importBench(n: number, log: (line: string) => void): Promise<Figure[]> {
  const reps = Number(process.env.TOWERLINE_IO_BENCH_REPS ?? (n <= 10_000 ? 3 : 1));
  const startRssMb = mb(process.memoryUsage.rss());
  const bytes = await xlsxOf(SUBSCRIPTION_HEADERS, subscriberRows(n, 'Alex Admin', 'Home 25'));
  log(`${n.toLocaleString('en-US')} rows: ${mb(bytes.length)} MB of XLSX; process RSS before: ${startRssMb} MB`);
  log('the first run also starts the spreadsheet worker thread; ratios are the median of the runs');
  const runs: ImportRun[] = [];
  for (let i = 0; i < reps; i++) {
    const r = await importOnce(n, bytes);
    const x = (ms: number) => `${Math.round(ms)} ms (${(ms / r.bare).toFixed(2)}x)`;
    log(`run ${i + 1}: bare parse ${Math.round(r.bare)} ms, preview ${x(r.preview.ms)}, apply after it ${x(r.apply.ms)}, apply alone ${x(r.applyAlone.ms)}`);
    runs.push(r);
  }
  const bare = Math.min(...runs.map((r) => r.bare));
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const best = (k: 'preview' | 'apply' | 'applyAlone') => ({
    ms: Math.min(...runs.map((r) => r[k].ms)),
    // Each run's ratio is of two figures taken a moment apart; the median of those is the figure.
    ratio: Math.round(median(runs.map((r) => r[k].ms / r.bare)) * 100) / 100,
    peakMb: Math.max(...runs.map((r) => r[k].peakMb)),
    peakHeapMb: Math.max(...runs.map((r) => r[k].peakHeapMb)),
  });
  const figure = (bench: string, k: 'preview' | 'apply' | 'applyAlone'): Figure => {
    const b = best(k);
    return { bench, n, runs: reps, total_ms: b.ms, ratio_to_bare_parse: b.ratio, peak_rss_mb: b.peakMb, peak_heap_mb: b.peakHeapMb, start_rss_mb: startRssMb };
  };
  return [
    { bench: 'io.import.bare_parse', n, runs: reps, total_ms: bare },
    figure('io.import.preview', 'preview'),
    // The wizard's path: dry run, then apply.
    figure('io.import.apply', 'apply'),
    figure('io.import.apply_alone', 'applyAlone'),
    // What an apply alone adds to the dry run: the datastore's own writes (rows, triggers, indexes, search).
    { bench: 'io.import.apply_alone_beyond_dry_run', n, runs: reps, total_ms: Math.round(median(runs.map((r) => r.applyAlone.ms - r.preview.ms))), ratio_to_bare_parse: Math.round(median(runs.map((r) => (r.applyAlone.ms - r.preview.ms) / r.bare)) * 100) / 100 },
  ];
}

const importSizes = () =>
  // TOWERLINE_IO_BENCH_ROWS replaces the sizes (e.g. "1000") when a shared machine is too busy for 100,000.
  process.env.TOWERLINE_IO_BENCH_ROWS ? process.env.TOWERLINE_IO_BENCH_ROWS.split(',').map(Number) : process.argv.includes('--quick') ? [10_000] : [10_000, 100_000];

/** Runs test/io/export-child.ts in a process of its own and reads its figures (its peak RSS is the export's alone). */
function child(args: string[]): Promise<{ ms: number; bytes: number; idleRssMb: number; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'test', 'io', 'export-child.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`export child ${args.join(' ')} exited ${code}: ${out}`));
      resolve(JSON.parse(line) as { ms: number; bytes: number; idleRssMb: number; peakRssMb: number });
    });
  });
}

/**
 * 100,000 generated subscriptions exported to XLSX and CSV, each in a child process (elapsed time,
 * the child's peak RSS and its RSS before the export), beside the baseline of exceljs's streaming
 * writer (and a plain text join) writing as many rows of as many plain columns, in the same run.
 */
async function exportBench(log: (line: string) => void): Promise<Figure[]> {
  const n = Number(process.env.TOWERLINE_EXPORT_BENCH_ROWS ?? 100_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'towerline-export-bench-'));
  try {
    const backend = await createBackend({ dataDir });
    const start = Date.now();
    await generateDemo(backend.datastore.db, { subscribers: n, today: new Date('2026-11-01T12:00:00Z') });
    await backend.close();
    log(`generated ${n.toLocaleString('en-US')} subscribers in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    const figures: Figure[] = [];
    for (const format of ['xlsx', 'csv'] as const) {
      const base = await child([String(n), `plain-${format}`]);
      const r = await child([dataDir, format]);
      figures.push(
        { bench: `io.export.${format}.baseline_plain_rows`, n, total_ms: base.ms, peak_rss_mb: base.peakRssMb, idle_rss_mb: base.idleRssMb, file_mb: mb(base.bytes) },
        { bench: `io.export.${format}`, n, total_ms: r.ms, ratio_to_baseline: Math.round((r.ms / base.ms) * 100) / 100, peak_rss_mb: r.peakRssMb, idle_rss_mb: r.idleRssMb, file_mb: mb(r.bytes) },
      );
    }
    return figures;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `npm run bench -- import`: subscribers with services from XLSX (dry run and apply) beside exceljs's bare parse of the same file. */
export const importBenchmark: Benchmark = {
  name: 'import',
  figures: ['io.import'],
  describe: "import of 10,000 and 100,000 subscribers with services from XLSX (dry run, the apply after it, an apply alone; peak RSS and heap) beside exceljs's bare parse in the same run; target <= 2x the bare parse",
  async run(log) {
    const figures: Figure[] = [];
    for (const n of importSizes()) figures.push(...(await importBench(n, log)));
    return figures;
  },
};

/** `npm run bench -- export`: 100,000 subscriptions to XLSX (streaming writer) and CSV. */
export const exportBenchmark: Benchmark = {
  name: 'export',
  figures: ['io.export'],
  describe: 'export of 100,000 subscriptions to XLSX and CSV, each in a child process (time, peak RSS), beside exceljs writing as many plain rows; target under 10 s and 500 MB',
  run: exportBench,
};
