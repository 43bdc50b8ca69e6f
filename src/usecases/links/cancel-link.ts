import { cancelProblem, shownStatus, type LinkKind, type LinkStatus } from '../../domain/links.ts';
import type { Db } from '../../db/connect.ts';
import { lockLink, markLinkCancelled } from '../../db/links.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { DomainError, notFound, invalidState } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Actor } from '../../domain/actor.ts';
import { linkAudit } from './link-audit.ts';
import { LINK_NOUN, LINK_VIEWS, linkInWords, type LinkViews } from './link-view.ts';

/** Why a link that is no longer outstanding cannot be cancelled, and what to do instead. */
const CANCEL_REFUSALS: Record<LinkStatus, string> = {
  paid: 'it is already paid; to give the money back, refund its payment in the Payment Manager',
  cancelled: 'it is already cancelled; nobody can pay it',
  expired: 'it has already expired; nobody can pay it',
  outstanding: 'it is outstanding',
};

/** Cancels an outstanding link; a paid, cancelled or expired one answers invalid_state, and one being paid link_in_progress. */
export async function cancelLink<K extends LinkKind>(
  db: Db,
  firmId: string,
  actor: Actor,
  kind: K,
  id: string,
  now = new Date(),
): Promise<LinkViews[K]> {
  const noun = LINK_NOUN[kind];
  if (!isUuid(id)) throw notFound(noun, id);
  return inTransaction(db, async (tx) => {
    const before = await lockLink(tx, firmId, kind, id);
    if (!before) throw notFound(noun, id);
    const status = shownStatus(before.status, before.expires_at, now);
    const problem = cancelProblem(status, before.paying_until, now);
    const words = linkInWords(kind, before);
    if (problem === 'invalid_state') throw invalidState(`cannot cancel ${words}: ${CANCEL_REFUSALS[status]}`, { id });
    if (problem === 'link_in_progress')
      throw new DomainError(
        'link_in_progress',
        `cannot cancel ${words}: the payer is paying it right now; try again in a few minutes`,
        { id },
      );
    const row = await markLinkCancelled(tx, firmId, id, now);
    await writeAudit(tx, firmId, actor, [linkAudit(kind, 'cancelled', id)]);
    return LINK_VIEWS[kind](row, now);
  });
}
