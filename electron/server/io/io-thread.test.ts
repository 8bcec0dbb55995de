import { spawn } from 'node:child_process';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { SUBSCRIPTION_HEADERS, subscriberRows, xlsxOf } from '../../../test/io/sheets';
import { ioWorkerThreadId, readSheetOffThread, stopIoWorker, writeXlsxOffThread } from './io-thread';
import { SheetError, type SheetReading, readSheet } from './sheet';
import { type OutColumn, type OutValue, writeXlsx } from './writer';

async function all(reading: SheetReading) {
  const rows = [];
  for await (const r of reading.rows) rows.push(r);
  return { rows, notes: reading.notes, progress: reading.progress() };
}

afterAll(() => stopIoWorker());

describe('spreadsheet work in the worker thread', () => {
  it('reads a workbook in the worker into the very rows, notes and progress of a reading on this thread', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Old').state = 'hidden';
    const ws = wb.addWorksheet('Customers');
    ws.addRow(SUBSCRIPTION_HEADERS);
    for (const r of subscriberRows(1200, 'Alex Admin', 'Home 25')) ws.addRow(r);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const inWorker = await all(readSheetOffThread('customers.xlsx', bytes));
    expect(ioWorkerThreadId()).toBeGreaterThan(0);
    const here = await all(readSheet('customers.xlsx', bytes));
    expect(inWorker.rows).toHaveLength(1201);
    expect(inWorker).toEqual(here);
    expect(inWorker.notes).toEqual(['Sheet "Old" is hidden and was not read.']);
  });

  it('keeps a script alive while the worker reads for it, and lets it exit as soon as the reading is done', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'test', 'io', 'read-child.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: JSON.stringify({ rows: 601 }) });
    // The worker's idle wait is minutes; exiting well within that means it did not hold the script.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it('reports a damaged workbook read in the worker as the same error, and a CSV too', async () => {
    const good = await xlsxOf(SUBSCRIPTION_HEADERS, subscriberRows(50, 'Alex Admin', 'Home 25'));
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    const errorOf = async (reading: () => SheetReading) => all(reading()).then(() => null, (e: unknown) => e);
    const inWorker = await errorOf(() => readSheetOffThread('cut.xlsx', truncated));
    const here = await errorOf(() => readSheet('cut.xlsx', truncated));
    expect(inWorker).toBeInstanceOf(SheetError);
    expect((inWorker as SheetError).message).toBe((here as SheetError).message);
    const csv = Buffer.from('\uFEFFName;Login\n"Smith; John";jsmith\n');
    expect(await all(readSheetOffThread('a.csv', csv))).toEqual(await all(readSheet('a.csv', csv)));
    expect(() => readSheetOffThread('empty.csv', Buffer.alloc(0))).toThrow('The file is empty.');
  });

  it('stops a reading the import leaves early, and reads the next file', async () => {
    const bytes = await xlsxOf(SUBSCRIPTION_HEADERS, subscriberRows(5000, 'Alex Admin', 'Home 25'));
    const reading = readSheetOffThread('big.xlsx', bytes);
    let seen = 0;
    for await (const _ of reading.rows) if (++seen === 10) break;
    expect(seen).toBe(10);
    const next = await all(readSheetOffThread('small.xlsx', await xlsxOf(['Name'], [['One'], ['Two']])));
    expect(next.rows.map((r) => r.cells)).toEqual([['Name'], ['One'], ['Two']]);
  });

  it('writes a workbook in the worker that reads back as the one written on this thread', async () => {
    const columns: OutColumn[] = [
      { header: 'Name', type: 'text' },
      { header: 'Created', type: 'date' },
      { header: 'Price', type: 'money' },
    ];
    const rows: OutValue[][] = Array.from({ length: 2500 }, (_, i) => [`=Name ${i}`, `2026-01-${String((i % 28) + 1).padStart(2, '0')}`, i * 7]);
    const money = { currency: 'EUR', minorDigits: 2 };
    async function* each() {
      yield* rows;
    }
    const valuesOf = async (bytes: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      return wb.worksheets[0]!.getSheetValues();
    };
    const inWorker = await valuesOf(await writeXlsxOffThread('Prices', columns, each(), money));
    expect(inWorker).toEqual(await valuesOf(await writeXlsx('Prices', columns, each(), money)));
    expect(inWorker).toHaveLength(2502);
  });
});
