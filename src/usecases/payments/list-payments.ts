import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { afterCursor, checkRange, dayAfter, dayStart, keysetPage, likePattern, type ListFilters, type SortOrder } from '../paging.ts';
import { selectPaymentViews, toPaymentView, type PaymentView } from './payment-view.ts';

export interface PaymentListQuery extends ListFilters {
  status?: string | undefined;
  cursor?: string | undefined;
  limit: number;
  sort: SortOrder;
}

/** The Payment Manager: every payment of every origin, paged like the postings. */
export async function listPayments(db: Db, firmId: string, query: PaymentListQuery): Promise<{ items: PaymentView[]; nextCursor: string | null }> {
  checkRange(query);
  let q = selectPaymentViews(db, firmId);
  if (query.q?.trim()) {
    const pattern = likePattern(query.q);
    q = q.where(sql<boolean>`(lower(p.payer_name) like ${pattern} or lower(array_to_string(p.invoice_numbers, ' ')) like ${pattern}
      or lower(coalesce(p.client_number, '')) like ${pattern} or lower(coalesce(p.matter_number, '')) like ${pattern}
      or lower(p.processor_id) like ${pattern})`);
  }
  if (query.from) q = q.where('p.processed_at', '>=', dayStart(query.from));
  if (query.to) q = q.where('p.processed_at', '<', dayAfter(query.to));
  if (query.minCents !== undefined) q = q.where('p.amount_cents', '>=', query.minCents);
  if (query.maxCents !== undefined) q = q.where('p.amount_cents', '<=', query.maxCents);
  if (query.account) q = q.where('p.account', '=', query.account);
  if (query.origin) q = q.where('p.origin', '=', query.origin as 'connect');
  if (query.status) q = q.where('p.status', '=', query.status as 'approved');
  if (query.cursor) q = q.where(afterCursor('p', query.cursor, query.sort));
  const rows = await q.orderBy('p.processed_at', query.sort).orderBy('p.id', query.sort).limit(query.limit + 1).execute();
  const { page, nextCursor } = keysetPage(rows, query.limit);
  return { items: page.map(toPaymentView), nextCursor };
}
