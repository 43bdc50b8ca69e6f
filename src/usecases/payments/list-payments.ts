import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { PaymentStatus } from '../../domain/types.ts';
import { afterCursor, allOf, filterConditions, firmDaySpan, keysetPage, likePattern, type ListFilters, type SortOrder } from '../paging.ts';
import { selectPaymentViews, toPaymentView, type PaymentView } from './payment-view.ts';

export interface PaymentListQuery extends ListFilters {
  status?: PaymentStatus | undefined;
  cursor?: string | undefined;
  limit: number;
  sort: SortOrder;
}

/** The Payment Manager: every payment of every origin, paged like the postings. */
export async function listPayments(db: Db, firmId: string, query: PaymentListQuery): Promise<{ items: PaymentView[]; nextCursor: string | null }> {
  let q = selectPaymentViews(db, firmId).where(allOf(filterConditions('p', query, await firmDaySpan(db, firmId, query))));
  if (query.q?.trim()) {
    const pattern = likePattern(query.q);
    q = q.where(sql<boolean>`(lower(p.payer_name) like ${pattern} or lower(array_to_string(p.invoice_numbers, ' ')) like ${pattern}
      or lower(coalesce(p.client_number, '')) like ${pattern} or lower(coalesce(p.matter_number, '')) like ${pattern}
      or lower(p.processor_id) like ${pattern})`);
  }
  if (query.status) q = q.where('p.status', '=', query.status);
  if (query.cursor) q = q.where(afterCursor('p', query.cursor, query.sort));
  const rows = await q.orderBy('p.processed_at', query.sort).orderBy('p.id', query.sort).limit(query.limit + 1).execute();
  const { page, nextCursor } = keysetPage(rows, query.limit);
  return { items: page.map(toPaymentView), nextCursor };
}
