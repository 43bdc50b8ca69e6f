import { paymentMethodText } from '../../domain/spreadsheet.ts';
import type { Db } from '../../db/connect.ts';
import { exportList, firmDayCell, type XlsxColumn, type XlsxExport } from '../exports/write-xlsx.ts';
import { listPayments } from './list-payments.ts';
import type { PaymentListQuery, PaymentView } from '../../db/payments.ts';

const EXPORT_PAGE_SIZE = 1000;

/** The columns of a payments export; its dates are days in the firm's time zone. */
export const paymentColumns = (timeZone: string): readonly XlsxColumn<PaymentView>[] => [
  { header: 'Date', width: 12, kind: 'date', value: (p) => firmDayCell(p.processedAt, timeZone) },
  { header: 'Payer', width: 28, kind: 'text', value: (p) => p.payerName },
  { header: 'Payer email', width: 28, kind: 'text', value: (p) => p.payerEmail },
  { header: 'Invoice(s)', width: 20, kind: 'text', value: (p) => p.invoiceNumbers.join(', ') },
  { header: 'Client', width: 12, kind: 'text', value: (p) => p.clientNumber },
  { header: 'Matter', width: 12, kind: 'text', value: (p) => p.matterNumber },
  { header: 'Amount', width: 14, kind: 'money', value: (p) => p.amountCents },
  { header: 'Surcharge', width: 12, kind: 'money', value: (p) => p.surchargeCents },
  { header: 'Method', width: 18, kind: 'text', value: paymentMethodText },
  { header: 'Account', width: 11, kind: 'text', value: (p) => p.account },
  { header: 'Origin', width: 15, kind: 'text', value: (p) => p.origin },
  { header: 'Status', width: 12, kind: 'text', value: (p) => p.status },
  { header: 'Posting status', width: 14, kind: 'text', value: (p) => p.postingStatus },
  { header: 'Processor id', width: 28, kind: 'text', value: (p) => p.processorId },
  { header: 'Payment id', width: 38, kind: 'text', value: (p) => p.id },
  { header: 'Posting record id', width: 38, kind: 'text', value: (p) => p.postingRecordId },
];

/** Export to Excel of the Payment Manager under its filters; paged and streamed like the postings export. */
export async function exportPayments(
  db: Db,
  firmId: string,
  query: Omit<PaymentListQuery, 'cursor' | 'limit' | 'sort'>,
  now = new Date(),
): Promise<XlsxExport> {
  const pageQuery = { ...query, limit: EXPORT_PAGE_SIZE, sort: 'desc' as const };
  return exportList(
    db,
    firmId,
    {
      fileParts: ['payments', ...(query.status ? [query.status] : [])],
      sheet: 'Payments',
      columns: paymentColumns,
      page: (cursor) => listPayments(db, firmId, { ...pageQuery, cursor }),
    },
    now,
  );
}
