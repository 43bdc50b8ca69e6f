import { sql, type RawBuilder } from 'kysely';
import type { RecordStatus } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { selectRecords, selectRecordViews, withAllocations, type PostingRecordView } from '../../db/postings.ts';
import { afterCursor, allOf, filterConditions, keysetPage, likePattern, type ListFilters, type SortOrder } from '../paging.ts';

export const VIEWS = ['pending_incomplete', 'pending', 'incomplete', 'posted', 'removed', 'queued', 'all'] as const;
export type View = (typeof VIEWS)[number];

export const VIEW_STATUSES: Record<View, readonly RecordStatus[] | null> = {
  pending_incomplete: ['pending', 'incomplete'],
  pending: ['pending'],
  incomplete: ['incomplete'],
  posted: ['posted'],
  removed: ['removed'],
  queued: ['queued'],
  all: null,
};

export interface ListQuery extends ListFilters {
  view: View;
  cursor?: string | undefined;
  limit: number;
  sort: SortOrder;
}

/** The WHERE of a list: the same for its page, its count and its export. */
export function recordFilter(filters: ListFilters): RawBuilder<boolean> {
  const conditions = filterConditions('r', filters);
  if (filters.q?.trim()) conditions.push(sql<boolean>`r.search_text like ${likePattern(filters.q)}`);
  return allOf(conditions);
}

/** One page of a view, by date and id, with the cursor of the next page. */
export async function listRecords(db: Db, firmId: string, query: ListQuery): Promise<{ items: PostingRecordView[]; nextCursor: string | null }> {
  const statuses = VIEW_STATUSES[query.view];
  let records = selectRecords(db, firmId).where(recordFilter(query));
  if (statuses) records = records.where('r.status', 'in', [...statuses]);
  if (query.cursor) records = records.where(afterCursor('r', query.cursor, query.sort));
  records = records.orderBy('r.processed_at', query.sort).orderBy('r.id', query.sort).limit(query.limit + 1);
  const rows = await selectRecordViews(db, firmId, records).orderBy('r.processed_at', query.sort).orderBy('r.id', query.sort).execute();
  const { page, nextCursor } = keysetPage(rows, query.limit);
  return { items: await withAllocations(db, firmId, page), nextCursor };
}

/** Each view's count, and the sum of the pending records (what Post All would post under no filters). */
export type ViewCounts = Record<View, number> & { pendingTotalCents: number };

/** Each view's count under the same filters, from one grouped query. */
export async function countRecords(db: Db, firmId: string, filters: ListFilters): Promise<ViewCounts> {
  const rows = await db
    .selectFrom('posting_records as r')
    .where('r.firm_id', '=', firmId)
    .where(recordFilter(filters))
    .select(['r.status', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(r.amount_cents)::int8`.as('total')])
    .groupBy('r.status')
    .execute();
  const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
  const n = (s: RecordStatus) => by.get(s) ?? 0;
  const pendingTotalCents = Number(rows.find((r) => r.status === 'pending')?.total ?? 0);
  return {
    pending_incomplete: n('pending') + n('incomplete'),
    pending: n('pending'),
    incomplete: n('incomplete'),
    posted: n('posted'),
    removed: n('removed'),
    queued: n('queued'),
    all: n('pending') + n('incomplete') + n('posted') + n('removed') + n('queued'),
    pendingTotalCents,
  };
}
