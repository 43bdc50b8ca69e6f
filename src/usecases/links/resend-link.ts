import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { lockLink, replaceLinkToken } from '../../db/links.ts';
import { queueRenderedMail, readFirmForMail } from '../../db/mail-queue.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Actor } from '../../domain/actor.ts';
import { badRequest, DomainError, invalidState, notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { PAY_PATH, shownStatus, type LinkKind, type LinkStatus } from '../../domain/links.ts';
import { linkMessage } from '../notifications/email-link.ts';
import { linkAudit } from './link-audit.ts';
import { newLinkToken } from './link-token.ts';
import { LINK_NOUN, linkInWords } from './link-view.ts';

/** Why a link that is no longer outstanding is not sent again, and what to do instead. */
const RESEND_REFUSALS: Record<LinkStatus, string> = {
  paid: 'it is already paid; nothing more is due on it',
  cancelled: 'it was cancelled; make a new link if the payer should still pay',
  expired: 'it has expired; make a new link if the payer should still pay',
  outstanding: 'it is outstanding',
};

/**
 * Resend of a sent link: the firm keeps only its token's hash, so the link gets a new
 * token and the payer a new email with the new address; the old address stops working
 * (the newest email is the one to use). The link itself — its amount, invoices and
 * expiry — is unchanged. Each call sends once: a click repeated by the network is made
 * harmless by the request's Idempotency-Key, which the staff screen sends per click.
 */
export async function resendLink(
  db: Db,
  firmId: string,
  actor: Actor,
  kind: LinkKind,
  id: string,
  input: { to?: string | undefined },
  origin: string,
  now = new Date(),
): Promise<{ id: string; to: string }> {
  const noun = LINK_NOUN[kind];
  if (!isUuid(id)) throw notFound(noun, id);
  const firm = await readFirmForMail(db, firmId);
  return inTransaction(db, async (tx) => {
    const link = await lockLink(tx, firmId, kind, id);
    if (!link) throw notFound(noun, id);
    const words = linkInWords(kind, link);
    const status = shownStatus(link.status, link.expires_at, now);
    if (status !== 'outstanding') throw invalidState(`cannot resend ${words}: ${RESEND_REFUSALS[status]}`, { id });
    if (link.paying_until && link.paying_until > now)
      throw new DomainError(
        'link_in_progress',
        `cannot resend ${words}: the payer is paying it right now; try again in a few minutes`,
        { id },
      );
    const to = input.to ?? link.payer_email;
    if (!to) throw badRequest(`to: ${words} has no payer email; give the address to send it to`, { field: 'to' });
    const { token, hash } = newLinkToken(kind);
    await replaceLinkToken(tx, firmId, id, hash);
    const queued = await queueRenderedMail(
      tx,
      firmId,
      to,
      linkMessage(firm, kind, link, `${origin}${PAY_PATH[kind]}${token}`),
    );
    await writeAudit(tx, firmId, actor, [linkAudit(kind, 'resent', id, { to })]);
    return { id: queued, to };
  });
}
