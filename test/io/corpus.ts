import ExcelJS from 'exceljs';
import { xlsxOf } from './sheets';

/**
 * The bad-file corpus: files an ISP's old system (or a tired person) produces. Each is built here
 * rather than committed as a binary, so what is wrong with it is written down beside it.
 */

export interface BadFile {
  name: string;
  what: string;
  bytes(): Promise<Buffer>;
  /** Every error the report must hold, as "row|column|message start". */
  expect: string[];
  notes?: RegExp[];
}

export const HEADER = ['Customer', 'E-Mail', 'Assigned to', 'Tariff', 'PPPoE user', 'IP address', 'MAC', 'Start date', 'Bill day'];
export const good = (i: number) => [`Good Person${i}`, `good${i}@example.com`, 'Alex Admin', 'Home 25', `good${i}`, null, null, '2026-01-01', 1];

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const text = (s: string) => async () => Buffer.from(s, 'utf8');

export const CORPUS: BadFile[] = [
  {
    name: 'wrong-types.xlsx',
    what: 'text in a number column, a number where a date goes out of range, a boolean as a date',
    bytes: () => xlsxOf(HEADER, [good(1), ['Wrong Types', 'wt@example.com', 'Alex Admin', 'Home 25', 'wt', null, null, true, 'first']]),
    expect: ['3|Start date|Not a date', '3|Bill day|"first" is not a whole number'],
  },
  {
    name: 'missing-mandatory.xlsx',
    what: 'no engineer, no name, no plan for a service',
    bytes: () => xlsxOf(HEADER, [good(1), ['No Engineer', 'ne@example.com', null, 'Home 25', 'ne', null, null, '2026-01-01', 1], [null, 'nn@example.com', 'Alex Admin', 'Home 25', 'nn', null, null, '2026-01-01', 1], ['No Plan', 'np@example.com', 'Alex Admin', null, 'np', null, null, '2026-01-01', 1]]),
    expect: ['3|Assigned to|Required', '4|Customer|Required', '5|Tariff|Required'],
  },
  {
    name: 'duplicate-logins.csv',
    what: 'a login twice in the file, and one already held by a service in the datastore',
    bytes: text(`${HEADER.join(',')}\n${good(1).map((x) => x ?? '').join(',')}\nDup Login,dl@example.com,Alex Admin,Home 25,good1,,,2026-01-01,1\nHeld Login,hl@example.com,Alex Admin,Home 25,held,,,2026-01-01,1\n`),
    expect: ['3|PPPoE user|"good1" is also on row 2 of this file', '4|PPPoE user|Login "held" is already used by a service of S-'],
  },
  {
    name: 'unknown-plans-staff.csv',
    what: 'a plan and a staff member nobody has',
    bytes: text(`${HEADER.join(',')}\nUnknown Plan,up@example.com,Alex Admin,Gold 1000,up,,,2026-01-01,1\nUnknown Staff,us@example.com,Zed Nobody,Home 25,us,,,2026-01-01,1\n`),
    expect: ['2|Tariff|No plan named "Gold 1000"', '3|Assigned to|No staff member named "Zed Nobody"'],
  },
  {
    name: 'bad-macs-ips.csv',
    what: 'a MAC that is not one, an IP outside every network, one taken, one not an address',
    bytes: text(
      `${HEADER.join(',')}\nBad Mac,bm@example.com,Alex Admin,Home 25,bm,,00:11:22:33:44,2026-01-01,1\nOutside Ip,oi@example.com,Alex Admin,Home 25,oi,192.168.50.5,,2026-01-01,1\nTaken Ip,ti@example.com,Alex Admin,Home 25,ti,10.20.0.50,,2026-01-01,1\nNot Ip,ni@example.com,Alex Admin,Home 25,ni,10.20.0.300,,2026-01-01,1\nGateway Ip,gi@example.com,Alex Admin,Home 25,gi,10.20.0.1,,2026-01-01,1\n`,
    ),
    expect: [
      '2|MAC|"00:11:22:33:44" is not a MAC address',
      '3|IP address|192.168.50.5 is not in any permanent network',
      '4|IP address|10.20.0.50 is already taken by service',
      '5|IP address|"10.20.0.300" is not an IPv4 address',
      '6|IP address|10.20.0.1 is the gateway of 10.20.0.0/24',
    ],
  },
  {
    name: 'merged-cells.xlsx',
    what: 'a name merged across the e-mail and engineer cells, as people format a heading row',
    bytes: () =>
      workbook((wb) => {
        const ws = wb.addWorksheet('Customers');
        ws.addRow(HEADER);
        ws.addRow(good(1));
        ws.addRow(['Merged Row', null, null, 'Home 25', 'mr', null, null, '2026-01-01', 1]);
        ws.mergeCells('A3:C3');
      }),
    expect: ['3|Assigned to|Required'],
  },
  {
    name: 'hidden-sheet.xlsx',
    what: 'a hidden sheet of junk before the visible one, which has one bad row',
    bytes: () =>
      workbook((wb) => {
        const hidden = wb.addWorksheet('Lookups', { state: 'hidden' });
        hidden.addRow(['junk', 'more junk']);
        const ws = wb.addWorksheet('Customers');
        ws.addRow(HEADER);
        ws.addRow(good(1));
        ws.addRow(['Bad Bill Day', 'bb@example.com', 'Alex Admin', 'Home 25', 'bb', null, null, '2026-01-01', 31]);
      }),
    expect: ['3|Bill day|Bill day is 1 to 28'],
    notes: [/Sheet "Lookups" is hidden and was not read/],
  },
  {
    name: 'empty-sheets.xlsx',
    what: 'two sheets, both empty',
    bytes: () => workbook((wb) => (wb.addWorksheet('One'), wb.addWorksheet('Two'), undefined)),
    expect: ['0||The file has no rows'],
  },
  {
    name: 'truncated.xlsx',
    what: 'a workbook cut off half way (a failed download)',
    bytes: async () => {
      const full = await xlsxOf(HEADER, [good(1), good(2)]);
      return full.subarray(0, Math.floor(full.length / 2));
    },
    expect: ['0||The workbook could not be read'],
  },
  {
    name: 'photo.png',
    what: 'not a spreadsheet at all',
    bytes: async () => Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
    expect: ['0||photo.png is not a spreadsheet'],
  },
  {
    name: 'semicolon-bom.csv',
    what: 'semicolons, a byte-order mark, a quoted name with a line break, one bad row',
    bytes: text(`\uFEFF${HEADER.join(';')}\r\n"José\nPérez";jp@example.com;Alex Admin;Home 25;jp;;;04.01.2026;1\r\nBad Date;bd@example.com;Alex Admin;Home 25;bd;;;31.02.2026;1\r\n`),
    expect: ['4|Start date|"31.02.2026" is not a date'],
  },
  {
    name: 'formulas-errors.xlsx',
    what: 'a formula (its result is used) and a lookup whose #N/A was pasted as a value',
    bytes: () =>
      workbook((wb) => {
        const ws = wb.addWorksheet('Customers');
        ws.addRow(HEADER);
        ws.addRow([{ formula: '"Formula "&"Person"', result: 'Formula Person' }, 'fp@example.com', 'Alex Admin', 'Home 25', 'fp', null, null, '2026-01-01', { formula: '1+1', result: 2 }]);
        ws.addRow(['Lookup Failed', 'lf@example.com', 'Alex Admin', { error: '#N/A' }, 'lf', null, null, '2026-01-01', 1]);
      }),
    expect: ['3|Tariff|The cell holds the error #N/A'],
  },
  {
    name: 'dates-numbers-text.xlsx',
    what: 'start dates as date cells, as day numbers and as text in three spellings; one impossible',
    bytes: () =>
      xlsxOf(HEADER, [
        ['Date Cell', 'dc@example.com', 'Alex Admin', 'Home 25', 'dc', null, null, new Date(Date.UTC(2026, 0, 5)), 1],
        ['Day Number', 'dn@example.com', 'Alex Admin', 'Home 25', 'dn', null, null, 46027, 1],
        ['Us Text', 'ut@example.com', 'Alex Admin', 'Home 25', 'ut', null, null, '1/5/2026', 1],
        ['Dot Text', 'dt@example.com', 'Alex Admin', 'Home 25', 'dt', null, null, '5.1.2026', 1],
        ['Month Text', 'mt@example.com', 'Alex Admin', 'Home 25', 'mt', null, null, 'Jan 5, 2026', 1],
        ['Bad Text', 'bt@example.com', 'Alex Admin', 'Home 25', 'bt', null, null, '13/13/2026', 1],
      ]),
    expect: ['7|Start date|"13/13/2026" is not a date'],
  },
];
