import { addCents, maxCents, minCents, subtractCents, ZERO_CENTS, type Cents } from './money.ts';
import type { Movement, PayoutLineKind } from './payouts.ts';
import type { Account, Method, RecordStatus } from './types.ts';

/**
 * Deposits (SPEC §5.3): which of a charge's money a refund returns, the movements a day's
 * settlement pays out, and whether the MMS has what a payout line carries.
 */

/**
 * Of a refund of `amountCents` after `refundedBefore` was already returned, the part that
 * is surcharge. A partial refund returns part of the receipt; the surcharge goes back only
 * with the rest of the payment (SPEC §3.5), so a refund carries surcharge only for what
 * it returns beyond the receipt.
 */
export function refundSurchargeCents(
  receiptCents: Cents,
  surchargeCents: Cents,
  refundedBefore: Cents,
  amountCents: Cents,
): Cents {
  const beyond = (refunded: Cents) => maxCents(ZERO_CENTS, subtractCents(refunded, receiptCents));
  const after = minCents(addCents(refundedBefore, amountCents), addCents(receiptCents, surchargeCents));
  return subtractCents(beyond(after), beyond(refundedBefore));
}

/** A charge as its settlement needs it: what was charged, of which surcharge, by what method, into which account. */
export interface ChargeFacts {
  processorId: string;
  method: Method;
  account: Account;
  depositAccountId: string;
  amountCents: Cents;
  surchargeCents: Cents;
}

/** A refund of a charge, with what its charge had returned before it. */
export interface RefundFacts {
  refundId: string;
  amountCents: Cents;
  refundedBeforeCents: Cents;
}

const base = (c: ChargeFacts) => ({
  paymentId: c.processorId,
  method: c.method,
  depositAccountId: c.depositAccountId,
  account: c.account,
});

/** The movement of a charge paid out whole. */
export function paymentMovement(c: ChargeFacts): Movement {
  return {
    ...base(c),
    kind: 'payment',
    receiptCents: subtractCents(c.amountCents, c.surchargeCents),
    surchargeCents: c.surchargeCents,
  };
}

/** The movement of a refund: its receipt and surcharge parts. */
export function refundMovement(c: ChargeFacts, r: RefundFacts): Movement {
  const surcharge = refundSurchargeCents(
    subtractCents(c.amountCents, c.surchargeCents),
    c.surchargeCents,
    r.refundedBeforeCents,
    r.amountCents,
  );
  return {
    ...base(c),
    kind: 'refund',
    refundId: r.refundId,
    receiptCents: subtractCents(r.amountCents, surcharge),
    surchargeCents: surcharge,
  };
}

/** The movement of a chargeback or eCheck return: all that refunds had not already returned. */
export function chargebackMovement(c: ChargeFacts, refundedCents: Cents): Movement {
  const left = subtractCents(c.amountCents, refundedCents);
  const surchargeLeft = subtractCents(
    c.surchargeCents,
    refundSurchargeCents(subtractCents(c.amountCents, c.surchargeCents), c.surchargeCents, ZERO_CENTS, refundedCents),
  );
  return {
    ...base(c),
    kind: 'chargeback',
    receiptCents: subtractCents(left, surchargeLeft),
    surchargeCents: surchargeLeft,
  };
}

/**
 * Where the MMS stands with a payout line: `applied`; `awaiting` its answer (queued or
 * delivered); `rejected` by it; `not_posted` (the record is pending or incomplete);
 * `removed` (the firm took the record out: entered by hand, or reversed before it went);
 * `no_record` (paybridge has no posting record for the money); `not_applicable` (a fee,
 * which is the firm's bank charge, not a receipt).
 */
export const MMS_STATES = [
  'applied',
  'awaiting',
  'rejected',
  'not_posted',
  'removed',
  'no_record',
  'not_applicable',
] as const;
export type MmsState = (typeof MMS_STATES)[number];

/** Each state in words, as the Deposits screen and its export say it; a fee has none. */
export const MMS_STATE_TEXT: Record<MmsState, string> = {
  applied: 'Applied',
  awaiting: 'Awaiting the MMS',
  rejected: 'Rejected by the MMS',
  not_posted: 'Not posted',
  removed: 'Removed',
  no_record: 'No posting record',
  not_applicable: '',
};

/** What a payout line is, in words. */
export const PAYOUT_KIND_TEXT: Record<PayoutLineKind, string> = {
  payment: 'Payment',
  surcharge: 'Surcharge',
  refund: 'Refund',
  chargeback: 'Chargeback',
  echeck_return: 'eCheck return',
  fee: 'Processing fee',
};

export interface LineRecord {
  status: RecordStatus;
  mmsStatus: 'awaiting' | 'applied' | 'rejected' | null;
}

export function mmsStateOf(kind: PayoutLineKind, record: LineRecord | null): MmsState {
  if (kind === 'fee') return 'not_applicable';
  if (!record) return 'no_record';
  if (record.status === 'removed') return 'removed';
  if (record.mmsStatus === 'applied') return 'applied';
  if (record.mmsStatus === 'rejected') return 'rejected';
  return record.status === 'queued' || record.status === 'posted' ? 'awaiting' : 'not_posted';
}

/** Money moved that the MMS does not hold yet: the line the accountant must look at. */
export function needsAttention(state: MmsState): boolean {
  return state === 'awaiting' || state === 'rejected' || state === 'not_posted' || state === 'no_record';
}
