import { PostingFileError, quoteCsvField, readCsvRows, type CsvRow } from './csv.ts';
import { isCalendarDate } from './dates.ts';
import { formatCents, MoneyError, parseMoney, type Cents } from './money.ts';
import type { FileLine } from './posting-file.ts';
import { DEPOSIT_CODE, DEPOSIT_CODE_PROBLEM, NO_CODES } from './deposit-accounts.ts';
import { ACCOUNTS, METHODS, type Account, type FileFormatVersion, type Method } from './types.ts';

/**
 * paybridge-csv (SPEC §5), by version. Changing a column is a new version, not an edit:
 * version 2 adds the deposit account's codes after `account` (issue 13); version 1 stays
 * as it was, byte for byte.
 */
const CODE_COLUMNS = ['account_code', 'ledger_code', 'trans_type'] as const;
const COLUMNS_V1 = [
  'record_id',
  'payment_id',
  'line',
  'posting_date',
  'account',
  'invoice_number',
  'client_number',
  'matter_number',
  'amount',
  'surcharge',
  'method',
  'payer',
  'memo',
] as const;
const COLUMNS_V2 = [...COLUMNS_V1.slice(0, 5), ...CODE_COLUMNS, ...COLUMNS_V1.slice(5)] as const;
type Column = (typeof COLUMNS_V2)[number];
const COLUMNS: Record<FileFormatVersion, readonly Column[]> = { 1: COLUMNS_V1, 2: COLUMNS_V2 };
export const PAYBRIDGE_CSV_HEADER = COLUMNS_V1.join(',');
export const PAYBRIDGE_CSV_HEADER_V2 = COLUMNS_V2.join(',');
const TRAILER = '#TRAILER';

/** A line as read back: version 2 gives its codes, version 1 has none to give. */
export type ParsedLine = Omit<FileLine, 'checkNumber'>;

export function paybridgeCsv(
  seq: number,
  lines: readonly FileLine[],
  totalCents: Cents,
  version: FileFormatVersion = 1,
): string {
  const surchargeShown = new Set<string>();
  const q = quoteCsvField;
  // One string per line, concatenated field by field (as csvRow would join them): a file
  // of 100,000 lines is made in a Post All's request, so no arrays are built per line.
  const body = lines.map((line) => {
    // The surcharge goes on the record's first line only, so the column sums to what was
    // charged; never on a trust line (SPEC §3.6): it is the firm's operating income, and
    // nothing but client money is booked to trust.
    const surcharge = surchargeShown.has(line.recordId) || line.account === 'trust' ? 0 : line.surchargeCents;
    surchargeShown.add(line.recordId);
    const codes = line.codes ?? NO_CODES;
    const codeFields = version === 2 ? `${q(codes.accountCode)},${q(codes.ledgerCode)},${q(codes.transType)},` : '';
    return (
      `${q(line.recordId)},${q(line.paymentId)},${String(line.line)},${q(line.postingDate)},${q(line.account)},` +
      codeFields +
      `${q(line.account === 'trust' ? '' : (line.invoiceNumber ?? ''))},${q(line.clientNumber ?? '')},${q(line.matterNumber ?? '')},` +
      `${formatCents(line.amountCents)},${formatCents(surcharge)},${q(line.method)},${q(line.payer)},${q(line.memo)}\n`
    );
  });
  const trailer = `${TRAILER},${seq},${lines.length},${formatCents(totalCents)}\n`;
  return `${COLUMNS[version].join(',')}\n${body.join('')}${trailer}`;
}

/**
 * The strict reader: the demo MMS credit upload trusts nothing it did not check. Every
 * refusal names the file line and the field, so a person can find it in an editor.
 */
export function parsePaybridgeCsv(content: string): {
  lines: ParsedLine[];
  trailer: { seq: number; lineCount: number; totalCents: Cents };
} {
  if (content.startsWith('\uFEFF')) throw new PostingFileError('line 1: the file starts with a byte-order mark');
  const rows = readCsvRows(content);
  const [header, ...rest] = rows;
  const trailerRow = rest.pop();
  const headerText = (header?.fields ?? []).join(',');
  const version = headerText === PAYBRIDGE_CSV_HEADER_V2 ? 2 : 1;
  if (headerText !== PAYBRIDGE_CSV_HEADER && version !== 2) {
    throw new PostingFileError(`line 1: the header is not ${PAYBRIDGE_CSV_HEADER} (or version 2's)`);
  }
  if (trailerRow === undefined || trailerRow.fields[0] !== TRAILER) {
    throw new PostingFileError(`line ${trailerRow?.line ?? 2}: the last line is not the ${TRAILER} line`);
  }
  const lines = rest.map((row) => parseLine(row, version));
  const trailer = parseTrailer(trailerRow);
  // Summed exactly: a forged file could hold lines whose float sum rounds onto the trailer.
  const exactSum = lines.reduce((total, line) => total + BigInt(line.amountCents), 0n);
  const sum = Number(exactSum);
  if (!Number.isSafeInteger(sum)) throw fieldError(trailerRow, 'sum', 'the lines sum to more than can be held exactly');
  if (trailer.lineCount !== lines.length) {
    const problem = `the trailer says ${trailer.lineCount} but the file has ${lines.length} lines`;
    throw fieldError(trailerRow, 'line count', problem);
  }
  if (trailer.totalCents !== sum) {
    const problem = `the trailer says ${formatCents(trailer.totalCents)} but the lines sum to ${formatCents(sum)}`;
    throw fieldError(trailerRow, 'sum', problem);
  }
  return { lines, trailer };
}

