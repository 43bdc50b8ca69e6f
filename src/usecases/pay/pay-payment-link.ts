import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { tokenKey, type Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { chargeAndTake } from './charge-and-take.ts';
import { hashLinkToken, isLinkToken, linkNotFound, notPayable, PAYING_LEASE_MS, shownStatus } from './link-tokens.ts';
import { storedAllocations } from './payment-link-view.ts';

export interface LinkPaymentInput {
  token: string;
  payerName: string;
  payerEmail?: string | undefined;
}

/**
 * Pays a Make A Payment link: origin connect, with the allocations staff chose carried
 * into the posting record. The link is leased for the attempt (so a second card cannot
 * pay it at the same time), marked paid in the payment's own transaction, and released
 * if the card is declined.
 */
export async function payPaymentLink(db: Db, processor: Processor, linkToken: string, input: LinkPaymentInput, now = new Date()) {
  if (!isLinkToken(linkToken)) throw linkNotFound();
  const hash = hashLinkToken(linkToken);
  const link = await db
    .updateTable('payment_links')
    .set({ paying_until: new Date(now.getTime() + PAYING_LEASE_MS) })
    .where('token_hash', '=', hash)
    .where('status', '=', 'outstanding')
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('paying_until', 'is', null), eb('paying_until', '<=', now)]))
    .returning(['id', 'firm_id', 'amount_cents', 'allocations', 'client_number'])
    .executeTakeFirst();
  if (!link) {
    const row = await db.selectFrom('payment_links').select(['status', 'expires_at']).where('token_hash', '=', hash).executeTakeFirst();
    if (!row) throw linkNotFound();
    throw notPayable(shownStatus(row.status, row.expires_at, now));
  }
  const allocations = storedAllocations(link.allocations);
  const actor: Actor = { kind: 'system', id: null, label: 'payment link' };
  try {
    const taken = await chargeAndTake(db, processor, link.firm_id, actor, {
      token: input.token,
      idempotencyKey: `link:${link.id}:${tokenKey(input.token)}`,
      now,
      payment: {
        origin: 'connect',
        account: 'operating',
        amountCents: link.amount_cents,
        payerName: input.payerName,
        payerEmail: input.payerEmail,
        invoiceNumbers: allocations.flatMap((a) => (a.invoiceNumber ? [a.invoiceNumber] : [])),
        allocations,
        clientNumber: link.client_number ?? undefined,
      },
      alsoInTransaction: async (tx, result) => {
        await tx
          .updateTable('payment_links')
          .set({ status: 'paid', payment_id: result.payment.id, paid_at: now, paying_until: null })
          .where('firm_id', '=', link.firm_id)
          .where('id', '=', link.id)
          .execute();
        await writeAudit(tx, link.firm_id, actor, [{ action: 'payment_link_paid', detail: { linkId: link.id, paymentId: result.payment.id } }]);
      },
    });
    return { payment: taken.payment, postingRecordId: taken.postingRecord?.id ?? null, brand: taken.charge.brand, last4: taken.charge.last4, method: taken.charge.method, allocations };
  } catch (error) {
    await db.updateTable('payment_links').set({ paying_until: null }).where('firm_id', '=', link.firm_id).where('id', '=', link.id).where('status', '=', 'outstanding').execute();
    throw error;
  }
}
