import type { Account } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Actor } from '../../domain/actor.ts';
import { newLinkToken } from '../pay/link-tokens.ts';
import { QUICK_LINK_COLUMNS, toQuickLinkView, type QuickLinkView } from './quick-link-view.ts';

export const DEFAULT_QUICK_LINK_DAYS = 30;

export interface NewQuickLink {
  amountCents: number;
  description: string;
  account?: Account | undefined;
  payerName?: string | undefined;
  payerEmail?: string | undefined;
  expiresInDays?: number | undefined;
}

/**
 * Send For Payment: a link for an amount and a description, paid at /pay/quick/{token}.
 * Its payment (origin quick_link) appears in the Payment Manager only (SPEC §3.2). The
 * token is in this answer only; the firm keeps just its hash.
 */
export async function createQuickLink(db: Db, firmId: string, actor: Actor, input: NewQuickLink, now = new Date()): Promise<QuickLinkView & { token: string; path: string }> {
  const { token, hash } = newLinkToken('ql');
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('quick_links')
      .values({
        firm_id: firmId,
        token_hash: hash,
        amount_cents: input.amountCents,
        description: input.description.trim(),
        account: input.account ?? 'operating',
        payer_name: input.payerName?.trim() || null,
        payer_email: input.payerEmail ?? null,
        created_by: actor.label,
        expires_at: new Date(now.getTime() + (input.expiresInDays ?? DEFAULT_QUICK_LINK_DAYS) * 86_400_000),
      })
      .returning(QUICK_LINK_COLUMNS)
      .executeTakeFirstOrThrow();
    const view = toQuickLinkView(row, now);
    await writeAudit(tx, firmId, actor, [{ action: 'quick_link_created', detail: { quickLinkId: view.id, amountCents: view.amountCents, description: view.description } }]);
    return { ...view, token, path: `/pay/quick/${token}` };
  });
}
