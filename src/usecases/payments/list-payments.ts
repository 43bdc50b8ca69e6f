import type { Db } from '../../db/connect.ts';
import { firmDaySpan } from '../../db/paging.ts';
import { listPaymentRows, toPaymentView, type PaymentListQuery, type PaymentView } from '../../db/payments.ts';
import { keysetPage, listSort } from '../../domain/paging.ts';

/** The Payment Manager: every payment of every origin, paged like the postings. */
export async function listPayments(
  db: Db,
  firmId: string,
  query: PaymentListQuery,
): Promise<{ items: PaymentView[]; nextCursor: string | null }> {
  const rows = await listPaymentRows(db, firmId, query, await firmDaySpan(db, firmId, query));
  const { page, nextCursor } = keysetPage(rows, query.limit, listSort(query.sort).key);
  const now = new Date();
  return { items: page.map((row) => toPaymentView(row, now)), nextCursor };
}
