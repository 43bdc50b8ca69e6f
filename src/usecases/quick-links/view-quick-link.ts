import type { Db } from '../../db/connect.ts';
import { hashLinkToken, isLinkToken, linkNotFound, notPayable } from '../pay/link-tokens.ts';
import { QUICK_LINK_COLUMNS, toQuickLinkView } from './quick-link-view.ts';

/** The payer's view of a quick link; expired or cancelled answers link_expired or link_cancelled. */
export async function viewQuickLink(db: Db, token: string, now = new Date()) {
  if (!isLinkToken(token)) throw linkNotFound();
  const row = await db
    .selectFrom('quick_links as q')
    .innerJoin('firms as f', 'f.id', 'q.firm_id')
    .select([...QUICK_LINK_COLUMNS.map((c) => `q.${c}` as const), 'f.name as firm_name'])
    .where('q.token_hash', '=', hashLinkToken(token))
    .executeTakeFirst();
  if (!row) throw linkNotFound();
  const view = toQuickLinkView(row, now);
  if (view.status === 'expired' || view.status === 'cancelled') throw notPayable(view.status);
  return { firmName: row.firm_name, amountCents: view.amountCents, description: view.description, payerName: view.payerName, status: view.status, expiresAt: view.expiresAt };
}
