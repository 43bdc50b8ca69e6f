import type { Db } from '../../db/connect.ts';
import { PAGE_COLUMNS, toPageView, type PaymentPageView } from './payment-page-view.ts';

/** The firm's payment pages by name; a firm has a handful, so there is no paging. */
export async function listPaymentPages(db: Db, firmId: string): Promise<{ items: PaymentPageView[] }> {
  const rows = await db.selectFrom('payment_pages').select(PAGE_COLUMNS).where('firm_id', '=', firmId).orderBy('name').orderBy('id').execute();
  return { items: rows.map(toPageView) };
}
