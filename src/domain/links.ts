import { DomainError } from './errors.ts';
import type { Allocation } from './types.ts';

/** Links (SPEC §3.2): payment links from Make A Payment and quick links from Send For Payment. */

export const LINK_KINDS = ['payment', 'quick'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** What a link's row stores; "expired" is never stored. */
export type StoredLinkStatus = 'outstanding' | 'paid' | 'cancelled';
/** Link statuses as shown: "expired" is an outstanding link past its time. */
export const LINK_STATUSES = ['outstanding', 'paid', 'cancelled', 'expired'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/** A payment link can be paid for 24 hours; a quick link for the days staff chose, 30 when not said. */
export const PAYMENT_LINK_HOURS = 24;
export const DEFAULT_QUICK_LINK_DAYS = 30;

/** How long a payer's attempt holds a link, so two cards cannot pay it at once. */
export const PAYING_LEASE_MS = 2 * 60_000;

/** The token's prefix tells the two kinds apart in a URL. */
export const TOKEN_PREFIX: Record<LinkKind, 'pl' | 'ql'> = { payment: 'pl', quick: 'ql' };
/** The payer's path of each kind, under the web app. */
export const PAY_PATH: Record<LinkKind, string> = { payment: '/pay/link/', quick: '/pay/quick/' };

const LINK_TOKEN = /^(pl|ql)_[A-Za-z0-9_-]{43}$/;
export const isLinkToken = (token: string): boolean => LINK_TOKEN.test(token);

/** When a link made now stops being payable. */
export function linkExpiry(kind: LinkKind, now: Date, days: number = DEFAULT_QUICK_LINK_DAYS): Date {
  return new Date(now.getTime() + (kind === 'payment' ? PAYMENT_LINK_HOURS * 3600_000 : days * 86_400_000));
}

/** "expired" is not stored: an outstanding link past its time is expired. */
export function shownStatus(status: StoredLinkStatus, expiresAt: Date, now: Date): LinkStatus {
  return status === 'outstanding' && expiresAt.getTime() <= now.getTime() ? 'expired' : status;
}

/** A token that finds no link: the payer is told to check the address. */
export function linkNotFound(): DomainError {
  return new DomainError('not_found', 'this payment link does not exist; check the address in your email');
}

/** Why a link cannot be paid now: expired or cancelled when it never can be again, paid or in progress when it is paid or busy. */
export function notPayable(status: LinkStatus): DomainError {
  switch (status) {
    case 'expired':
      return new DomainError('link_expired', 'this payment link has expired; ask the firm for a new one');
    case 'cancelled':
      return new DomainError('link_cancelled', 'this payment link was cancelled by the firm');
    case 'paid':
      return new DomainError('link_paid', 'this payment link has already been paid');
    case 'outstanding':
      return new DomainError('link_in_progress', 'a payment on this link is in progress; try again in a few minutes');
  }
}

/** What the payer is shown of a link: never an expired or cancelled one (link_expired, link_cancelled); a paid one says so. */
export function payerStatus(status: LinkStatus): 'outstanding' | 'paid' {
  if (status === 'expired' || status === 'cancelled') throw notPayable(status);
  return status;
}

/** The end of a lease taken now by a payer's attempt. */
export const leaseUntil = (now: Date): Date => new Date(now.getTime() + PAYING_LEASE_MS);

/** Why a link cannot be cancelled now, or null when it can: only an outstanding link not being paid. */
export function cancelProblem(
  status: LinkStatus,
  payingUntil: Date | null,
  now: Date,
): 'invalid_state' | 'link_in_progress' | null {
  if (status !== 'outstanding') return 'invalid_state';
  if (payingUntil && payingUntil > now) return 'link_in_progress';
  return null;
}

/** The one client of some allocations (a payment link's, Make A Payment's), or null when they span several. */
export function soleClient(allocations: readonly Allocation[]): string | null {
  const clients = [...new Set(allocations.map((a) => a.clientNumber))];
  return clients.length === 1 ? (clients[0] ?? null) : null;
}

function isAllocation(value: unknown): value is Allocation {
  if (typeof value !== 'object' || value === null) return false;
  const a: Partial<Record<keyof Allocation, unknown>> = value;
  const textOrNull = (v: unknown) => v === null || typeof v === 'string';
  return (
    textOrNull(a.invoiceNumber) &&
    textOrNull(a.clientNumber) &&
    textOrNull(a.matterNumber) &&
    Number.isSafeInteger(a.amountCents)
  );
}

/** The allocations a payment link was made with, read back from jsonb. */
export function storedAllocations(value: unknown): Allocation[] {
  if (!Array.isArray(value) || !value.every(isAllocation))
    throw new Error('a payment link holds allocations that are not well formed');
  return value;
}
