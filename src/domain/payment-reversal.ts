import { addDays, calendarDateIn } from './dates.ts';
import { formatUsd, subtractCents, type Cents } from './money.ts';
import type { Method, PaymentStatus, ReversalRecordKind } from './types.ts';

/** How a payment is reversed (SPEC §3.5): by the firm (void, refund) or by the bank (chargeback). */
export type ReversalKind = 'void' | 'refund' | 'chargeback';

/** The status a payment has once reversed that way. */
export const REVERSED_STATUS = {
  void: 'voided',
  refund: 'refunded',
  chargeback: 'charged_back',
} as const satisfies Record<ReversalKind, PaymentStatus>;

/** The note a record removed by the reversal carries, in the words the firm's staff read it in. */
export const REVERSAL_NOTE = {
  void: 'payment voided',
  refund: 'payment refunded',
  chargeback: 'payment charged back',
} as const satisfies Record<ReversalKind, string>;

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

/** How a reversal record is labelled in every list, export and file memo (SPEC §3.5). */
export const REVERSAL_LABEL = {
  void: 'Void',
  refund: 'Refund',
  chargeback: 'Chargeback',
  echeck_return: 'eCheck return',
  correction: 'Correction',
} as const satisfies Record<ReversalRecordKind, string>;

/** The label a payment's reversal record carries: the bank pulling back an eCheck is a return, not a chargeback. */
export function reversalRecordKind(kind: ReversalKind, method: Method): ReversalRecordKind {
  return kind === 'chargeback' && method === 'echeck' ? 'echeck_return' : kind;
}

/**
 * The day the processor pays a payment out (SPEC §5.3): the day after it, in the firm's
 * time zone. Until then it can be voided; from then on only refunded.
 */
export function settlementDate(processedAt: Date, timeZone: string): string {
  return addDays(calendarDateIn(processedAt, timeZone), 1);
}

export function isSettled(processedAt: Date, now: Date, timeZone: string): boolean {
  return calendarDateIn(now, timeZone) >= settlementDate(processedAt, timeZone);
}

/**
 * Why a payment can no longer be voided, or null while it can (SPEC §3.5): only an
 * approved payment, nothing of it refunded, before it settles. The Payment Manager shows
 * `voidable` and the void is refused by this one rule.
 */
export function voidProblem(
  payment: { status: PaymentStatus; refundedCents: number; processedAt: Date },
  now: Date,
  timeZone: string,
): string | null {
  if (!canReverse(payment.status)) return `it is ${payment.status}`;
  if (isSettled(payment.processedAt, now, timeZone))
    return `it settled on ${settlementDate(payment.processedAt, timeZone)}: refund it instead`;
  if (payment.refundedCents > 0) return 'it was refunded in part: refund the rest instead';
  return null;
}

/** What of a payment has gone back so far. */
export interface RefundState {
  amountCents: Cents;
  surchargeCents: Cents;
  refundedCents: Cents;
}

/** What may still be refunded: all that was charged, less what was refunded already. */
export function refundableCents(state: RefundState): Cents {
  return subtractCents(state.amountCents, state.refundedCents);
}

export type RefundPlan = { scope: 'full' | 'partial'; amountCents: Cents } | { problem: string };

/**
 * A refund of `requested` cents (all that is left when not given). A partial refund
 * returns part of the receipt: the surcharge, the firm's income for the charge, goes back
 * only with the rest of the payment, so a refund of all that is left is a full one.
 */
export function refundPlan(state: RefundState, requested: Cents | undefined): RefundPlan {
  const left = refundableCents(state);
  if (requested === undefined || requested === left) return { scope: 'full', amountCents: left };
  if (requested <= 0) return { problem: 'a refund is of more than $0.00' };
  if (requested > left) return { problem: `only ${formatUsd(left)} of this payment can still be refunded` };
  const receiptLeft = subtractCents(left, state.surchargeCents);
  if (requested > receiptLeft)
    return {
      problem: `a partial refund returns part of the payment's ${formatUsd(receiptLeft)} receipt; refund all ${formatUsd(left)} to return the surcharge too`,
    };
  return { scope: 'partial', amountCents: requested };
}
