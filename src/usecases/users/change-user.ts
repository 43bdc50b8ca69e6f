import type { z } from 'zod';
import type { userChanges, userOut } from '../../contract/users.ts';
import { writeAudit, type AuditEntry } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { expireUserLinks } from '../../db/password-links.ts';
import { inTransaction } from '../../db/transaction.ts';
import {
  deleteUserSessions,
  listUsers,
  lockActiveAdmins,
  lockUser,
  revokeUserTokens,
  updateUser,
} from '../../db/users.ts';
import type { Actor } from '../../domain/actor.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { toUserOut } from './list-users.ts';

/**
 * An admin changes a user's role, or deactivates or reactivates them. Deactivating ends
 * every session and revokes every bearer token of the user at once (their next request
 * answers 401) and voids their unused password links; reactivating lets them sign in
 * again with their password, with new tokens. The firm's last active admin can be
 * neither demoted nor deactivated: the admins are locked while that is decided, so two
 * admins demoting each other at the same moment cannot both succeed.
 */
export async function changeUser(
  db: Db,
  firmId: string,
  actor: Actor,
  userId: string,
  changes: z.output<typeof userChanges>,
  now = new Date(),
): Promise<z.output<typeof userOut>> {
  return inTransaction(db, async (tx) => {
    const admins = await lockActiveAdmins(tx, firmId);
    const user = isUuid(userId) ? await lockUser(tx, firmId, userId) : undefined;
    if (!user) throw notFound('user', userId);
    const deactivate = changes.active === false && user.disabled_at === null;
    const reactivate = changes.active === true && user.disabled_at !== null;
    const newRole = changes.role !== undefined && changes.role !== user.role ? changes.role : undefined;
    const losesAdmin = admins.includes(user.id) && (deactivate || (newRole !== undefined && newRole !== 'admin'));
    if (losesAdmin && admins.length === 1)
      throw new DomainError('last_admin', `${user.email} is the firm's last active admin: make another admin first`, {
        id: user.id,
      });

    const audit: AuditEntry[] = [];
    if (newRole !== undefined) {
      await updateUser(tx, firmId, user.id, { role: newRole });
      audit.push({
        action: 'user_role_changed',
        from: user.role,
        to: newRole,
        detail: { userId: user.id, email: user.email },
      });
    }
    if (deactivate) {
      await updateUser(tx, firmId, user.id, { disabled_at: now });
      await deleteUserSessions(tx, firmId, user.id);
      const revoked = await revokeUserTokens(tx, firmId, user.id, now);
      await expireUserLinks(tx, firmId, user.id, now);
      audit.push({
        action: 'user_deactivated',
        detail: { userId: user.id, email: user.email, tokensRevoked: revoked },
      });
    }
    if (reactivate) {
      await updateUser(tx, firmId, user.id, { disabled_at: null });
      audit.push({ action: 'user_reactivated', detail: { userId: user.id, email: user.email } });
    }
    await writeAudit(tx, firmId, actor, audit);
    const after = (await listUsers(tx, firmId)).find((u) => u.id === user.id)!;
    return toUserOut(after);
  });
}
