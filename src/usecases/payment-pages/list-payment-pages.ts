import type { Db } from '../../db/connect.ts';
import { listPages, type PaymentPageView } from '../../db/payment-pages.ts';

/** The firm's payment pages by name; a firm has a handful, so there is no paging. */
export async function listPaymentPages(db: Db, firmId: string): Promise<{ items: PaymentPageView[] }> {
  return { items: await listPages(db, firmId) };
}
