import type { Account } from '../../domain/types.ts';
import type { LinkStatus } from '../../db/schema.ts';
import { shownStatus, type ShownLinkStatus } from '../pay/link-tokens.ts';

export interface QuickLinkView {
  id: string;
  amountCents: number;
  description: string;
  account: Account;
  payerName: string | null;
  payerEmail: string | null;
  status: ShownLinkStatus;
  paymentId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  cancelledAt: string | null;
}

export const QUICK_LINK_COLUMNS = [
  'id', 'amount_cents', 'description', 'account', 'payer_name', 'payer_email', 'status', 'payment_id', 'created_by', 'created_at', 'expires_at', 'paid_at', 'cancelled_at',
] as const;

export function toQuickLinkView(
  row: {
    id: string;
    amount_cents: number;
    description: string;
    account: Account;
    payer_name: string | null;
    payer_email: string | null;
    status: LinkStatus;
    payment_id: string | null;
    created_by: string;
    created_at: Date;
    expires_at: Date;
    paid_at: Date | null;
    cancelled_at: Date | null;
  },
  now: Date,
): QuickLinkView {
  return {
    id: row.id,
    amountCents: row.amount_cents,
    description: row.description,
    account: row.account,
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
