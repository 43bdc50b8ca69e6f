import type { Allocation } from '../../domain/types.ts';
import type { LinkStatus } from '../../db/schema.ts';
import { shownStatus, type ShownLinkStatus } from './link-tokens.ts';

export interface PaymentLinkView {
  id: string;
  amountCents: number;
  allocations: Allocation[];
  payerName: string | null;
  payerEmail: string | null;
  status: ShownLinkStatus;
  paymentId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
}

export const LINK_COLUMNS = ['id', 'amount_cents', 'allocations', 'payer_name', 'payer_email', 'status', 'payment_id', 'created_by', 'created_at', 'expires_at', 'paid_at'] as const;

function isAllocation(value: unknown): value is Allocation {
  if (typeof value !== 'object' || value === null) return false;
  const a: Partial<Record<keyof Allocation, unknown>> = value;
  const textOrNull = (v: unknown) => v === null || typeof v === 'string';
  return textOrNull(a.invoiceNumber) && textOrNull(a.clientNumber) && textOrNull(a.matterNumber) && Number.isSafeInteger(a.amountCents);
}

/** The allocations a link was made with, read back from jsonb (written by createPaymentLink). */
export function storedAllocations(value: unknown): Allocation[] {
  if (!Array.isArray(value) || !value.every(isAllocation)) throw new Error('a payment link holds allocations that are not well formed');
  return value;
}

export function toLinkView(
  row: {
    id: string;
    amount_cents: number;
    allocations: unknown;
    payer_name: string | null;
    payer_email: string | null;
    status: LinkStatus;
    payment_id: string | null;
    created_by: string;
    created_at: Date;
    expires_at: Date;
    paid_at: Date | null;
  },
  now: Date,
): PaymentLinkView {
  return {
    id: row.id,
    amountCents: row.amount_cents,
    allocations: storedAllocations(row.allocations),
    payerName: row.payer_name,
    payerEmail: row.payer_email,
    status: shownStatus(row.status, row.expires_at, now),
    paymentId: row.payment_id,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    paidAt: row.paid_at?.toISOString() ?? null,
  };
}
