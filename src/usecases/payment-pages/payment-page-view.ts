import type { Db } from '../../db/connect.ts';
import { lockPage as lockPageRow, type PaymentPageView } from '../../db/payment-pages.ts';
import { notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';

/** Locks the firm's page for a change; another firm's page answers like a missing one. */
export async function lockPage(tx: Db, firmId: string, id: string): Promise<PaymentPageView> {
  const page = isUuid(id) ? await lockPageRow(tx, firmId, id) : undefined;
  if (!page) throw notFound('payment page', id);
  return page;
}
