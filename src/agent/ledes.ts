/**
 * LEDES 1998B invoice files (SPEC §6), the e-billing export every MMS can write. Pure: text
 * in, invoices out, or a LedesError naming the physical line and field. One invoice spans
 * many line items, so the invoice-level fields of its lines must agree.
 */

export interface LedesInvoice {
  invoiceNumber: string;
  clientNumber: string;
  matterNumber: string;
  /** YYYY-MM-DD */
  invoiceDate: string;
  totalCents: number;
  /** CLIENT_NAME when the file has it, else the client id. */
  clientName: string;
}

export class LedesError extends Error {
  constructor(
    /** 1-based physical line in the file. */
    readonly line: number,
    /** The header field at fault, or null when the fault is the record's shape. */
    readonly field: string | null,
    reason: string,
  ) {
    super(field === null ? `line ${line}: ${reason}` : `line ${line}, ${field}: ${reason}`);
    this.name = 'LedesError';
  }
}

import { DATE_RANGE_PROBLEM, MAX_YEAR, MIN_YEAR, textProblem } from '../domain/bounds.ts';
import { amountBoundProblem, MAX_AMOUNT_CENTS } from '../domain/money.ts';

const MARKER = 'LEDES1998B';
const REQUIRED = ['INVOICE_NUMBER', 'CLIENT_ID', 'LAW_FIRM_MATTER_ID', 'INVOICE_DATE', 'INVOICE_TOTAL'] as const;
/** Read when the file has them; a file without them is still a valid 1998B file. */
type OptionalField = 'CLIENT_NAME' | 'LAW_FIRM_ID';
type UsedField = (typeof REQUIRED)[number] | OptionalField;

/** A record's field value and the physical line it starts on. */
interface Cell {
  value: string;
  line: number;
}

interface RawRecord {
  line: number;
  cells: Cell[];
}

export function parseLedes(text: string): { invoices: LedesInvoice[] } {
  // Windows exporters often prepend a byte-order mark.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // Checked on the raw first line, so any other file is named as such rather than as a
  // LEDES file with a broken record.
  if (!/^LEDES1998B\[\][ \t]*(\r?\n|$)/.test(body)) {
    throw new LedesError(1, null, `not a LEDES 1998B file: the first line must be ${MARKER}[]`);
  }
  const [, header, ...rows] = splitRecords(body);
  if (!header) throw new LedesError(2, null, 'the header line of field names is missing');
  const columns = readHeader(header);

  const invoices = new Map<string, { invoice: LedesInvoice; seen: Map<UsedField, Cell & { key: string }> }>();
  for (const row of rows) {
    if (row.cells.length !== columns.count) {
      throw new LedesError(
        row.line,
        null,
        `expected ${columns.count} fields as in the header, found ${row.cells.length} (is a [] missing at a line end?)`,
      );
    }
    const cell = (field: UsedField): Cell | undefined => {
      const index = columns.index.get(field);
      return index === undefined ? undefined : row.cells[index];
    };
    // The text the server takes (SPEC §2), checked here so the file's line and field are named.
    const checkText = (field: UsedField, found: Cell | undefined): Cell | undefined => {
      const problem = found === undefined ? null : textProblem(found.value);
      if (found && problem !== null) throw new LedesError(found.line, field, problem);
      return found;
    };
    const required = (field: (typeof REQUIRED)[number]): Cell => {
      const found = checkText(field, cell(field));
      if (!found || found.value === '') throw new LedesError(found?.line ?? row.line, field, 'is empty');
      return found;
    };

    const invoiceNumber = required('INVOICE_NUMBER');
    const clientId = required('CLIENT_ID');
    const matterId = required('LAW_FIRM_MATTER_ID');
    const dateCell = required('INVOICE_DATE');
    const totalCell = required('INVOICE_TOTAL');
    const invoiceDate = parseLedesDate(dateCell);
    const totalCents = parseLedesAmount(totalCell);
    const clientNameCell = checkText('CLIENT_NAME', cell('CLIENT_NAME'));
    const lawFirmCell = cell('LAW_FIRM_ID');

    // Compared by meaning, not spelling: 1500.0 and 1500.00 are the same total.
    const levels: [UsedField, Cell | undefined, string][] = [
      ['CLIENT_ID', clientId, clientId.value],
      ['LAW_FIRM_MATTER_ID', matterId, matterId.value],
      ['INVOICE_DATE', dateCell, invoiceDate],
      ['INVOICE_TOTAL', totalCell, String(totalCents)],
      ['CLIENT_NAME', clientNameCell, clientNameCell?.value ?? ''],
      ['LAW_FIRM_ID', lawFirmCell, lawFirmCell?.value ?? ''],
    ];

    const existing = invoices.get(invoiceNumber.value);
    if (existing) {
      for (const [field, at, key] of levels) {
        const first = existing.seen.get(field);
        if (!at || !first || first.key === key) continue;
        throw new LedesError(
          at.line,
          field,
          `"${at.value}" disagrees with "${first.value}" on line ${first.line} for invoice ${invoiceNumber.value}`,
        );
      }
      continue;
    }
    const seen = new Map<UsedField, Cell & { key: string }>();
    for (const [field, at, key] of levels) if (at) seen.set(field, { ...at, key });
    invoices.set(invoiceNumber.value, {
      seen,
      invoice: {
        invoiceNumber: invoiceNumber.value,
        clientNumber: clientId.value,
        matterNumber: matterId.value,
        invoiceDate,
        totalCents,
        clientName: clientNameCell && clientNameCell.value !== '' ? clientNameCell.value : clientId.value,
      },
    });
  }
  return { invoices: [...invoices.values()].map((entry) => entry.invoice) };
}

