import { createHash } from 'node:crypto';
import { PostingFileError } from './csv.ts';
import { isCalendarDate } from './dates.ts';
import { jurisCsv } from './juris-csv.ts';
import { assertCents, ZERO_CENTS, type Cents } from './money.ts';
import { paybridgeCsv } from './paybridge-csv.ts';
import type { DepositCodes } from './deposit-accounts.ts';
import { FIRM_CODE, type Account, type FileFormat, type FileFormatVersion, type Method } from './types.ts';

export { PostingFileError } from './csv.ts';
export { parsePaybridgeCsv, PAYBRIDGE_CSV_HEADER, PAYBRIDGE_CSV_HEADER_V2, type ParsedLine } from './paybridge-csv.ts';

/** One allocation of one record, as it goes into a batch file. */
export interface FileLine {
  recordId: string;
  paymentId: string;
  /** The allocation's line number within its record, from 1. */
  line: number;
  /** YYYY-MM-DD */
  postingDate: string;
  account: Account;
  invoiceNumber: string | null;
  clientNumber: string | null;
  matterNumber: string | null;
  amountCents: Cents;
  /**
   * The record's surcharge. It may be repeated on every line of the record: the file
   * prints it on the record's first line only (0.00 on the others), so summing the
   * column gives each surcharge once; a trust line shows 0.00 whatever it holds.
   */
  surchargeCents: Cents;
  method: Method;
  payer: string;
  memo: string;
  /** Juris CheckNbr; when absent, the first 8 characters of recordId. */
  checkNumber?: string;
  /** The codes of the record's deposit account as the batch is made; paybridge-csv version 2 prints them. */
  codes?: DepositCodes;
}

export interface RenderedFile {
  fileName: string;
  content: Buffer;
  /** Lowercase hex of the SHA-256 of content. */
  sha256: string;
  lineCount: number;
  totalCents: Cents;
}

const EXTENSION: Record<FileFormat, string> = { 'paybridge-csv': 'csv', 'juris-csv': 'csv' };

/** PB_<FIRMCODE>_<seq, 6 digits>.csv; both formats are CSV, so the extension is the same. */
export function batchFileName(firmCode: string, seq: number, format: FileFormat): string {
  // The name lands in a folder on the firm's server: only the firm-code alphabet may reach it.
  if (!FIRM_CODE.test(firmCode)) {
    throw new PostingFileError(`firm code ${JSON.stringify(firmCode)} is not 1 to 20 of A-Z, 0-9 or _`);
  }
  checkSeq(seq);
  return `PB_${firmCode}_${String(seq).padStart(6, '0')}.${EXTENSION[format]}`;
}

/**
 * Renders a batch's file once, when the batch is made; it is stored and never rendered
 * again, so a later change to this code, or to a deposit account's codes, cannot alter a
 * file the MMS may already hold. `version` is paybridge-csv's; juris-csv has one.
 */
export function renderBatchFile(
  format: FileFormat,
  firmCode: string,
  seq: number,
  lines: FileLine[],
  version: FileFormatVersion = 1,
): RenderedFile {
  const fileName = batchFileName(firmCode, seq, format);
  if (lines.length === 0) throw new PostingFileError('a batch file needs at least one line; no empty batch is made');
  let totalCents = ZERO_CENTS;
  lines.forEach((line, index) => {
    checkLine(line, index);
    totalCents = assertCents(totalCents + line.amountCents, 'batch total');
  });
  const text = format === 'paybridge-csv' ? paybridgeCsv(seq, lines, totalCents, version) : jurisCsv(lines);
  const content = Buffer.from(text, 'utf8');
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { fileName, content, sha256, lineCount: lines.length, totalCents };
}

function checkSeq(seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new PostingFileError(`batch seq must be a whole number from 1, got ${String(seq)}`);
  }
}

/** The first thing that keeps a line out of a file, or null; the caller names the line. */
function lineProblem(line: FileLine): string | null {
  if (line.recordId === '' || line.paymentId === '') return 'record and payment ids are required';
  if (!Number.isSafeInteger(line.line) || line.line < 1) return 'the allocation line must be 1 or more';
  if (!isCalendarDate(line.postingDate)) return `posting date ${JSON.stringify(line.postingDate)} is not YYYY-MM-DD`;
  if (!Number.isSafeInteger(line.amountCents)) return `amount ${String(line.amountCents)} is not whole cents`;
  if (!Number.isSafeInteger(line.surchargeCents)) return `surcharge ${String(line.surchargeCents)} is not whole cents`;
  if (line.amountCents === 0) return 'amount is 0.00';
  if (line.account === 'trust' && line.invoiceNumber !== null) return 'a trust line has no invoice';
  if (line.account === 'operating' && line.invoiceNumber === null) return 'an operating line needs an invoice';
  return null;
}

function checkLine(line: FileLine, index: number): void {
  const problem = lineProblem(line);
  if (problem !== null) {
    throw new PostingFileError(`line ${index + 1} (record ${line.recordId}, allocation ${line.line}): ${problem}`);
  }
}
