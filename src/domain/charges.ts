import { DomainError } from './errors.ts';
import { formatUsd } from './money.ts';
import type { Method } from './types.ts';

/** What the payer is told when a charge does not become a payment. */

/** A declined card or bank account (card_declined, echeck_declined): nothing was kept, try another. */
export function declined(charge: { method: Method; declineReason?: string | undefined }): DomainError {
  const what = charge.method === 'card' ? 'card' : 'bank account';
  // A reason that only says "declined" again ("card declined") adds nothing to the sentence.
  const reason = charge.declineReason && !/declin/i.test(charge.declineReason) ? ` (${charge.declineReason})` : '';
  return new DomainError(
    charge.method === 'card' ? 'card_declined' : 'echeck_declined',
    `The ${what} was declined${reason}. No payment was made; try another ${what}.`,
    { declineReason: charge.declineReason ?? null },
  );
}

/**
 * The charge was approved but could not be taken in: the same invoices kept changing
 * under it (which retries make all but impossible). The charge stands, keyed by the
 * token: sending the same request again with the same token charges nothing more and
 * takes the payment in.
 */
export function approvedNotRecorded(charge: { processorId: string }, amountCents: number): DomainError {
  return new DomainError(
    'payment_not_recorded',
    `The payment of ${formatUsd(amountCents)} was approved, but so many payments arrived at the same moment that it could not be recorded yet. Press Pay again with the same details to finish: it will not be charged twice.`,
    { retryable: true, processorId: charge.processorId },
  );
}
