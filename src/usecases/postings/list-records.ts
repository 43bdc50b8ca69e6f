import { sql, type RawBuilder } from 'kysely';
import { safeTotal } from '../../domain/money.ts';
import type { RecordStatus } from '../../domain/types.ts';
import { VIEW_STATUSES, type View } from '../../domain/views.ts';
import type { Db } from '../../db/connect.ts';
import { selectRecords, selectRecordViews, withAllocations, type PostingRecordView } from '../../db/postings.ts';
import { readTallies, type Tally } from './tallies.ts';
import { checkRange, keysetPage, likePattern, type DaySpan, type ListFilters, type SortOrder } from '../../domain/paging.ts';
import { afterCursor, allOf, filterConditions, firmDaySpan } from '../../db/paging.ts';

export { VIEWS, VIEW_STATUSES, type View } from '../../domain/views.ts';

export interface ListQuery extends ListFilters {
  view: View;
  cursor?: string | undefined;
  limit: number;
  sort: SortOrder;
}

/** The WHERE of a list: the same for its page, its count and its export. */
export function recordFilter(filters: ListFilters, days: DaySpan): RawBuilder<boolean> {
  const conditions = filterConditions('r', filters, days);
  // EXISTS rather than IN: the planner turns it into a join that reads only this firm's
  // matches through the trigram index (migration 0004), or checks the page's rows one by one.
  if (filters.q?.trim()) {
    conditions.push(sql<boolean>`exists (select from posting_record_search s
      where s.firm_id = r.firm_id and s.record_id = r.id and s.search_text like ${likePattern(filters.q)})`);
  }
  return allOf(conditions);
}

/** One page of a view, by date and id, with the cursor of the next page. */
export async function listRecords(db: Db, firmId: string, query: ListQuery): Promise<{ items: PostingRecordView[]; nextCursor: string | null }> {
  const statuses = VIEW_STATUSES[query.view];
  let records = selectRecords(db, firmId).where(recordFilter(query, await firmDaySpan(db, firmId, query)));
  if (statuses) records = records.where('r.status', 'in', [...statuses]);
  if (query.cursor) records = records.where(afterCursor('r', query.cursor, query.sort));
  records = records.orderBy('r.processed_at', query.sort).orderBy('r.id', query.sort).limit(query.limit + 1);
  const rows = await selectRecordViews(db, firmId, records).orderBy('r.processed_at', query.sort).orderBy('r.id', query.sort).execute();
  const { page, nextCursor } = keysetPage(rows, query.limit);
  return { items: await withAllocations(db, firmId, page), nextCursor };
}

/**
 * Each view's count, and the sum of the pending records (what Post All would post under
 * no filters); the sum is left out when it is more than a number holds exactly, so no
 * record, however large, can keep a firm from seeing its counts.
 */
export type ViewCounts = Record<View, number> & { pendingTotalCents?: number };

/**
 * Each view's count under the same filters. Unfiltered, or by account or origin only (what
 * the tabs show most of the time), they come from the firm's tallies; any other filter
 * counts the matching records in one grouped query.
 */
export async function countRecords(db: Db, firmId: string, filters: ListFilters): Promise<ViewCounts> {
  checkRange(filters);
  const tallied = !filters.q?.trim() && !filters.from && !filters.to && filters.minCents === undefined && filters.maxCents === undefined;
  const rows = tallied ? tallyRows(await readTallies(db, firmId), filters) : await countMatching(db, firmId, filters);
  const by = new Map(rows.map((r) => [r.status, r.n]));
  const n = (s: RecordStatus) => by.get(s) ?? 0;
  const pendingTotal = safeTotal(rows.find((r) => r.status === 'pending')?.total ?? 0n);
  return {
    pending_incomplete: n('pending') + n('incomplete'),
    pending: n('pending'),
    incomplete: n('incomplete'),
    posted: n('posted'),
    removed: n('removed'),
    queued: n('queued'),
    all: n('pending') + n('incomplete') + n('posted') + n('removed') + n('queued'),
    ...(pendingTotal === null ? {} : { pendingTotalCents: pendingTotal }),
  };
}

interface StatusCount {
  status: RecordStatus;
  n: number;
  total: bigint;
}

function tallyRows(tallies: Tally[], filters: ListFilters): StatusCount[] {
  const by = new Map<RecordStatus, StatusCount>();
  for (const t of tallies) {
    if ((filters.account && t.account !== filters.account) || (filters.origin && t.origin !== filters.origin)) continue;
    const row = by.get(t.status) ?? { status: t.status, n: 0, total: 0n };
    row.n += t.records;
    row.total += t.cents;
    by.set(t.status, row);
  }
  return [...by.values()];
}

/** The view counts by counting the records: what the tallies must always agree with. */
export async function countMatching(db: Db, firmId: string, filters: ListFilters): Promise<StatusCount[]> {
  const rows = await db
    .selectFrom('posting_records as r')
    .where('r.firm_id', '=', firmId)
    .where(recordFilter(filters, await firmDaySpan(db, firmId, filters)))
    .select(['r.status', (eb) => eb.fn.countAll<number>().as('n'), sql<string | null>`sum(r.amount_cents)::text`.as('total')])
    .groupBy('r.status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n), total: BigInt(r.total ?? 0) }));
}
