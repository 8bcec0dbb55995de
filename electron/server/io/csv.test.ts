import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, csvLine, detectDelimiter, parseCsv } from './csv';

const rows = (text: string) => [...parseCsv(text)].map((r) => r.fields);

describe('CSV reading', () => {
  it('reads comma-separated fields with CRLF or LF line ends', () => {
    expect(rows('a,b,c\r\n1,2,3\n4,5,6')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
  });

  it('detects semicolon and tab delimiters from the header line', () => {
    expect(detectDelimiter('Name;Login;IP\n"a,b";x;y')).toBe(';');
    expect(detectDelimiter('Name\tLogin\n')).toBe('\t');
    expect(rows('Name;Login\n"Smith, John";jsmith')).toEqual([
      ['Name', 'Login'],
      ['Smith, John', 'jsmith'],
    ]);
  });

  it('ignores a delimiter inside a quoted header when detecting', () => {
    expect(detectDelimiter('"a;b;c",d,e\n')).toBe(',');
  });

  it('drops a UTF-8 byte-order mark so the first header is not polluted', () => {
    expect(rows('\uFEFFName;Ville\nJosé;Québec')).toEqual([
      ['Name', 'Ville'],
      ['José', 'Québec'],
    ]);
  });

  it('keeps line breaks and doubled quotes inside quoted fields and numbers rows by their first line', () => {
    const parsed = [...parseCsv('Name,Notes\n"Ann","line one\nline ""two"""\nBob,x')];
    expect(parsed.map((r) => r.fields)).toEqual([
      ['Name', 'Notes'],
      ['Ann', 'line one\nline "two"'],
      ['Bob', 'x'],
    ]);
    expect(parsed.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(rows('a,,c,\n')).toEqual([['a', '', 'c', '']]);
  });

  it('reports a quoted field that never closes with the line it opened on', () => {
    expect(() => rows('a,b\n1,"open\n2,3')).toThrow(CsvError);
    try {
      rows('a,b\n1,"open\n2,3');
    } catch (e) {
      expect((e as CsvError).line).toBe(2);
    }
  });
});

describe('CSV writing', () => {
  it('quotes only fields that need it and ends records with CRLF', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded', ''])).toBe('plain,"a,b","say ""hi""","two\nlines"," padded",\r\n');
  });

  it('reads back exactly what it wrote, for any text and delimiter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '\t', '"', '\n', '\r', 'é', '1') }), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<',' | ';' | '\t'>(',', ';', '\t'),
        (table, d) => {
          const width = table[0]!.length;
          const square = table.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
          // A row of one empty field is an empty line, which CSV cannot tell from no row: give it content.
          const text = square.map((r) => csvLine(r, d)).join('');
          expect([...parseCsv(text, d)].map((r) => r.fields)).toEqual(square);
        },
      ),
      { numRuns: 300 },
    );
  });
});
