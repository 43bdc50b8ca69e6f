import type { z } from 'zod';
import type { paymentLinkOut, quickLinkOut } from '../../contract/links.ts';
import { shownStatus, storedAllocations, type LinkKind } from '../../domain/links.ts';
import { formatUsd } from '../../domain/money.ts';
import type { LinkViewRow } from '../../db/links.ts';

export type PaymentLinkView = z.infer<typeof paymentLinkOut>;
export type QuickLinkView = z.infer<typeof quickLinkOut>;
export interface LinkViews {
  payment: PaymentLinkView;
  quick: QuickLinkView;
}

/** What both kinds show: who pays, where the link stands, and when. */
function lifecycle(row: LinkViewRow, now: Date) {
  return {
    payerName: row.payer_name,
    payerEmail: row.payer_email,
    status: shownStatus(row.status, row.expires_at, now),
    paymentId: row.payment_id,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    paidAt: row.paid_at?.toISOString() ?? null,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
  };
}

/** A link as the firm sees it, by its kind (never its token). */
export const LINK_VIEWS: { [K in LinkKind]: (row: LinkViewRow, now: Date) => LinkViews[K] } = {
  payment: (row, now) => ({
    id: row.id,
    amountCents: row.amount_cents,
    allocations: storedAllocations(row.allocations),
    ...lifecycle(row, now),
  }),
  quick: (row, now) => ({
    id: row.id,
    amountCents: row.amount_cents,
    description: row.description ?? '',
    account: row.account,
    depositAccountId: row.deposit_account_id,
    ...lifecycle(row, now),
  }),
};

/** The words for a link of each kind in messages. */
export const LINK_NOUN: Record<LinkKind, string> = { payment: 'payment link', quick: 'quick link' };

/** A link in words for staff messages, never its id: "the payment link for $1,250.00 to Jane Doe". */
export function linkInWords(
  kind: LinkKind,
  link: { amount_cents: number; payer_name: string | null; payer_email: string | null; description: string | null },
): string {
  const what = kind === 'quick' && link.description ? `${LINK_NOUN[kind]} “${link.description}”` : LINK_NOUN[kind];
  const payer = link.payer_name ?? link.payer_email;
  return `the ${what} for ${formatUsd(link.amount_cents)}${payer ? ` to ${payer}` : ''}`;
}
