import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { tokenKey, type Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { chargeAndTake } from '../pay/charge-and-take.ts';
import { hashLinkToken, isLinkToken, linkNotFound, notPayable, PAYING_LEASE_MS, shownStatus } from '../pay/link-tokens.ts';
import type { LinkPaymentInput } from '../pay/pay-payment-link.ts';

/**
 * Pays a quick link once: leased for the attempt, marked paid in the payment's own
 * transaction, released on a decline. Origin quick_link: no posting record.
 */
export async function payQuickLink(db: Db, processor: Processor, linkToken: string, input: LinkPaymentInput, now = new Date()) {
  if (!isLinkToken(linkToken)) throw linkNotFound();
  const hash = hashLinkToken(linkToken);
  const link = await db
    .updateTable('quick_links')
    .set({ paying_until: new Date(now.getTime() + PAYING_LEASE_MS) })
    .where('token_hash', '=', hash)
    .where('status', '=', 'outstanding')
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('paying_until', 'is', null), eb('paying_until', '<=', now)]))
    .returning(['id', 'firm_id', 'amount_cents', 'account', 'description'])
    .executeTakeFirst();
  if (!link) {
    const row = await db.selectFrom('quick_links').select(['status', 'expires_at']).where('token_hash', '=', hash).executeTakeFirst();
    if (!row) throw linkNotFound();
    throw notPayable(shownStatus(row.status, row.expires_at, now));
  }
  const actor: Actor = { kind: 'system', id: null, label: 'quick link' };
  try {
    const taken = await chargeAndTake(db, processor, link.firm_id, actor, {
      token: input.token,
      idempotencyKey: `quick:${link.id}:${tokenKey(input.token)}`,
      now,
      payment: { origin: 'quick_link', account: link.account, amountCents: link.amount_cents, payerName: input.payerName, payerEmail: input.payerEmail },
      alsoInTransaction: async (tx, result) => {
        await tx
          .updateTable('quick_links')
          .set({ status: 'paid', payment_id: result.payment.id, paid_at: now, paying_until: null })
          .where('firm_id', '=', link.firm_id)
          .where('id', '=', link.id)
          .execute();
        await writeAudit(tx, link.firm_id, actor, [{ action: 'quick_link_paid', from: 'outstanding', to: 'paid', detail: { quickLinkId: link.id, paymentId: result.payment.id } }]);
      },
    });
    return { payment: taken.payment, description: link.description, brand: taken.charge.brand, last4: taken.charge.last4, method: taken.charge.method };
  } catch (error) {
    await db.updateTable('quick_links').set({ paying_until: null }).where('firm_id', '=', link.firm_id).where('id', '=', link.id).where('status', '=', 'outstanding').execute();
    throw error;
  }
}
