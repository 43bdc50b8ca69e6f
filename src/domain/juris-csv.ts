import { csvRow } from './csv.ts';
import { toUsDate } from './dates.ts';
import { addCents, formatCents, ZERO_CENTS, type Cents } from './money.ts';
import type { FileLine } from './posting-file.ts';

/** The Juris cash receipt import columns. */
export const JURIS_CSV_HEADER = 'DepositDate,CheckNbr,CheckDate,CheckAmount,Payor,BillNbr,ApplytoBill,ClientMatter';

/**
 * One row per allocation, CRLF because Juris imports on Windows, and no trailer: Juris
 * would read one as a receipt. A receipt's rows share CheckNbr and CheckAmount (the
 * record's total in this file) and ApplytoBill splits it over the bills. There is no
 * surcharge column: a surcharge is not applied to a bill, so the firm books it apart.
 *
 * CheckNbr is the line's checkNumber or else the first 8 characters of its record id:
 * Juris keeps check numbers short, and the record (not the payment) is what must be
 * told apart, since a reversal shares its payment with the original.
 */
export function jurisCsv(lines: readonly FileLine[]): string {
  const recordTotals = new Map<string, Cents>();
  for (const line of lines) {
    recordTotals.set(line.recordId, addCents(recordTotals.get(line.recordId) ?? ZERO_CENTS, line.amountCents));
  }
  const rows = lines.map((line) => {
    const date = toUsDate(line.postingDate);
    return csvRow(
      [
        date,
        line.checkNumber ?? line.recordId.slice(0, 8),
        date,
        formatCents(recordTotals.get(line.recordId) ?? line.amountCents),
        line.payer,
        line.invoiceNumber ?? '',
        formatCents(line.amountCents),
        clientMatter(line),
      ],
      '\r\n',
    );
  });
  return `${JURIS_CSV_HEADER}\r\n${rows.join('')}`;
}

function clientMatter(line: FileLine): string {
  if (line.clientNumber === null) return '';
  return line.matterNumber === null ? line.clientNumber : `${line.clientNumber}.${line.matterNumber}`;
}
