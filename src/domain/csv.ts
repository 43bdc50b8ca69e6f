/**
 * RFC 4180 as the posting files use it. Fields are quoted only when they must be, and
 * never rewritten: no formula escaping, because a ledger import must get the payer's
 * name and memo byte for byte (text is vetted when a payment is taken in, not here).
 */
export class PostingFileError extends Error {
  readonly code = 'invalid_posting_file';

  constructor(message: string) {
    super(message);
    this.name = 'PostingFileError';
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

export function quoteCsvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRow(fields: readonly string[], eol: '\n' | '\r\n'): string {
  return fields.map(quoteCsvField).join(',') + eol;
}

export interface CsvRow {
  /** The physical line the row starts on, counted from 1, for error messages. */
  line: number;
  fields: string[];
}

/**
 * Reads an LF file strictly: every row ends in LF, a quote may only open a field or be
 * doubled inside one, and a bare CR is an error (a CRLF file is the wrong format).
 */
export function readCsvRows(content: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let fieldStart = true;
  let line = 1;
  let rowLine = 1;
  let index = 0;
  const fail = (message: string): never => {
    throw new PostingFileError(`line ${line}: ${message}`);
  };
  while (index < content.length) {
    const char = content[index]!;
    if (fieldStart && char === '"') {
      index += 1;
      for (;;) {
        const quoted = content[index];
        if (quoted === undefined) {
          line = rowLine;
          fail('a quoted field is never closed');
        } else if (quoted === '"' && content[index + 1] === '"') {
          field += '"';
          index += 2;
        } else if (quoted === '"') {
          index += 1;
          break;
        } else {
          if (quoted === '\n') line += 1;
          field += quoted;
          index += 1;
        }
      }
      const after = content[index];
      if (after !== ',' && after !== '\n') fail('a closing quote must be followed by a comma or the end of the line');
      fieldStart = false;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      fieldStart = true;
      index += 1;
    } else if (char === '\n') {
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      fieldStart = true;
      line += 1;
      rowLine = line;
      index += 1;
    } else if (char === '"') {
      fail('a quote inside an unquoted field');
    } else if (char === '\r') {
      fail('a carriage return outside quotes; lines must end in LF alone');
    } else {
      field += char;
      fieldStart = false;
      index += 1;
    }
  }
  if (fields.length > 0 || !fieldStart) fail('the last line does not end in a line feed');
  return rows;
}
