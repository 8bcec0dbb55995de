/**
 * CSV as spreadsheet programs write it (RFC 4180): fields separated by one delimiter, quoted with
 * double quotes when they hold the delimiter, a quote or a line break, quotes doubled inside.
 * Reading accepts comma, semicolon or tab (detected from the header line), CRLF or LF line ends, and
 * UTF-8 with or without a byte-order mark. Rows come one at a time, so a big file is never held
 * twice over as parsed rows.
 */

export type Delimiter = ',' | ';' | '\t';
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

/** Drops a UTF-8 byte-order mark (Excel writes one on "CSV UTF-8"). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The delimiter of a file: the candidate that splits the first line (outside quotes) into the most
 * fields. A one-column file has none of them, and reads the same with any; comma is the default.
 */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface CsvRow {
  /** 1-based line on which the row starts (a quoted field may span lines). */
  line: number;
  fields: string[];
}

/**
 * Parses CSV text row by row. A quote inside an unquoted field is kept as text (as Excel does);
 * a quoted field must close before the end of the file, else the row is reported, not guessed.
 */
export function* parseCsv(input: string, delimiter?: Delimiter): Generator<CsvRow> {
  const text = stripBom(input);
  const d = delimiter ?? detectDelimiter(text);
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new CsvError(`A quoted field opened on line ${startLine} never closes`, startLine);
          const q = text.indexOf('"', i);
          if (q === -1) throw new CsvError(`A quoted field opened on line ${startLine} never closes`, startLine);
          const chunk = text.slice(i, q);
          for (let k = 0; k < chunk.length; k++) if (chunk[k] === '\n') line++;
          value += chunk;
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        // Text after the closing quote up to the delimiter is kept, as spreadsheet programs do.
        while (i < n && text[i] !== d && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
      } else {
        const start = i;
        while (i < n && text[i] !== d && text[i] !== '\n' && text[i] !== '\r') i++;
        value = text.slice(start, i);
      }
      fields.push(value);
      if (i < n && text[i] === d) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    yield { line: startLine, fields };
  }
}

/** Quotes a field only when it must be: it holds the delimiter, a quote, a line break, or edge spaces. */
export function csvField(value: string, delimiter: Delimiter = ','): string {
  if (value === '') return '';
  const needs = value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r') || value !== value.trim();
  return needs ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV record with its CRLF terminator (RFC 4180). */
export function csvLine(fields: readonly string[], delimiter: Delimiter = ','): string {
  return `${fields.map((f) => csvField(f, delimiter)).join(delimiter)}\r\n`;
}
