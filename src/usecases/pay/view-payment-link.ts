import type { Db } from '../../db/connect.ts';
import { hashLinkToken, isLinkToken, linkNotFound, notPayable } from './link-tokens.ts';
import { LINK_COLUMNS, toLinkView } from './payment-link-view.ts';

/**
 * What the payer sees at /pay/link/{token}: the firm, the invoices and the amount. An
 * expired or cancelled link answers link_expired or link_cancelled; a paid one says so (status paid).
 */
export async function viewPaymentLink(db: Db, token: string, now = new Date()) {
  if (!isLinkToken(token)) throw linkNotFound();
  const row = await db
    .selectFrom('payment_links as l')
    .innerJoin('firms as f', 'f.id', 'l.firm_id')
    .select([...LINK_COLUMNS.map((c) => `l.${c}` as const), 'f.name as firm_name'])
    .where('l.token_hash', '=', hashLinkToken(token))
    .executeTakeFirst();
  if (!row) throw linkNotFound();
  const view = toLinkView(row, now);
  if (view.status === 'expired' || view.status === 'cancelled') throw notPayable(view.status);
  return { firmName: row.firm_name, amountCents: view.amountCents, allocations: view.allocations, payerName: view.payerName, status: view.status, expiresAt: view.expiresAt };
}
