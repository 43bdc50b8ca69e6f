import { recordColumns } from '../../domain/export-columns.ts';
import type { Db } from '../../db/connect.ts';
import type { ListFilters, ListSortParam } from '../../domain/paging.ts';
import { exportList, type XlsxExport } from '../exports/write-xlsx.ts';
import { listRecords, type View } from './list-records.ts';

/** Rows are read a page at a time by the list's own keyset, never the whole view at once. */
export const EXPORT_PAGE_SIZE = 2500;

/** Export to Excel of a Manage Postings view under its filters, in the order the screen is sorted by. */
export async function exportRecords(
  db: Db,
  firmId: string,
  query: ListFilters & { view: View; sort?: ListSortParam | undefined },
  now = new Date(),
): Promise<XlsxExport> {
  return exportList(db, firmId, now, {
    fileParts: ['postings', query.view],
    sheet: 'Postings',
    columns: recordColumns,
    pageSize: EXPORT_PAGE_SIZE,
    sort: query.sort,
    page: (keyset) => listRecords(db, firmId, { ...query, ...keyset }),
  });
}
