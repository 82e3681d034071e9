/**
 * CSV (RFC 4180) reading and writing. Rosters come from spreadsheets and LMS
 * exports: a UTF-8 BOM, CRLF, quoted fields with commas, quotes and line
 * breaks inside, and — from a Dutch or German Excel — semicolons instead of
 * commas.
 */

export class CsvError extends Error {
  override name = 'CsvError';
}

export interface CsvRecord {
  /** The line the record starts on (1-based), for error messages. */
  line: number;
  fields: string[];
}

export interface CsvParseOptions {
  /** Default: Excel's `sep=` line if present, else guessed from the header — `,` unless it has `;` or a tab and no comma. */
  delimiter?: ',' | ';' | '\t';
}

export function parseCsv(text: string, options: CsvParseOptions = {}): CsvRecord[] {
  let input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  // Excel's own hint line, `sep=;`, names the delimiter and is not data.
  const hint = /^sep=([,;\t])(?:\r\n|\n|\r|$)/.exec(input);
  if (hint) {
    input = input.slice(hint[0].length);
    line = 2;
  }
  const delimiter = options.delimiter ?? (hint?.[1] as ',' | ';' | '\t' | undefined) ?? guessDelimiter(input);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let recordLine = line;
  let i = 0;
  /** Whether the current record has begun (so a lone trailing newline makes no empty record). */
  let started = false;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push({ line: recordLine, fields });
    fields = [];
    started = false;
  };

  while (i < input.length) {
    const ch = input[i]!;
    if (!started) {
      started = true;
      recordLine = line;
    }
    if (ch === '"' && field === '') {
      // A quoted field: runs to the next lone quote; "" is a quote.
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= input.length) throw new CsvError(`line ${quoteLine}: a quoted field is never closed (a " is missing)`);
        const q = input[i]!;
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && input[i + 1] !== '\n')) line++;
        field += q;
        i++;
      }
      const next = input[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r')
        throw new CsvError(`line ${line}: unexpected text after a closing quote (write a quote inside a quoted field as "")`);
      continue;
    }
    if (ch === delimiter) {
      endField();
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line++;
    } else {
      // A quote inside an unquoted field is kept as it is, as spreadsheets do.
      field += ch;
      i++;
    }
  }
  if (started) endRecord();
  return records;
}

function guessDelimiter(input: string): ',' | ';' | '\t' {
  // The header line, with quoted parts removed: a comma inside "Name, full" says nothing.
  const firstLine = (input.split(/\r?\n|\r/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes(';')) return ';';
  if (firstLine.includes('\t')) return '\t';
  return ',';
}

/**
 * One cell for a CSV a spreadsheet will open. A value starting with = + - @
 * (or a tab or CR, which some spreadsheets skip before reading a formula) is
 * prefixed with `'` so it is shown as text, never run as a formula (OWASP "CSV
 * injection"). Then it is quoted when it holds a delimiter, quote, line break
 * or leading/trailing space.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text: CRLF line ends (RFC 4180), a final line end. */
export function formatCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
