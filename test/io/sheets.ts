import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

/** Spreadsheets for import tests and benchmarks, written with exceljs's streaming writer. */

export const SUBSCRIPTION_HEADERS = ['Customer', 'E-Mail', 'Phone', 'Assigned to', 'Tariff', 'PPPoE user', 'IP address', 'MAC', 'Start date', 'Monthly fee', 'Status'];

/** One subscriber row with a service; `i` makes logins, e-mails, addresses and MACs unique. */
export function subscriberRow(i: number, engineer: string, plan: string): (string | number | Date | null)[] {
  const hex = i.toString(16).padStart(6, '0');
  return [
    `First${i} Last${i}`,
    `user${i}@example.net`,
    `+1 555 ${String(i % 10000).padStart(4, '0')}`,
    engineer,
    plan,
    `pppoe${i}`,
    // 10.64.0.0/10 holds 4 million addresses: plenty for any row count used here.
    `10.${64 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`,
    `02:00:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`,
    new Date(Date.UTC(2025, i % 12, 1 + (i % 28))),
    49 + (i % 3) * 10,
    'Active',
  ];
}

export async function xlsxOf(header: readonly string[], rows: Iterable<readonly unknown[]>, sheetName = 'Customers'): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  const ws = wb.addWorksheet(sheetName);
  ws.addRow([...header]).commit();
  for (const r of rows) ws.addRow([...r]).commit();
  ws.commit();
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

export function* subscriberRows(n: number, engineer: string, plan: string): Generator<(string | number | Date | null)[]> {
  for (let i = 1; i <= n; i++) yield subscriberRow(i, engineer, plan);
}
