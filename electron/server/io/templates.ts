import ExcelJS from 'exceljs';
import type { Db } from '../db/open';
import { columnLetter, fieldsOf, type ImportKind } from './fields';
import type { ImportReport } from './imports';

/**
 * A template per import kind: the headers the import recognises, a sample row, and drop-down
 * lists (from a hidden sheet, so a long plan list fits) for statuses, plans, staff and routers.
 */
export async function importTemplate(db: Db, kind: ImportKind): Promise<{ name: string; base64: string }> {
  const specs = fieldsOf(kind);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Towerline';
  const ws = wb.addWorksheet(kind[0]!.toUpperCase() + kind.slice(1), { views: [{ state: 'frozen', ySplit: 1 }] });
  const lists = wb.addWorksheet('Lists', { state: 'hidden' });
  ws.columns = specs.map((s) => ({ header: s.required ? `${s.label}` : s.label, width: Math.max(14, s.label.length + 4) }));
  ws.getRow(1).font = { bold: true };
  ws.addRow(specs.map((s) => (s.type === 'date' || s.type === 'endDate') && s.sample ? new Date(`${s.sample}T00:00:00Z`) : s.sample === '' ? null : s.sample));
  specs.forEach((s, i) => {
    if (s.type === 'date' || s.type === 'endDate') ws.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
    if (s.required) ws.getCell(1, i + 1).note = 'Required for new records';
  });

  const named = async (key: string): Promise<string[]> => {
    if (key === 'plan') return (await db.selectFrom('plans').select('name').where('active', '=', 1).orderBy('name').execute()).map((r) => r.name);
    if (key === 'engineer') return (await db.selectFrom('staff').select('name').where('active', '=', 1).orderBy('name').execute()).map((r) => r.name);
    if (key === 'router') return (await db.selectFrom('routers').select('name').orderBy('name').execute()).map((r) => r.name);
    const spec = specs.find((s) => s.key === key);
    return spec?.choices ? [...spec.choices] : [];
  };
  let listColumn = 0;
  for (const [i, s] of specs.entries()) {
    const values = await named(s.key);
    if (values.length === 0) continue;
    listColumn++;
    values.forEach((v, r) => (lists.getCell(r + 1, listColumn).value = v));
    const letter = columnLetter(listColumn - 1);
    const range = `Lists!$${letter}$1:$${letter}$${values.length}`;
    for (let r = 2; r <= 1000; r++) {
      ws.getCell(r, i + 1).dataValidation = { type: 'list', allowBlank: true, formulae: [range], showErrorMessage: s.type === 'choice', errorTitle: s.label, error: `Choose a ${s.label.toLowerCase()} from the list` };
    }
  }
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return { name: `towerline-${kind}-template.xlsx`, base64: bytes.toString('base64') };
}

/** The dry-run report as a workbook staff can sort and hand on: counts, then each error. */
export async function reportWorkbook(kind: ImportKind, fileName: string, report: ImportReport): Promise<{ name: string; base64: string }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Towerline';
  const summary = wb.addWorksheet('Summary');
  summary.columns = [{ width: 22 }, { width: 60 }];
  const lines: [string, string | number][] = [
    ['File', fileName],
    ['Import of', kind],
    ['Rows', report.rows],
    ['Would create', report.creates],
    ['Would update', report.updates],
    ['Already there', report.unchanged],
    ['Errors', report.errorCount],
    ...report.notes.map((n): [string, string] => ['Note', n]),
  ];
  for (const l of lines) summary.addRow(l);
  summary.getColumn(1).font = { bold: true };
  const errors = wb.addWorksheet('Errors', { views: [{ state: 'frozen', ySplit: 1 }] });
  errors.columns = [
    { header: 'Row', width: 8 },
    { header: 'Column', width: 24 },
    { header: 'Problem', width: 90 },
  ];
  errors.getRow(1).font = { bold: true };
  for (const e of report.errors) errors.addRow([e.row, e.column, e.message]);
  if (report.errorCount > report.errors.length) errors.addRow([null, null, `… and ${report.errorCount - report.errors.length} more errors`]);
  errors.autoFilter = { from: 'A1', to: `C${Math.max(1, report.errors.length + 1)}` };
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return { name: `${fileName.replace(/\.[^.]*$/, '')}-import-report.xlsx`, base64: bytes.toString('base64') };
}
