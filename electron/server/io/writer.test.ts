import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/domain/money';
import { PassThrough } from 'node:stream';
import { type OutColumn, type OutValue, excelDay, majorText, sheetInternals, writeXlsx, xmlText } from './writer';

const usd = { currency: 'USD', minorDigits: 2 };
const COLUMNS: OutColumn[] = [
  { header: 'Name', type: 'text' },
  { header: 'Bill day', type: 'integer' },
  { header: 'Created', type: 'date' },
  { header: 'Price', type: 'money' },
  { header: 'Notes', type: 'text' },
];

async function* each(rows: OutValue[][]) {
  yield* rows;
}

async function cellsOf(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const cells: unknown[] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    for (let c = 1; c <= COLUMNS.length; c++) {
      const cell = row.getCell(c);
      cells.push([cell.address, cell.type, cell.value instanceof Date ? cell.value.toISOString() : cell.value, cell.numFmt ?? null, cell.font?.bold ?? null]);
    }
  });
  return { cells, frozen: ws.views[0], filter: ws.autoFilter, rows: ws.rowCount };
}

describe('writing XLSX tables', () => {
  it('writes the very cells exceljs writes for the same rows: values, types, formats, header, filter', async () => {
    const rows: OutValue[][] = [
      ['Zoë <O\'Brien> & "Sons"', 1, '2026-03-31', 4550, null],
      ['=HYPERLINK("http://x","y")', 28, '1999-12-31', -5, 'tab\there'],
      [null, null, null, null, null],
      ['bell\u0007 and nul\u0000 gone', 15, '2026-02-28', 0, '+1 555'],
      ['big', 31, '9999-12-31', 900_719_925_474_099, '@home'],
    ];
    const ours = await cellsOf(await writeXlsx('Test', COLUMNS, each(rows), usd));
    const theirs = await cellsOf(await writeXlsx('Test', COLUMNS, each(rows), usd, { exceljsRows: true }));
    expect(ours).toEqual(theirs);
    expect(ours.cells).toContainEqual(['A3', ExcelJS.ValueType.String, '\'=HYPERLINK("http://x","y")', null, null]);
    expect(ours.cells).toContainEqual(['D2', ExcelJS.ValueType.Number, 45.5, '"$"#,##0.00;-"$"#,##0.00', null]);
  });

  it('finds the internals of exceljs it writes rows through (else it falls back to exceljs rows)', () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new PassThrough(), useStyles: true, useSharedStrings: false });
    expect(sheetInternals(wb.addWorksheet('x'))).not.toBeNull();
  });

  it('spells an amount in minor units as its exact decimal', () => {
    expect(majorText(4550, 2)).toBe('45.50');
    expect(majorText(-5, 2)).toBe('-0.05');
    expect(majorText(0, 2)).toBe('0.00');
    expect(majorText(1234, 0)).toBe('1234');
    expect(majorText('-900719925474099123', 3)).toBe('-900719925474099.123');
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 4 }), (minor, digits) => {
        expect(new Dec(majorText(minor.toString(), digits)).equals(new Dec(minor.toString()).div(new Dec(10).pow(digits)))).toBe(true);
      }),
    );
  });

  it('counts days as Excel does and escapes what XML cannot hold', () => {
    expect(excelDay('1970-01-01')).toBe(25569);
    expect(excelDay('2026-03-31')).toBe(46112);
    expect(xmlText('a<b>&"c\'')).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(xmlText('x\u0001y\u007f')).toBe('xy');
    expect(xmlText('plain text')).toBe('plain text');
  });
});
