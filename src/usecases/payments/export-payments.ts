import { paymentColumns } from '../../domain/export-columns.ts';
import type { Db } from '../../db/connect.ts';
import { exportList, type XlsxExport } from '../exports/write-xlsx.ts';
import { listPayments } from './list-payments.ts';
import type { PaymentListQuery } from '../../db/payments.ts';

const EXPORT_PAGE_SIZE = 1000;

/** Export to Excel of the Payment Manager under its filters, in its sort order; paged and streamed like the postings export. */
export async function exportPayments(
  db: Db,
  firmId: string,
  query: Omit<PaymentListQuery, 'cursor' | 'limit'>,
  now = new Date(),
): Promise<XlsxExport> {
  return exportList(db, firmId, now, {
    fileParts: ['payments', ...(query.status ? [query.status] : [])],
    sheet: 'Payments',
    columns: paymentColumns,
    pageSize: EXPORT_PAGE_SIZE,
    sort: query.sort,
    page: (keyset) => listPayments(db, firmId, { ...query, ...keyset }),
  });
}
