import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Cents, type MoneyFormat, toMajor } from '../../../shared/domain/money';
import { neutralize } from './cells';
import { csvLine } from './csv';
import { columnLetter } from './fields';

/**
 * Writes a table as CSV or XLSX, row by row. XLSX goes through exceljs's streaming writer, so
 * 100,000 rows never sit in memory as a workbook: typed cells (dates as dates, amounts as numbers
 * in the currency's format), the header frozen and filtered. Text that a spreadsheet would run as a
 * formula is prefixed with an apostrophe in both formats.
 */

export type ColumnType = 'text' | 'integer' | 'date' | 'money';
export interface OutColumn {
  header: string;
  type: ColumnType;
  width?: number;
}
/** Text, a whole number, an ISO date, or cents; null is an empty cell. */
export type OutValue = string | number | null;

export interface TableFile {
  name: string;
  bytes: Buffer;
}

/** The Excel number format of an amount in the installation currency, e.g. `"$"#,##0.00`. */
export function currencyFormat(money: MoneyFormat): string {
  const symbol = new Intl.NumberFormat('en-US', { style: 'currency', currency: money.currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? money.currency;
  const decimals = money.minorDigits > 0 ? `.${'0'.repeat(money.minorDigits)}` : '';
  return `"${symbol.replaceAll('"', '')}"#,##0${decimals};-"${symbol.replaceAll('"', '')}"#,##0${decimals}`;
}

function textCell(column: OutColumn, value: OutValue, money: MoneyFormat): string {
  if (value === null) return '';
  switch (column.type) {
    case 'money':
      return toMajor(value as Cents, money.minorDigits).toFixed(money.minorDigits);
    case 'integer':
    case 'date':
      return String(value);
    case 'text':
      return neutralize(String(value));
  }
}

export async function writeCsv(columns: readonly OutColumn[], rows: AsyncIterable<OutValue[]>, money: MoneyFormat): Promise<Buffer> {
  // A byte-order mark, so Excel opens UTF-8 names (José, Zoë) correctly.
  const parts: string[] = ['\uFEFF', csvLine(columns.map((c) => c.header))];
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const row of rows) {
    parts.push(csvLine(row.map((v, i) => textCell(columns[i]!, v, money))));
    if (++size % 2000 === 0) chunks.push(Buffer.from(parts.splice(0).join(''), 'utf8'));
  }
  chunks.push(Buffer.from(parts.join(''), 'utf8'));
  return Buffer.concat(chunks);
}

function dateValue(iso: string): Date {
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`);
}

export async function writeXlsx(sheetName: string, columns: readonly OutColumn[], rows: AsyncIterable<OutValue[]>, money: MoneyFormat): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Towerline';
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const moneyFmt = currencyFormat(money);
  ws.columns = columns.map((c) => ({
    header: c.header,
    width: c.width ?? (c.type === 'date' ? 12 : c.type === 'money' ? 14 : c.type === 'integer' ? 10 : Math.max(12, Math.min(40, c.header.length + 4))),
    style: c.type === 'date' ? { numFmt: 'yyyy-mm-dd' } : c.type === 'money' ? { numFmt: moneyFmt } : {},
  }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  // One style object per column, shared by its cells: exceljs knows a style it has seen by identity,
  // and works out (and serialises) every other one afresh, which cost more than the rest of a row.
  const cellStyles: Partial<ExcelJS.Style>[] = columns.map((c) => (c.type === 'date' ? { numFmt: 'yyyy-mm-dd' } : c.type === 'money' ? { numFmt: moneyFmt } : {}));
  let count = 1;
  for await (const row of rows) {
    const values = row.map((v, i) => {
      if (v === null) return null;
      const c = columns[i]!;
      if (c.type === 'date') return dateValue(String(v));
      if (c.type === 'money') return toMajor(v as Cents, money.minorDigits).toNumber();
      if (c.type === 'integer') return Number(v);
      return neutralize(String(v));
    });
    const added = ws.addRow(values);
    for (let i = 0; i < values.length; i++) if (values[i] !== null) added.getCell(i + 1).style = cellStyles[i]!;
    added.commit();
    count++;
  }
  ws.autoFilter = { from: 'A1', to: `${columnLetter(columns.length - 1)}${count}` };
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

export function writeTable(format: 'csv' | 'xlsx', sheetName: string, columns: readonly OutColumn[], rows: AsyncIterable<OutValue[]>, money: MoneyFormat): Promise<Buffer> {
  return format === 'csv' ? writeCsv(columns, rows, money) : writeXlsx(sheetName, columns, rows, money);
}
