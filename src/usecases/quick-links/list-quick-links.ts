import type { Db } from '../../db/connect.ts';
import type { ShownLinkStatus } from '../pay/link-tokens.ts';
import { QUICK_LINK_COLUMNS, toQuickLinkView, type QuickLinkView } from './quick-link-view.ts';

/** The firm's quick links, newest first, optionally of one status (expired included). */
export async function listQuickLinks(db: Db, firmId: string, query: { status?: ShownLinkStatus | undefined; limit: number }, now = new Date()): Promise<{ items: QuickLinkView[] }> {
  let q = db.selectFrom('quick_links').select(QUICK_LINK_COLUMNS).where('firm_id', '=', firmId);
  if (query.status === 'expired') q = q.where('status', '=', 'outstanding').where('expires_at', '<=', now);
  else if (query.status === 'outstanding') q = q.where('status', '=', 'outstanding').where('expires_at', '>', now);
  else if (query.status) q = q.where('status', '=', query.status);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return { items: rows.map((row) => toQuickLinkView(row, now)) };
}
