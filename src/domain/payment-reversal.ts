import type { PaymentStatus } from './types.ts';

/** How a payment is reversed (SPEC §3.5): by the firm (void, refund) or by the bank (chargeback). */
export type ReversalKind = 'void' | 'refund' | 'chargeback';

/** The status a payment has once reversed that way. */
export const REVERSED_STATUS = {
  void: 'voided',
  refund: 'refunded',
  chargeback: 'charged_back',
} as const satisfies Record<ReversalKind, PaymentStatus>;

/** Only an approved payment can be reversed: a declined one moved no money, a reversed one has already gone back. */
export function canReverse(status: PaymentStatus): boolean {
  return status === 'approved';
}

/**
 * The processor's reversal events. An eCheck return is the bank pulling the money back,
 * as a chargeback does for a card: the payment's status is charged_back, and the audit
 * event says which it was.
 */
export const REVERSAL_EVENTS = {
  'payment.refunded': 'refund',
  'payment.voided': 'void',
  'payment.charged_back': 'chargeback',
  'payment.returned': 'chargeback',
} as const satisfies Record<string, ReversalKind>;

export type ReversalEventType = keyof typeof REVERSAL_EVENTS;

/**
 * What a processor's reversal event does to the payment it names: reverse it, or only
 * record why not (an event repeated after the payment already reached that status, or
 * one for a payment in another state, which the processor cannot change by retrying).
 */
export function reversalEventDecision(
  type: ReversalEventType,
  paymentStatus: PaymentStatus,
): { reverse: ReversalKind } | { outcome: string } {
  const kind = REVERSAL_EVENTS[type];
  if (paymentStatus === REVERSED_STATUS[kind]) return { outcome: 'already_reversed' };
  if (!canReverse(paymentStatus)) return { outcome: `ignored_payment_${paymentStatus}` };
  return { reverse: kind };
}
