import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { Selectable } from 'kysely';
import type { PaymentLinksTable } from '../../db/schema.ts';

type LinkStatus = Selectable<PaymentLinksTable>['status'];

/** How long a payer's attempt holds a link, so two cards cannot pay it at once. */
export const PAYING_LEASE_MS = 2 * 60_000;

/** A link's secret: 256 random bits in the URL, kept only as its hash (like a bearer token). */
export function newLinkToken(prefix: 'pl' | 'ql'): { token: string; hash: string } {
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type ShownLinkStatus = LinkStatus | 'expired';

/** "expired" is not stored: an outstanding link past its time is expired. */
export function shownStatus(status: LinkStatus, expiresAt: Date, now: Date): ShownLinkStatus {
  return status === 'outstanding' && expiresAt.getTime() <= now.getTime() ? 'expired' : status;
}

/** What payment links and quick links share: who pays, where the link stands, and when. */
export interface LinkLifecycleRow {
  payer_name: string | null;
  payer_email: string | null;
  status: LinkStatus;
  payment_id: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  paid_at: Date | null;
}

export const LIFECYCLE_COLUMNS = ['payer_name', 'payer_email', 'status', 'payment_id', 'created_by', 'created_at', 'expires_at', 'paid_at'] as const;

export interface LinkLifecycleView {
  payerName: string | null;
  payerEmail: string | null;
  status: ShownLinkStatus;
  paymentId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
}

export function toLifecycleView(row: LinkLifecycleRow, now: Date): LinkLifecycleView {
  return {
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

const LINK_TOKEN = /^(pl|ql)_[A-Za-z0-9_-]{43}$/;
export const isLinkToken = (token: string) => LINK_TOKEN.test(token);

export function linkNotFound(): AppError {
  return new AppError(404, 'not_found', 'this payment link does not exist; check the address in your email');
}

/** Why a link cannot be paid now: 410 when it never can be again, 409 when it is paid or busy. */
export function notPayable(status: ShownLinkStatus): AppError {
  switch (status) {
    case 'expired':
      return new AppError(410, 'link_expired', 'this payment link has expired; ask the firm for a new one');
    case 'cancelled':
      return new AppError(410, 'link_cancelled', 'this payment link was cancelled by the firm');
    case 'paid':
      return new AppError(409, 'link_paid', 'this payment link has already been paid');
    case 'outstanding':
      return new AppError(409, 'link_in_progress', 'a payment on this link is in progress; try again in a few minutes');
  }
}
