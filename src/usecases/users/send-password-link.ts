import type { FastifyBaseLogger } from 'fastify';
import type { ResponseOf } from '../../contract/endpoint.ts';
import type { postPasswordLink } from '../../contract/users.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { readSettingsRow } from '../../db/firms.ts';
import { inTransaction } from '../../db/transaction.ts';
import { lockUser } from '../../db/users.ts';
import type { Actor } from '../../domain/actor.ts';
import { invalidState, notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { linkOut, mailPasswordLink, makePasswordLink } from './password-link.ts';

/**
 * A new one-time link for a user to set their password: a reset, or a fresh invite for a
 * user who never set one. Their earlier links stop working; their password and sessions
 * stay until the new password is set.
 */
export async function sendPasswordLink(
  db: Db,
  deps: { mailer: Mailer; publicUrl: string; log?: FastifyBaseLogger },
  firmId: string,
  actor: Actor,
  userId: string,
): Promise<ResponseOf<typeof postPasswordLink>> {
  const made = await inTransaction(db, async (tx) => {
    const user = isUuid(userId) ? await lockUser(tx, firmId, userId) : undefined;
    if (!user) throw notFound('user', userId);
    if (user.disabled_at) throw invalidState('the user is deactivated: reactivate them first', { id: user.id });
    const kind = user.password_set ? 'reset' : 'invite';
    const link = await makePasswordLink(tx, firmId, user.id, kind, deps.publicUrl);
    await writeAudit(tx, firmId, actor, [
      {
        action: kind === 'reset' ? 'password_reset_sent' : 'user_invited',
        detail: { userId: user.id, email: user.email, expiresAt: link.expiresAt },
      },
    ]);
    return { email: user.email, link, firmName: (await readSettingsRow(tx, firmId)).name };
  });
  return linkOut(made.link, await mailPasswordLink(deps.mailer, deps.log, made.email, made.firmName, made.link));
}
