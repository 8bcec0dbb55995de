import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { createBackend } from '../../electron/server/backend';
import { SUBSCRIPTION_COLUMNS } from '../../electron/server/io/exports';

/**
 * One export in a process of its own, so its peak memory is its own: `tsx export-child.ts <dataDir>
 * <csv|xlsx>` exports the subscriptions list; `tsx export-child.ts <rows> plain-xlsx|plain-csv` writes
 * that many plain rows of as many columns with exceljs (or joined text): the baseline. Prints one
 * JSON line: elapsed ms, bytes, and the process's resident memory before and at its peak.
 */

const [target, mode] = process.argv.slice(2) as [string, string];
const mb = (kb: number) => Math.round(kb / 1024);
const idleRssMb = Math.round(process.memoryUsage.rss() / 1024 / 1024);

function plainRow(i: number): string[] {
  return SUBSCRIPTION_COLUMNS.map((c, k) => `${c.header.slice(0, 4)}${i}-${k}`);
}

async function plainXlsx(rows: number): Promise<number> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('Plain');
  ws.addRow(SUBSCRIPTION_COLUMNS.map((c) => c.header)).commit();
  for (let i = 1; i <= rows; i++) ws.addRow(plainRow(i)).commit();
  ws.commit();
  await wb.commit();
  await ended;
  return Buffer.from(Buffer.concat(chunks).toString('base64'), 'base64').length;
}

function plainCsv(rows: number): number {
  const parts: string[] = [];
  for (let i = 1; i <= rows; i++) parts.push(plainRow(i).join(','));
  return Buffer.from(parts.join('\n'), 'utf8').length;
}

/** Opening the datastore is not the export's: the clock starts once it is open. */
async function exportOf(dataDir: string, format: 'csv' | 'xlsx'): Promise<number> {
  const backend = await createBackend({ dataDir });
  try {
    start = performance.now();
    const r = await backend.call('exports.file', { list: 'subscriptions', format });
    if (!r.ok) throw new Error(r.error.message);
    return Buffer.from((r.value as { base64: string }).base64, 'base64').length;
  } finally {
    await backend.close();
  }
}

let start = performance.now();
const bytes = mode === 'plain-xlsx' ? await plainXlsx(Number(target)) : mode === 'plain-csv' ? plainCsv(Number(target)) : await exportOf(target, mode === 'csv' ? 'csv' : 'xlsx');
const ms = Math.round(performance.now() - start);
console.log(JSON.stringify({ ms, bytes, idleRssMb, peakRssMb: mb(process.resourceUsage().maxRSS) }));