function fieldError(row: CsvRow, field: string, problem: string): PostingFileError {
  return new PostingFileError(`line ${row.line}, field ${field}: ${problem}`);
}

function money(row: CsvRow, field: string, text: string): Cents {
  try {
    return parseMoney(text);
  } catch (error) {
    if (error instanceof MoneyError) throw fieldError(row, field, error.message);
    throw error;
  }
}

function oneOf<T extends string>(row: CsvRow, field: string, text: string, allowed: readonly T[]): T {
  const found = allowed.find((value) => value === text);
  if (found === undefined) throw fieldError(row, field, `${JSON.stringify(text)} is not one of ${allowed.join(', ')}`);
  return found;
}

function parseLine(row: CsvRow, version: FileFormatVersion): ParsedLine {
  const columns = COLUMNS[version];
  if (row.fields[0] === TRAILER) throw fieldError(row, 'record_id', 'a trailer before the end of the file');
  if (row.fields.length !== columns.length) {
    throw fieldError(row, 'line', `has ${row.fields.length} fields, expected ${columns.length}`);
  }
  const field = (column: Column): string => row.fields[columns.indexOf(column)] ?? '';
  const textOrNull = (column: Column): string | null => field(column) || null;
  const line = field('line');
  const postingDate = field('posting_date');
  if (field('record_id') === '') throw fieldError(row, 'record_id', 'is empty');
  if (field('payment_id') === '') throw fieldError(row, 'payment_id', 'is empty');
  if (!/^[1-9]\d*$/.test(line)) throw fieldError(row, 'line', `${JSON.stringify(line)} is not a line number from 1`);
  if (!isCalendarDate(postingDate)) {
    throw fieldError(row, 'posting_date', `${JSON.stringify(postingDate)} is not YYYY-MM-DD`);
  }
  const account: Account = oneOf(row, 'account', field('account'), ACCOUNTS);
  if (account === 'trust' && field('invoice_number') !== '') {
    throw fieldError(row, 'invoice_number', 'must be empty on a trust line');
  }
  const amountCents = money(row, 'amount', field('amount'));
  if (amountCents === 0) throw fieldError(row, 'amount', 'is 0.00');
  const method: Method = oneOf(row, 'method', field('method'), METHODS);
  return {
    recordId: field('record_id'),
    paymentId: field('payment_id'),
    line: Number(line),
    postingDate,
    account,
    invoiceNumber: textOrNull('invoice_number'),
    clientNumber: textOrNull('client_number'),
    matterNumber: textOrNull('matter_number'),
    amountCents,
    surchargeCents: money(row, 'surcharge', field('surcharge')),
    method,
    payer: field('payer'),
    memo: field('memo'),
    ...(version === 2
      ? {
          codes: {
            accountCode: codeField(row, 'account_code', field('account_code')),
            ledgerCode: codeField(row, 'ledger_code', field('ledger_code')),
            transType: codeField(row, 'trans_type', field('trans_type')),
          },
        }
      : {}),
  };
}

function codeField(row: CsvRow, column: string, text: string): string {
  if (!DEPOSIT_CODE.test(text)) throw fieldError(row, column, DEPOSIT_CODE_PROBLEM);
  return text;
}

function parseTrailer(row: CsvRow): { seq: number; lineCount: number; totalCents: Cents } {
  if (row.fields.length !== 4) throw fieldError(row, TRAILER, `has ${row.fields.length} fields, expected 4`);
  const [, seq = '', count = '', sum = ''] = row.fields;
  if (!/^[1-9]\d{0,14}$/.test(seq)) throw fieldError(row, 'seq', `${JSON.stringify(seq)} is not a batch number`);
  if (!/^(0|[1-9]\d{0,14})$/.test(count)) {
    throw fieldError(row, 'line count', `${JSON.stringify(count)} is not a count`);
  }
  return { seq: Number(seq), lineCount: Number(count), totalCents: money(row, 'sum', sum) };
}
