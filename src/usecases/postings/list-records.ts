import { sql, type SelectQueryBuilder } from 'kysely';
import type { RecordStatus } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { selectRecordViews, withAllocations, type PostingRecordView } from '../../db/postings.ts';
import type { Database } from '../../db/schema.ts';
import { afterCursor, checkRange, dayAfter, dayStart, keysetPage, likePattern, type ListFilters, type SortOrder } from '../paging.ts';

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the builder's output shape differs per caller; only the filtered table matters here
type RecordQuery<O> = SelectQueryBuilder<Database & { r: Database['posting_records'] }, any, O>;

/** The WHERE of a list: the same for its page, its count and its export. */
export function applyRecordFilters<O>(query: RecordQuery<O>, filters: ListFilters): RecordQuery<O> {
  checkRange(filters);
  let q = query;
  if (filters.q?.trim()) q = q.where(sql<boolean>`r.search_text like ${likePattern(filters.q)}`);
  if (filters.from) q = q.where('r.processed_at', '>=', dayStart(filters.from));
  if (filters.to) q = q.where('r.processed_at', '<', dayAfter(filters.to));
  if (filters.minCents !== undefined) q = q.where('r.amount_cents', '>=', filters.minCents);
  if (filters.maxCents !== undefined) q = q.where('r.amount_cents', '<=', filters.maxCents);
  if (filters.account) q = q.where('r.account', '=', filters.account);
  if (filters.origin) q = q.where('r.origin', '=', filters.origin);
  return q;
}

/** One page of a view, by date and id, with the cursor of the next page. */
export async function listRecords(db: Db, firmId: string, query: ListQuery): Promise<{ items: PostingRecordView[]; nextCursor: string | null }> {
  const statuses = VIEW_STATUSES[query.view];
  let q = applyRecordFilters(selectRecordViews(db, firmId), query);
  if (statuses) q = q.where('r.status', 'in', [...statuses]);
  if (query.cursor) q = q.where(afterCursor('r', query.cursor, query.sort));
  const rows = await q.orderBy('r.processed_at', query.sort).orderBy('r.id', query.sort).limit(query.limit + 1).execute();
  const { page, nextCursor } = keysetPage(rows, query.limit);
  return { items: await withAllocations(db, firmId, page), nextCursor };
}

export type ViewCounts = Record<View, number>;

/** Each view's count under the same filters, from one grouped query. */
export async function countRecords(db: Db, firmId: string, filters: ListFilters): Promise<ViewCounts> {
  const base = db.selectFrom('posting_records as r').where('r.firm_id', '=', firmId);
  const rows = await applyRecordFilters(base, filters)
    .select(['r.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('r.status')
    .execute();
  const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
  const n = (s: RecordStatus) => by.get(s) ?? 0;
  return {
    pending_incomplete: n('pending') + n('incomplete'),
    pending: n('pending'),
    incomplete: n('incomplete'),
    posted: n('posted'),
    removed: n('removed'),
    queued: n('queued'),
    all: n('pending') + n('incomplete') + n('posted') + n('removed') + n('queued'),
  };
}
