import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Cell, cellOf } from './cells';
import { CsvError, parseCsv } from './csv';

/**
 * Reads an uploaded spreadsheet one row at a time: XLSX through exceljs's streaming reader (a
 * 100,000-row workbook is never built in memory), CSV through our own parser. The first sheet that
 * is visible and has a row is read; hidden and empty sheets are skipped and said so.
 */

export interface SheetRow {
  /** The row number staff see in their program (1 is the header row). */
  row: number;
  cells: Cell[];
}

export class SheetError extends Error {
  override name = 'SheetError';
  constructor(
    message: string,
    readonly row = 0,
  ) {
    super(message);
  }
}

export interface SheetReading {
  /** Rows, header first; progress is reported as the share of the file read so far. */
  rows: AsyncGenerator<SheetRow>;
  /** Things staff should know that are not errors of a row (hidden sheets skipped…). */
  notes: string[];
  /** How much of the file has been read, 0..1. */
  progress(): number;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function isZip(bytes: Buffer): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Binary files that are plainly not text (PDF, images, old .xls): NUL bytes early on. */
function looksBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096);
  return head.includes(0);
}

/** What kind of spreadsheet the bytes hold; throws a SheetError for anything that is none. */
export function sheetKindOf(name: string, bytes: Buffer): 'xlsx' | 'csv' {
  const lower = name.toLowerCase();
  if (bytes.length === 0) throw new SheetError('The file is empty.');
  if (isZip(bytes)) return 'xlsx';
  if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm')) throw new SheetError(`${name} is not a valid Excel workbook (it may be damaged or truncated).`);
  if (lower.endsWith('.xls')) throw new SheetError(`${name} is an old Excel 97-2003 file; save it as .xlsx or CSV and import that.`);
  if (looksBinary(bytes)) throw new SheetError(`${name} is not a spreadsheet: import an Excel workbook (.xlsx) or a CSV file.`);
  return 'csv';
}

/** Reads the file on the calling thread (sheet-thread.ts reads it in a worker where it can). */
export function readSheet(name: string, bytes: Buffer): SheetReading {
  return sheetKindOf(name, bytes) === 'xlsx' ? readXlsx(bytes) : readCsvText(bytes);
}

function readCsvText(bytes: Buffer): SheetReading {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  let position = 0;
  async function* rows(): AsyncGenerator<SheetRow> {
    try {
      let count = 0;
      for (const r of parseCsv(text)) {
        position = r.line;
        if (++count % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
        yield { row: r.line, cells: r.fields.map((f) => (f === '' ? null : f)) };
      }
    } catch (error) {
      if (error instanceof CsvError) throw new SheetError(error.message, error.line);
      throw error;
    }
  }
  const lines = Math.max(1, text.split('\n').length);
  return { rows: rows(), notes: [], progress: () => Math.min(1, position / lines) };
}

function readXlsx(bytes: Buffer): SheetReading {
  let read = 0;
  const chunk = 64 * 1024;
  let offset = 0;
  const input = new Readable({
    read() {
      if (offset >= bytes.length) return void this.push(null);
      const next = bytes.subarray(offset, offset + chunk);
      offset += next.length;
      read = offset;
      this.push(next);
    },
  });
  const notes: string[] = [];
  async function* rows(): AsyncGenerator<SheetRow> {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
    let found = false;
    try {
      for await (const sheet of reader) {
        const ws = sheet as unknown as AsyncIterable<ExcelJS.Row> & { name: string; state?: string };
        if (found) {
          // Later sheets are not read; draining them keeps the zip stream flowing.
          for await (const _ of ws) void _;
          continue;
        }
        if (ws.state === 'hidden' || ws.state === 'veryHidden') {
          notes.push(`Sheet "${ws.name}" is hidden and was not read.`);
          for await (const _ of ws) void _;
          continue;
        }
        let count = 0;
        for await (const row of ws) {
          const values = row.values as unknown[];
          const cells: Cell[] = [];
          for (let c = 1; c < values.length; c++) cells.push(cellOf(values[c]));
          if (cells.every((c) => c === null)) continue;
          if (!found) found = true;
          if (++count % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
          yield { row: row.number, cells };
        }
        if (!found) notes.push(`Sheet "${ws.name}" is empty and was skipped.`);
      }
    } catch (error) {
      if (error instanceof SheetError) throw error;
      throw new SheetError(`The workbook could not be read (${error instanceof Error ? error.message : String(error)}); it may be damaged or truncated. Open it in your spreadsheet program and save it again.`);
    }
  }
  return { rows: rows(), notes, progress: () => read / bytes.length };
}
