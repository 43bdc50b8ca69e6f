import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { inviteBody, postUser } from '../../contract/users.ts';
import type { ResponseOf } from '../../contract/endpoint.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { readSettingsRow } from '../../db/firms.ts';
import { inTransaction } from '../../db/transaction.ts';
import { emailTaken, insertInvitedUser } from '../../db/users.ts';
import type { Actor } from '../../domain/actor.ts';
import { DomainError } from '../../domain/errors.ts';
import { normalEmail } from '../../domain/sign-up.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { toUserOut } from './list-users.ts';
import { linkOut, mailPasswordLink, makePasswordLink } from './password-link.ts';

/**
 * An admin invites a user to their firm: the user exists from now on without a password,
 * and a one-time link to set one is mailed to them and shown to the admin this once.
 */
export async function inviteUser(
  db: Db,
  deps: { mailer: Mailer; publicUrl: string; log?: FastifyBaseLogger },
  firmId: string,
  actor: Actor,
  input: z.output<typeof inviteBody>,
): Promise<ResponseOf<typeof postUser>> {
  const email = normalEmail(input.email);
  const made = await inTransaction(db, async (tx) => {
    if (await emailTaken(tx, email)) throw new DomainError('user_exists', `a user with email ${email} already exists`);
    const user = await insertInvitedUser(tx, firmId, { email, name: input.name?.trim() || email, role: input.role });
    const link = await makePasswordLink(tx, firmId, user.id, 'invite', deps.publicUrl);
    await writeAudit(tx, firmId, actor, [
      { action: 'user_invited', detail: { userId: user.id, email, role: input.role, expiresAt: link.expiresAt } },
    ]);
    const firmName = (await readSettingsRow(tx, firmId)).name;
    return { user, link, firmName };
  });
  const emailed = await mailPasswordLink(deps.mailer, deps.log, email, made.firmName, made.link);
  return {
    user: toUserOut({
      ...made.user,
      created_at: new Date(),
      disabled_at: null,
      totp_enabled_at: null,
      password_set: false,
    }),
    invite: linkOut(made.link, emailed),
  };
}
