import type { Db } from '../../db/connect.ts';
import { lockToken } from '../../db/tokens.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { revokeToken } from '../auth/firms-and-users.ts';
import type { Actor } from '../../domain/actor.ts';

/**
 * Revokes a token of the firm; it is unauthenticated from the next request on. Revoking one
 * already revoked changes nothing and is not an error, so a retried DELETE is harmless.
 */
export async function revokeApiToken(db: Db, firmId: string, actor: Actor, tokenId: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const token = isUuid(tokenId) ? await lockToken(tx, firmId, tokenId) : undefined;
    if (!token) throw notFound('token', tokenId);
    if (token.revoked_at) return;
    await revokeToken(tx, firmId, token.id);
    await writeAudit(tx, firmId, actor, [
      { action: 'token_revoked', detail: { tokenId: token.id, kind: token.kind, label: token.label } },
    ]);
    if (token.kind === 'agent') await publish(tx, firmId, ['connect.changed']);
  });
}
