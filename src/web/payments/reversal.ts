import { cents, formatUsd, subtractCents, type Cents } from '../../domain/money.ts';
import {
  refundableCents,
  refundPlan,
  REVERSAL_LABEL,
  reversalRecordKind,
  type RefundState,
  type ReversalKind,
} from '../../domain/payment-reversal.ts';
import { reversalEffect } from '../../domain/reversal.ts';
import type { Payment } from '../api/types.ts';
import { requiredAmount } from '../common/amount.ts';
import { formatDate } from '../common/format.ts';

/** What of a payment has gone back so far, as the rules in domain/ take it. */
function refundState(payment: Payment): RefundState {
  return {
    amountCents: cents(payment.amountCents),
    surchargeCents: cents(payment.surchargeCents),
    refundedCents: cents(payment.refundedCents),
  };
}

/** What may still be refunded: all that was charged, less what was refunded already. */
export function refundLeft(payment: Payment): Cents {
  return refundableCents(refundState(payment));
}

/**
 * Why Void is not offered on an approved payment, where it would be (SPEC §3.5): it
 * settled (then only a refund sends money back), or part of it was refunded already.
 * Null while it can still be voided.
 */
export function voidNote(payment: Payment): string | null {
  if (payment.voidable) return null;
  if (payment.refundedCents > 0) return 'Refunded in part: refund the rest instead';
  return `Settled on ${formatDate(payment.settlesOn)}: refund instead`;
}

/** "$25.00 of $103.00": what a payment refunded in part has had back; null before a refund or after all of it. */
export function refundedPart(payment: Payment): string | null {
  if (payment.refundedCents <= 0 || payment.refundedCents >= payment.amountCents) return null;
  return `${formatUsd(payment.refundedCents)} of ${formatUsd(payment.amountCents)}`;
}

/** "Refunded $25.00 of $103.00" on a payment refunded in part; null otherwise. */
export function refundedText(payment: Payment): string | null {
  const part = refundedPart(payment);
  return part && `Refunded ${part}`;
}

/** What the refund dialog says before the amount: how much can go back, and what a partial refund returns. */
export function refundTerms(payment: Payment): string[] {
  const left = refundLeft(payment);
  const receipt = subtractCents(left, cents(payment.surchargeCents));
  const terms = [
    payment.refundedCents > 0
      ? `${formatUsd(payment.refundedCents)} was refunded already; up to ${formatUsd(left)} can still be refunded.`
      : `Up to ${formatUsd(left)} can be refunded.`,
  ];
  terms.push(
    payment.surchargeCents > 0
      ? `A partial refund returns part of the ${formatUsd(receipt)} receipt; the ${formatUsd(payment.surchargeCents)} surcharge goes back only with a full refund of ${formatUsd(left)}.`
      : 'A partial refund returns part of the receipt.',
  );
  return terms;
}

export type RefundBody = { kind: 'refund'; amountCents?: number };

/**
 * The request for a refund of the dollars typed, or what to tell the person. The amount is
 * sent only when it is less than all that is left: a refund of the rest is a full one,
 * which returns the surcharge too. The rule is the server's own (domain refundPlan).
 */
export function refundRequest(
  payment: Payment,
  text: string,
): { cents: Cents; body: RefundBody; error?: undefined } | { error: string } {
  const typed = requiredAmount(text);
  if (typed.error !== undefined) return { error: typed.error };
  const plan = refundPlan(refundState(payment), cents(typed.cents));
  if ('problem' in plan) return { error: `${plan.problem.charAt(0).toUpperCase()}${plan.problem.slice(1)}.` };
  return plan.scope === 'full'
    ? { cents: plan.amountCents, body: { kind: 'refund' } }
    : { cents: plan.amountCents, body: { kind: 'refund', amountCents: plan.amountCents } };
}

/**
 * What a reversal does to the payment's posting record, as it now is (SPEC §3.5): none to
 * change; one not yet queued is removed, or for a partial refund lowered; one queued or
 * posted gets a negative reversal record labelled with the kind.
 */
export function recordEffectText(payment: Payment, kind: ReversalKind, partial: boolean): string {
  const status = payment.postingStatus;
  if (status === null) return 'The payment has no posting record: nothing changes in Manage Postings.';
  const effect = reversalEffect(status);
  if (effect === 'none') return `Its posting record is ${status}: nothing changes in Manage Postings.`;
  if (effect === 'remove')
    return partial
      ? `Its ${status} posting record takes the refund off its receipt and is checked again.`
      : `Its ${status} posting record is removed: the payment was reversed before it went to the MMS.`;
  const label = REVERSAL_LABEL[reversalRecordKind(kind, payment.method)];
  return `Its posting record is ${status}, so a negative reversal record labelled ${label} goes to Pending in Manage Postings for the MMS.`;
}
