import type { z } from 'zod';
import type { listPostingsQuery } from '../../contract/postings.ts';
import { talliesCount, tallyRows, viewCounts, type StatusCount, type ViewCounts } from '../../domain/view-counts.ts';
import { VIEW_STATUSES } from '../../domain/views.ts';
import type { Db } from '../../db/connect.ts';
import {
  countByStatus,
  recordFilter,
  selectRecords,
  searchedAllRecords,
  selectRecordViews,
  withAllocations,
  type PostingRecordView,
} from '../../db/postings.ts';
import { readTallies } from './tallies.ts';
import { checkRange, decodeCursor, keysetPage, listSort, type ListFilters } from '../../domain/paging.ts';
import { filterConditions, firmDaySpan, orderBySort, readAfter } from '../../db/paging.ts';

export { VIEWS, VIEW_STATUSES, type View } from '../../domain/views.ts';

/** A Manage Postings list request (the contract's query, defaults applied). */
export type ListQuery = z.output<typeof listPostingsQuery>;

/** One page of a view in its order (date, amount, payer or status; then date and id), with the cursor of the next page. */
export async function listRecords(
  db: Db,
  firmId: string,
  query: ListQuery,
): Promise<{ items: PostingRecordView[]; nextCursor: string | null }> {
  const statuses = VIEW_STATUSES[query.view];
  const days = await firmDaySpan(db, firmId, query);
  const sort = listSort(query.sort);
  // The All view searched, in date order and with no other filter, takes its page from
  // the search table (searchedAllRecords).
  if (sort.key === 'date' && !statuses && filterConditions('r', query, days).length === 0) {
    const after = query.cursor ? decodeCursor(query.cursor, 'date') : null;
    const searched = searchedAllRecords(db, firmId, query.q, {
      after: after && { at: after.at, id: after.id },
      order: sort.order,
      limit: query.limit + 1,
    });
    if (searched) {
      const rows = await selectRecordViews(db, firmId, searched).orderBy(orderBySort('r', sort)).execute();
      const { page, nextCursor } = keysetPage(rows, query.limit, sort.key);
      return { items: await withAllocations(db, firmId, page), nextCursor };
    }
  }
  let records = selectRecords(db, firmId).where(recordFilter(firmId, query, days));
  if (statuses) records = records.where('r.status', 'in', [...statuses]);
  const rows = await readAfter('r', query.cursor, sort, query.limit, (after, n) =>
    selectRecordViews(db, firmId, (after ? records.where(after) : records).orderBy(orderBySort('r', sort)).limit(n))
      .orderBy(orderBySort('r', sort))
      .execute(),
  );
  const { page, nextCursor } = keysetPage(rows, query.limit, sort.key);
  return { items: await withAllocations(db, firmId, page), nextCursor };
}

export type { ViewCounts };

/**
 * Each view's count under the same filters: from the firm's tallies where they can count
 * it, else by counting the matching records in one grouped query.
 */
export async function countRecords(db: Db, firmId: string, filters: ListFilters): Promise<ViewCounts> {
  checkRange(filters);
  const rows = talliesCount(filters)
    ? tallyRows(await readTallies(db, firmId), filters)
    : await countMatching(db, firmId, filters);
  return viewCounts(rows);
}

/** The view counts by counting the records: what the tallies must always agree with. */
export async function countMatching(db: Db, firmId: string, filters: ListFilters): Promise<StatusCount[]> {
  return countByStatus(db, firmId, recordFilter(firmId, filters, await firmDaySpan(db, firmId, filters)));
}
