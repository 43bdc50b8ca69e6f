import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { DomainError, notFound, invalidState } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Actor } from '../../domain/actor.ts';
import { shownStatus } from '../pay/link-tokens.ts';
import { QUICK_LINK_COLUMNS, toQuickLinkView, type QuickLinkView } from './quick-link-view.ts';

/** Cancels an outstanding quick link; a paid, cancelled or expired one answers invalid_state. */
export async function cancelQuickLink(db: Db, firmId: string, actor: Actor, id: string, now = new Date()): Promise<QuickLinkView> {
  if (!isUuid(id)) throw notFound('quick link', id);
  return inTransaction(db, async (tx) => {
    const before = await tx.selectFrom('quick_links').select(['status', 'expires_at', 'paying_until']).where('firm_id', '=', firmId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw notFound('quick link', id);
    const status = shownStatus(before.status, before.expires_at, now);
    if (status !== 'outstanding') throw invalidState(`quick link ${id} is ${status}; only an outstanding link can be cancelled`, { id });
    if (before.paying_until && before.paying_until > now) throw new DomainError('link_in_progress', `quick link ${id} is being paid right now; try again in a few minutes`, { id });
    const row = await tx
      .updateTable('quick_links')
      .set({ status: 'cancelled', cancelled_at: now })
      .where('firm_id', '=', firmId)
      .where('id', '=', id)
      .returning(QUICK_LINK_COLUMNS)
      .executeTakeFirstOrThrow();
    await writeAudit(tx, firmId, actor, [{ action: 'quick_link_cancelled', from: 'outstanding', to: 'cancelled', detail: { quickLinkId: id } }]);
    return toQuickLinkView(row, now);
  });
}
