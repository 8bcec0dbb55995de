import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Cents, type MoneyFormat, toMajor } from '../../../shared/domain/money';
import { columnLetter, neutralize } from './cells';
import { csvLine } from './csv';

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

/** Excel's day number of an ISO date (1900 date system: 1970-01-01 is day 25569). */
export function excelDay(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000 + 25_569;
}

/** Minor units as the exact decimal text of the major amount ("-1234.50"), never through a float. */
export function majorText(minor: number | string, minorDigits: number): string {
  const text = String(minor);
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).padStart(minorDigits + 1, '0');
  const whole = digits.slice(0, digits.length - minorDigits);
  const fraction = minorDigits > 0 ? `.${digits.slice(digits.length - minorDigits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Characters XML needs escaped, and the control characters it cannot hold at all (dropped). */
const XML_SPECIAL = /[<>&"'\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;
const XML_SPECIAL_ALL = /[<>&"'\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g;
const XML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

export function xmlText(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_ALL, (c) => XML_ESCAPES[c] ?? '') : text;
}

/**
 * The few internals of exceljs's streaming worksheet that the row writer below uses: whether the
 * sheet data has begun, what begins it, and the sheet's output stream.
 */
interface SheetInternals {
  startedData: boolean;
  _writeColumns(): void;
  _writeOpenSheetData(): void;
  stream: { write(chunk: string): void };
}

export function sheetInternals(ws: ExcelJS.Worksheet): SheetInternals | null {
  const raw = ws as unknown as Partial<SheetInternals>;
  return typeof raw._writeColumns === 'function' && typeof raw._writeOpenSheetData === 'function' && typeof raw.stream?.write === 'function' && typeof raw.startedData === 'boolean'
    ? (raw as SheetInternals)
    : null;
}

/**
 * Writes a table as an XLSX workbook. exceljs's streaming writer makes the workbook (styles, frozen
 * header, filter, zip), so 100,000 rows never sit in memory as a workbook. The data rows' XML is
 * written here, cell by cell, into exceljs's sheet stream: exceljs builds a Row and a Cell object
 * for every cell and renders them through a generic XML builder, which took three quarters of a
 * 100,000-row export. The XML is what exceljs writes for the same values (text as `t="str"`, dates as
 * day numbers and amounts as numbers in the column's style); should exceljs's internals ever
 * change, its own rows are used instead.
 */
export async function writeXlsx(
  sheetName: string,
  columns: readonly OutColumn[],
  rows: AsyncIterable<OutValue[]>,
  money: MoneyFormat,
  /** Tests compare the two ways of writing rows. */
  options: { exceljsRows?: boolean } = {},
): Promise<Buffer> {
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
  const cellStyles: Partial<ExcelJS.Style>[] = columns.map((c) => (c.type === 'date' ? { numFmt: 'yyyy-mm-dd' } : c.type === 'money' ? { numFmt: moneyFmt } : {}));
  ws.columns = columns.map((c, i) => ({
    header: c.header,
    width: c.width ?? (c.type === 'date' ? 12 : c.type === 'money' ? 14 : c.type === 'integer' ? 10 : Math.max(12, Math.min(40, c.header.length + 4))),
    style: cellStyles[i]!,
  }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();

  const sheet = options.exceljsRows ? null : sheetInternals(ws);
  const styles = (wb as unknown as { styles?: { addStyleModel?(style: Partial<ExcelJS.Style>, type: number): number } }).styles;
  let count = 1;
  if (sheet && typeof styles?.addStyleModel === 'function') {
    // The style id of each column's cells, registered with the workbook's styles as exceljs would.
    const styleIds = columns.map((c, i) => (c.type === 'text' ? 0 : styles.addStyleModel!(cellStyles[i]!, c.type === 'date' ? ExcelJS.ValueType.Date : ExcelJS.ValueType.Number)));
    const letters = columns.map((_, i) => columnLetter(i));
    const attributes = columns.map((c, i) => (styleIds[i] ? ` s="${styleIds[i]}"` : '') + (c.type === 'text' ? ' t="str"' : ''));
    if (!sheet.startedData) {
      sheet._writeColumns();
      sheet._writeOpenSheetData();
      sheet.startedData = true;
    }
    let xml = '';
    for await (const row of rows) {
      const r = ++count;
      let cells = '';
      let min = 0;
      let max = 0;
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        if (v === null || v === undefined) continue;
        const c = columns[i]!;
        const value =
          c.type === 'text' ? xmlText(neutralize(String(v))) : c.type === 'date' ? String(excelDay(String(v))) : c.type === 'money' ? majorText(v, money.minorDigits) : String(Number(v));
        cells += `<c r="${letters[i]}${r}"${attributes[i]}><v>${value}</v></c>`;
        if (!min) min = i + 1;
        max = i + 1;
      }
      xml += `<row r="${r}"${min ? ` spans="${min}:${max}"` : ''} x14ac:dyDescent="0.25">${cells}</row>`;
      // Handed to the stream in pieces of some 64 kB: fewer, larger writes to the zip.
      if (xml.length > 65_536) {
        sheet.stream.write(xml);
        xml = '';
      }
    }
    if (xml) sheet.stream.write(xml);
  } else {
    for await (const row of rows) {
      const values: (string | number | Date)[] = [];
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        if (v === null || v === undefined) continue;
        const c = columns[i]!;
        values[i + 1] = c.type === 'date' ? new Date(`${String(v).slice(0, 10)}T00:00:00Z`) : c.type === 'money' ? toMajor(v as Cents, money.minorDigits).toNumber() : c.type === 'integer' ? Number(v) : neutralize(String(v));
      }
      const added = ws.addRow(values);
      for (let i = 0; i < row.length; i++) if (values[i + 1] !== undefined) added.getCell(i + 1).style = cellStyles[i]!;
      added.commit();
      count++;
    }
  }
  ws.autoFilter = { from: 'A1', to: `${columnLetter(columns.length - 1)}${count}` };
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
