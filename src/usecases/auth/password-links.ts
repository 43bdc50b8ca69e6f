import type { ResponseOf } from '../../contract/endpoint.ts';
import type { postPasswordLinkLookUp } from '../../contract/users.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { expireUserLinks, findPasswordLink, markLinkUsed } from '../../db/password-links.ts';
import { inTransaction } from '../../db/transaction.ts';
import { deleteUserSessions, updateUser } from '../../db/users.ts';
import { DomainError } from '../../domain/errors.ts';
import { checkPassword } from '../../domain/passwords.ts';
import { hashPassword, hashSecret } from './secrets.ts';

const invalid = () =>
  new DomainError(
    'password_link_invalid',
    'this link is unknown, already used or expired; ask an admin of your firm for a new one',
  );

/** A link that can still be used: unknown, used, expired and deactivated-user links answer alike. */
function usable<L extends { used_at: Date | null; expires_at: Date; disabled_at: Date | null }>(
  link: L | undefined,
  now: Date,
): L {
  if (!link || link.used_at || link.expires_at <= now || link.disabled_at) throw invalid();
  return link;
}

/** What a link is for, so the page can greet its holder before they choose a password. */
export async function lookUpPasswordLink(
  db: Db,
  token: string,
  now = new Date(),
): Promise<ResponseOf<typeof postPasswordLinkLookUp>> {
  const link = usable(await findPasswordLink(db, hashSecret(token)), now);
  return { kind: link.kind, email: link.email, firmName: link.firm_name, expiresAt: link.expires_at.toISOString() };
}

/**
 * Sets the password through a link, once. The password must pass the rules before the
 * link is spent; the user's sessions end (a reset is often a suspected compromise) and
 * they sign in with the new password.
 */
export async function usePasswordLink(
  db: Db,
  input: { token: string; password: string },
  now = new Date(),
): Promise<{ email: string }> {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (tx) => {
    const link = usable(await findPasswordLink(tx, hashSecret(input.token), true), now);
    await markLinkUsed(tx, link.firm_id, link.id, now);
    await expireUserLinks(tx, link.firm_id, link.user_id, now);
    await updateUser(tx, link.firm_id, link.user_id, { password_hash: passwordHash });
    await deleteUserSessions(tx, link.firm_id, link.user_id);
    await writeAudit(tx, link.firm_id, { kind: 'user', id: link.user_id, label: link.email }, [
      { action: link.kind === 'invite' ? 'invite_accepted' : 'password_reset', detail: { userId: link.user_id } },
    ]);
    return { email: link.email };
  });
}
