import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/connect.ts';
import { insertPasswordLink, type PasswordLinkKind } from '../../db/password-links.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { passwordLinkMail } from '../../mail/password-link-mail.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';

/** How long an invite or reset link works. */
export const PASSWORD_LINK_HOURS = 72;

export interface MadeLink {
  kind: PasswordLinkKind;
  link: string;
  expiresAt: Date;
}

/**
 * A new one-time link for the user (inside the caller's transaction): 256 random bits,
 * kept only as a hash. The secret travels in the URL's fragment, which a browser never
 * sends to the server, so no access log or Referer header can carry it.
 */
export async function makePasswordLink(
  tx: Db,
  firmId: string,
  userId: string,
  kind: PasswordLinkKind,
  publicUrl: string,
  now = new Date(),
): Promise<MadeLink> {
  const token = newSecret('password');
  const expiresAt = new Date(now.getTime() + PASSWORD_LINK_HOURS * 3600_000);
  await insertPasswordLink(
    tx,
    firmId,
    { user_id: userId, kind, token_hash: hashSecret(token), expires_at: expiresAt },
    now,
  );
  return { kind, link: `${publicUrl}/set-password#${token}`, expiresAt };
}

/**
 * Mails the link once the transaction that made it has committed. A mail that cannot go
 * out is not the admin's request failing: the answer says so and shows the link to pass on.
 */
export async function mailPasswordLink(
  mailer: Mailer,
  log: FastifyBaseLogger | undefined,
  to: string,
  firmName: string,
  made: MadeLink,
): Promise<boolean> {
  try {
    await mailer.send(passwordLinkMail({ to, firmName, ...made }));
    return true;
  } catch (error) {
    log?.warn({ err: error, kind: made.kind }, 'could not mail a password link');
    return false;
  }
}

export const linkOut = (made: MadeLink, emailed: boolean) => ({
  kind: made.kind,
  link: made.link,
  expiresAt: made.expiresAt.toISOString(),
  emailed,
});
