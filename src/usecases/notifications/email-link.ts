import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { readFirmForMail, queueRenderedMail } from '../../db/mail-queue.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Actor } from '../../domain/actor.ts';
import { badRequest, notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { notPayable, PAY_PATH, shownStatus, type LinkKind } from '../../domain/links.ts';
import { linkMail, wallClock } from '../../domain/mail-messages.ts';
import { hashLinkToken } from '../links/link-token.ts';
import { LINK_NOUN } from '../links/link-view.ts';

/**
 * "Send by email" of a payment link or a quick link: the message carries the payer's URL,
 * so the caller gives the link's token (shown once, when the link was made; the firm keeps
 * only its hash, and the token must match it). Only an outstanding link is sent: a paid,
 * cancelled or expired one answers link_paid, link_cancelled or link_expired. The message
 * is queued and sent by the scheduler, so an SMTP server that is down delays it only.
 */
export async function emailLink(
  db: Db,
  firmId: string,
  actor: Actor,
  kind: LinkKind,
  id: string,
  input: { token: string; to?: string | undefined },
  origin: string,
  now = new Date(),
): Promise<{ id: string; to: string }> {
  const noun = LINK_NOUN[kind];
  if (!isUuid(id)) throw notFound(noun, id);
  const link = await db
    .selectFrom('links')
    .select(['token_hash', 'status', 'expires_at', 'payer_name', 'payer_email', 'amount_cents', 'description'])
    .where('firm_id', '=', firmId)
    .where('kind', '=', kind)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!link) throw notFound(noun, id);
  const given = Buffer.from(hashLinkToken(input.token));
  const kept = Buffer.from(link.token_hash);
  if (given.length !== kept.length || !timingSafeEqual(given, kept))
    throw badRequest(`token: this is not the token of ${noun} ${id}`, { field: 'token' });
  const status = shownStatus(link.status, link.expires_at, now);
  if (status !== 'outstanding') throw notPayable(status);
  const to = input.to ?? link.payer_email;
  if (!to) throw badRequest(`to: ${noun} ${id} has no payer email; give the address to send it to`, { field: 'to' });

  const firm = await readFirmForMail(db, firmId);
  const message = linkMessage(firm, kind, link, `${origin}${PAY_PATH[kind]}${input.token}`);
  return inTransaction(db, async (tx) => {
    const queued = await queueRenderedMail(tx, firmId, to, message);
    await writeAudit(tx, firmId, actor, [
      { action: `${kind}_link_emailed`, detail: { [kind === 'payment' ? 'linkId' : 'quickLinkId']: id, to } },
    ]);
    return { id: queued, to };
  });
}

/** The email of a link, carrying the payer's URL (with the token, which is kept nowhere else). */
export function linkMessage(
  firm: { name: string; time_zone: string },
  kind: LinkKind,
  link: { payer_name: string | null; amount_cents: number; description: string | null; expires_at: Date },
  url: string,
) {
  return linkMail({
    firmName: firm.name,
    kind,
    payerName: link.payer_name,
    amountCents: link.amount_cents,
    description: link.description,
    expires: wallClock(link.expires_at, firm.time_zone),
    url,
  });
}
