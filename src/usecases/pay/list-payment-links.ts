import type { Db } from '../../db/connect.ts';
import { LINK_COLUMNS, toLinkView, type PaymentLinkView } from './payment-link-view.ts';

/** The firm's payment links, newest first. */
export async function listPaymentLinks(db: Db, firmId: string, limit: number, now = new Date()): Promise<{ items: PaymentLinkView[] }> {
  const rows = await db.selectFrom('payment_links').select(LINK_COLUMNS).where('firm_id', '=', firmId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return { items: rows.map((row) => toLinkView(row, now)) };
}
