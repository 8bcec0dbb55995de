import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { SUBSCRIPTION_HEADERS, subscriberRows, xlsxOf } from '../../../test/io/sheets';
import { createBackend } from '../backend';
import { benchBackend } from '../bench/fixture';
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

async function importBench(n: number, log: (line: string) => void): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'towerline-io-bench-'));
  const backend = await createBackend({ dataDir });
  const call = async (procedure: string, input: unknown) => {
    const r = await backend.call(procedure, input);
    if (!r.ok) throw new Error(`${procedure}: ${r.error.message}`);
    return r.value as { rows: number; creates: number; errorCount: number; errors: unknown[] };
  };
  try {
    await call('staff.create', { name: 'Alex Admin' });
    await call('plans.create', { kind: 'Internet', name: 'Home 25', priceCents: 4500, payPeriodMonths: 1, downloadKbps: 25000, uploadKbps: 5000, qosMode: 'Simple queue', accessTechnology: 'wireless' });
    await call('ipNetworks.create', { cidr: '10.64.0.0/10', kind: 'permanent', gateway: null });
    const bytes = await xlsxOf(SUBSCRIPTION_HEADERS, subscriberRows(n, 'Alex Admin', 'Home 25'));
    const file = { name: `subscribers-${n}.xlsx`, base64: bytes.toString('base64') };
    log(`${n.toLocaleString('en-US')} rows: ${mb(bytes.length)} MB of XLSX`);
    const bare = await time(() => bareParse(bytes));
    const preview = await withPeakRss(() => time(() => call('imports.preview', { kind: 'subscriptions', file })));
    if (preview.value.value.errorCount) throw new Error(`preview found errors: ${JSON.stringify(preview.value.value.errors.slice(0, 3))}`);
    const apply = await withPeakRss(() => time(() => call('imports.apply', { kind: 'subscriptions', file })));
    if (apply.value.value.creates !== n) throw new Error(`apply created ${apply.value.value.creates} of ${n}`);
    const ratio = (ms: number) => Math.round((ms / bare.ms) * 100) / 100;
    return [
      { bench: 'io.import.bare_parse', n, total_ms: bare.ms },
      { bench: 'io.import.preview', n, total_ms: preview.value.ms, ratio_to_bare_parse: ratio(preview.value.ms), peak_rss_mb: preview.peakMb, peak_heap_mb: preview.peakHeapMb },
      { bench: 'io.import.apply', n, total_ms: apply.value.ms, ratio_to_bare_parse: ratio(apply.value.ms), peak_rss_mb: apply.peakMb, peak_heap_mb: apply.peakHeapMb },
    ];
  } finally {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const importSizes = () =>
  // TOWERLINE_IO_BENCH_ROWS replaces the sizes (e.g. "1000") when a shared machine is too busy for 100,000.
  process.env.TOWERLINE_IO_BENCH_ROWS ? process.env.TOWERLINE_IO_BENCH_ROWS.split(',').map(Number) : process.argv.includes('--quick') ? [10_000] : [10_000, 100_000];

async function exportBench(log: (line: string) => void): Promise<Figure[]> {
  const { backend, close } = await benchBackend(100_000, log);
  try {
    const r = await withPeakRss(() => time(() => backend.call('exports.file', { list: 'subscriptions', format: 'xlsx' })));
    if (!r.value.value.ok) throw new Error(r.value.value.error.message);
    const size = Buffer.from((r.value.value.value as { base64: string }).base64, 'base64').length;
    const c = await withPeakRss(() => time(() => backend.call('exports.file', { list: 'subscriptions', format: 'csv' })));
    if (!c.value.value.ok) throw new Error(c.value.value.error.message);
    return [
      { bench: 'io.export.xlsx', n: 100_000, total_ms: r.value.ms, peak_rss_mb: r.peakMb, peak_heap_mb: r.peakHeapMb, file_mb: mb(size) },
      { bench: 'io.export.csv', n: 100_000, total_ms: c.value.ms, peak_rss_mb: c.peakMb, peak_heap_mb: c.peakHeapMb },
    ];
  } finally {
    await close();
  }
}

/** `npm run bench -- import`: subscribers with services from XLSX (dry run and apply) beside exceljs's bare parse of the same file. */
export const importBenchmark: Benchmark = {
  name: 'import',
  figures: ['io.import'],
  describe: "import of 10,000 and 100,000 subscribers with services from XLSX (preview, apply, peak RSS and heap) beside exceljs's bare parse in the same run; target <= 2x the bare parse",
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
  describe: 'export of 100,000 subscriptions to XLSX and CSV (time, peak RSS and heap); target under 10 s and 500 MB',
  run: exportBench,
};
