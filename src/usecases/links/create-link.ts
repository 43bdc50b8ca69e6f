import type { z } from 'zod';
import type { createPaymentLink as createPaymentLinkEndpoint, newQuickLinkBody } from '../../contract/links.ts';
import type { AllocationChoice } from '../../contract/staff-payments.ts';
import { linkExpiry, PAY_PATH, soleClient, type LinkKind } from '../../domain/links.ts';
import type { Db } from '../../db/connect.ts';
import { insertLink, type NewLinkRow } from '../../db/links.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Actor } from '../../domain/actor.ts';
import { planAllocations } from '../staff-payments/plan-allocations.ts';
import { linkAudit } from './link-audit.ts';
import { newLinkToken } from './link-token.ts';
import { chooseDepositAccount } from '../deposit-accounts/choose-deposit-account.ts';
import { LINK_VIEWS, type LinkViews } from './link-view.ts';

export type NewPaymentLink = AllocationChoice &
  Pick<z.infer<typeof createPaymentLinkEndpoint.body>, 'payerName' | 'payerEmail'>;
export type NewQuickLink = z.infer<typeof newQuickLinkBody>;

type Created<K extends LinkKind> = LinkViews[K] & { token: string; path: string };

/** Makes a link of a kind: its token is in this answer only; the firm keeps just its hash. */
async function makeLink<K extends LinkKind>(
  db: Db,
  firmId: string,
  actor: Actor,
  kind: K,
  link: Omit<NewLinkRow, 'kind' | 'tokenHash' | 'createdBy'>,
  detail: Record<string, unknown>,
  now: Date,
): Promise<Created<K>> {
  const { token, hash } = newLinkToken(kind);
  return inTransaction(db, async (tx) => {
    const row = await insertLink(tx, firmId, { ...link, kind, tokenHash: hash, createdBy: actor.label });
    await writeAudit(tx, firmId, actor, [linkAudit(kind, 'created', row.id, detail)]);
    return { ...LINK_VIEWS[kind](row, now), token, path: PAY_PATH[kind] + token };
  });
}

/**
 * Make A Payment's "send a payment link": the chosen invoices and amounts, payable once
 * within 24 hours at /pay/link/{token}.
 */
export async function createPaymentLink(db: Db, firmId: string, actor: Actor, input: NewPaymentLink, now = new Date()) {
  const allocations = await planAllocations(db, firmId, input);
  const amountCents = allocations.reduce((sum, a) => sum + a.amountCents, 0);
  const deposit = await chooseDepositAccount(db, firmId, { account: 'operating' }, true);
  const link = {
    amountCents,
    account: 'operating' as const,
    depositAccountId: deposit.id,
    allocations,
    clientNumber: soleClient(allocations),
    payerName: input.payerName?.trim() || null,
    payerEmail: input.payerEmail ?? null,
    expiresAt: linkExpiry('payment', now),
  };
  return makeLink(db, firmId, actor, 'payment', link, { amountCents, allocations }, now);
}

/**
 * Send For Payment: a link for an amount and a description, paid at /pay/quick/{token}.
 * Its payment (origin quick_link) appears in the Payment Manager only (SPEC §3.2).
 */
export async function createQuickLink(db: Db, firmId: string, actor: Actor, input: NewQuickLink, now = new Date()) {
  const description = input.description.trim();
  const deposit = await chooseDepositAccount(
    db,
    firmId,
    {
      account: input.account ?? (input.depositAccountId === undefined ? 'operating' : undefined),
      depositAccountId: input.depositAccountId,
    },
    true,
  );
  const link = {
    amountCents: input.amountCents,
    account: deposit.kind,
    depositAccountId: deposit.id,
    description,
    payerName: input.payerName?.trim() || null,
    payerEmail: input.payerEmail ?? null,
    expiresAt: linkExpiry('quick', now, input.expiresInDays),
  };
  return makeLink(db, firmId, actor, 'quick', link, { amountCents: input.amountCents, description }, now);
}
