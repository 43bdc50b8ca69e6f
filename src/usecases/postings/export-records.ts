import { recordColumns } from '../../domain/export-columns.ts';
import type { Db } from '../../db/connect.ts';
import type { ListFilters } from '../../domain/paging.ts';
import { exportList, type XlsxExport } from '../exports/write-xlsx.ts';
import { listRecords, type View } from './list-records.ts';

/** Rows are read a page at a time by the list's own keyset, never the whole view at once. */
export const EXPORT_PAGE_SIZE = 2500;

/** Export to Excel of a Manage Postings view under its filters, newest first like the screen. */
export async function exportRecords(
  db: Db,
  firmId: string,
  query: ListFilters & { view: View },
  now = new Date(),
): Promise<XlsxExport> {
  return exportList(db, firmId, now, {
    fileParts: ['postings', query.view],
    sheet: 'Postings',
    columns: recordColumns,
    pageSize: EXPORT_PAGE_SIZE,
    page: (keyset) => listRecords(db, firmId, { ...query, ...keyset }),
  });
}