/**
 * A record ends at `[]`, not at a line end: exporters wrap long records (a narrative with
 * line breaks, or a fixed-width writer) and use CRLF or LF. Line breaks inside a record are
 * dropped rather than read as spaces, since a fixed-width wrap can split an invoice number;
 * none of the fields read here hold prose.
 */
function splitRecords(text: string): RawRecord[] {
  const records: RawRecord[] = [];
  let line = 1;
  let position = 0;
  while (position < text.length) {
    // Skip the line break and blank space between records.
    while (position < text.length && /\s/.test(text[position] ?? '')) {
      if (text[position] === '\n') line += 1;
      position += 1;
    }
    if (position >= text.length) break;
    const end = text.indexOf('[]', position);
    const startLine = line;
    if (end === -1) throw new LedesError(startLine, null, 'the record does not end with []');
    const cells: Cell[] = [];
    let cellLine = line;
    let value = '';
    for (let i = position; i < end; i += 1) {
      const ch = text[i] ?? '';
      if (ch === '|') {
        cells.push({ value: value.trim(), line: cellLine });
        value = '';
        cellLine = line;
      } else if (ch === '\n') {
        line += 1;
        // A field that starts after a wrap is reported on the line where its text begins.
        if (value.trim() === '') cellLine = line;
      } else if (ch !== '\r') {
        value += ch;
      }
    }
    cells.push({ value: value.trim(), line: cellLine });
    records.push({ line: startLine, cells });
    position = end + 2;
  }
  return records;
}

function readHeader(header: RawRecord): { count: number; index: Map<string, number> } {
  const index = new Map<string, number>();
  header.cells.forEach((cell, i) => {
    const name = cell.value.toUpperCase();
    if (name === '') throw new LedesError(cell.line, null, `header field ${i + 1} has no name`);
    if (index.has(name)) throw new LedesError(cell.line, name, 'appears twice in the header');
    index.set(name, i);
  });
  for (const field of REQUIRED) {
    if (!index.has(field)) throw new LedesError(header.line, field, 'is missing from the header');
  }
  return { count: header.cells.length, index };
}

function parseLedesDate(cell: Cell): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(cell.value);
  const [, y, m, d] = match ?? [];
  if (y === undefined || m === undefined || d === undefined) {
    throw new LedesError(cell.line, 'INVOICE_DATE', `"${cell.value}" is not a date in YYYYMMDD form`);
  }
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year < 1 || daysInMonth === undefined || day < 1 || day > daysInMonth) {
    throw new LedesError(cell.line, 'INVOICE_DATE', `"${cell.value}" is not a calendar date`);
  }
  if (year < MIN_YEAR || year > MAX_YEAR)
    throw new LedesError(cell.line, 'INVOICE_DATE', `"${cell.value}" ${DATE_RANGE_PROBLEM}`);
  return `${y}-${m}-${d}`;
}

/**
 * Exact decimal to cents by string arithmetic: at most two decimals, no exponent, no
 * thousands separators. A negative total (a credit note) is read as such; whether to
 * accept one is the caller's decision.
 */
function parseLedesAmount(cell: Cell): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(cell.value);
  if (!match) {
    throw new LedesError(cell.line, 'INVOICE_TOTAL', `"${cell.value}" is not an amount with at most two decimals`);
  }
  const [, sign = '', whole = '', fraction = ''] = match;
  const magnitude = BigInt(whole + fraction.padEnd(2, '0'));
  if (magnitude > BigInt(MAX_AMOUNT_CENTS)) {
    throw new LedesError(
      cell.line,
      'INVOICE_TOTAL',
      `"${cell.value}" is too large: ${amountBoundProblem('an invoice total')}`,
    );
  }
  return Number(sign === '-' ? -magnitude : magnitude);
}
