import { paymentMethodText } from '../../domain/spreadsheet.ts';
import { REASON_TEXT } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import type { PostingRecordView } from '../../db/postings.ts';
import type { ListFilters } from '../../domain/paging.ts';
import { exportList, firmDayCell, type XlsxColumn, type XlsxExport } from '../exports/write-xlsx.ts';
import { listRecords, type View } from './list-records.ts';

/** Rows are read a page at a time by the list's own keyset, never the whole view at once. */
export const EXPORT_PAGE_SIZE = 2500;

const distinct = (values: (string | null)[]): string =>
  [...new Set(values.filter((v): v is string => Boolean(v)))].join(', ');

/** What the record applies to: its allocations once it has them, else what the payer typed. */
const invoicesOf = (r: PostingRecordView) =>
  distinct(r.allocations.length ? r.allocations.map((a) => a.invoiceNumber) : r.invoiceNumbers);
const clientsOf = (r: PostingRecordView) =>
  distinct(r.allocations.some((a) => a.clientNumber) ? r.allocations.map((a) => a.clientNumber) : [r.clientNumber]);
const mattersOf = (r: PostingRecordView) =>
  distinct(r.allocations.some((a) => a.matterNumber) ? r.allocations.map((a) => a.matterNumber) : [r.matterNumber]);

/** The columns of a postings export; its dates are days in the firm's time zone. */
export const recordColumns = (timeZone: string): readonly XlsxColumn<PostingRecordView>[] => [
  { header: 'Date', width: 12, kind: 'date', value: (r) => firmDayCell(r.processedAt, timeZone) },
  { header: 'Posting date', width: 12, kind: 'date', value: (r) => new Date(`${r.postingDate}T00:00:00.000Z`) },
  { header: 'Payer', width: 28, kind: 'text', value: (r) => r.payerName },
  { header: 'Invoice(s)', width: 20, kind: 'text', value: invoicesOf },
  { header: 'Client', width: 12, kind: 'text', value: clientsOf },
  { header: 'Matter', width: 12, kind: 'text', value: mattersOf },
  { header: 'Amount', width: 14, kind: 'money', value: (r) => r.amountCents },
  { header: 'Surcharge', width: 12, kind: 'money', value: (r) => r.surchargeCents },
  { header: 'Method', width: 18, kind: 'text', value: paymentMethodText },
  { header: 'Account', width: 11, kind: 'text', value: (r) => r.account },
  { header: 'Origin', width: 15, kind: 'text', value: (r) => r.origin },
  { header: 'Status', width: 11, kind: 'text', value: (r) => r.status },
  {
    header: 'Reasons',
    width: 50,
    kind: 'text',
    value: (r) => r.reasons.map((reason) => REASON_TEXT[reason]).join('; '),
  },
  { header: 'Memo', width: 30, kind: 'text', value: (r) => r.memo },
  { header: 'Batch seq', width: 10, kind: 'number', value: (r) => r.batchSeq },
  { header: 'Record id', width: 38, kind: 'text', value: (r) => r.id },
];

/**
 * Export to Excel of a Manage Postings view under its filters, newest first like the
 * screen. The first page is read before anything is sent, so a bad filter or cursor
 * still answers bad_request rather than a broken download.
 */
export async function exportRecords(
  db: Db,
  firmId: string,
  query: ListFilters & { view: View },
  now = new Date(),
): Promise<XlsxExport> {
  const pageQuery = { ...query, limit: EXPORT_PAGE_SIZE, sort: 'desc' as const };
  return exportList(
    db,
    firmId,
    {
      fileParts: ['postings', query.view],
      sheet: 'Postings',
      columns: recordColumns,
      page: (cursor) => listRecords(db, firmId, { ...pageQuery, cursor }),
    },
    now,
  );
}
