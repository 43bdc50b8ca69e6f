import type { Allocation } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Actor } from '../../domain/actor.ts';
import { newLinkToken } from './link-tokens.ts';
import { planAllocations, type AllocationChoice } from './plan-allocations.ts';

export const PAYMENT_LINK_HOURS = 24;

export type NewPaymentLink = AllocationChoice & { payerName?: string | undefined; payerEmail?: string | undefined };

/**
 * Make A Payment's "send a payment link": the chosen invoices and amounts, payable once
 * within 24 hours at /pay/link/{token}. The token is in this answer only.
 */
export async function createPaymentLink(db: Db, firmId: string, actor: Actor, input: NewPaymentLink, now = new Date()) {
  const allocations: Allocation[] = await planAllocations(db, firmId, input);
  const amountCents = allocations.reduce((sum, a) => sum + a.amountCents, 0);
  const clients = [...new Set(allocations.map((a) => a.clientNumber))];
  const { token, hash } = newLinkToken('pl');
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('payment_links')
      .values({
        firm_id: firmId,
        token_hash: hash,
        amount_cents: amountCents,
        allocations: JSON.stringify(allocations),
        client_number: clients.length === 1 ? (clients[0] ?? null) : null,
        payer_name: input.payerName?.trim() || null,
        payer_email: input.payerEmail ?? null,
        created_by: actor.label,
        expires_at: new Date(now.getTime() + PAYMENT_LINK_HOURS * 3600_000),
      })
      .returning(['id', 'expires_at', 'created_at'])
      .executeTakeFirstOrThrow();
    await writeAudit(tx, firmId, actor, [{ action: 'payment_link_created', detail: { linkId: row.id, amountCents, allocations } }]);
    return {
      id: row.id,
      token,
      path: `/pay/link/${token}`,
      amountCents,
      allocations,
      payerName: input.payerName?.trim() || null,
      payerEmail: input.payerEmail ?? null,
      status: 'outstanding' as const,
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
    };
  });
}
