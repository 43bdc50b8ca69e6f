import { createHash } from 'node:crypto';
import type { Cents } from '../domain/money.ts';
import type { PayoutLine } from '../domain/payouts.ts';
import type { CardFunding, Method } from '../domain/types.ts';

/**
 * The card processor as paybridge sees it. Card and bank details never reach the
 * server: the processor's script in the browser turns them into a token, and the server
 * charges that token. Events the processor sends later (returns, chargebacks) arrive by
 * signed webhook, not through this interface.
 */
export interface ChargeRequest {
  /** The merchant account charged: one per firm. */
  firmId: string;
  /** A one-time token from the browser, or a vault reference (vault()). */
  token: string;
  amountCents: Cents;
  /** The same key always answers with the same charge; it never charges twice. */
  idempotencyKey: string;
  now?: Date | undefined;
}

export interface ChargeResult {
  processorId: string;
  status: 'approved' | 'declined';
  declineReason?: string | undefined;
  brand: string;
  last4: string;
  method: Method;
  /** A card's funding (credit, debit or prepaid); null for an eCheck. */
  funding: CardFunding | null;
  processedAt: Date;
}

export interface TokenFacts {
  brand: string;
  last4: string;
  method: Method;
  /** A card's funding (credit, debit or prepaid); null for an eCheck. */
  funding: CardFunding | null;
}

/**
 * `done`: the money went back (or the charge was already reversed this way), with the
 * processor's id for a refund, which its confirming event repeats; `unknown`:
 * this processor never made the charge (a payment keyed in from elsewhere), so there is
 * nothing to send back here; `refused`: the processor will not (a voided charge cannot
 * be refunded).
 */
export type ReverseOutcome =
  { status: 'done'; refundId?: string | undefined } | { status: 'unknown' } | { status: 'refused'; reason: string };

/**
 * A payout as the processor tells of it (SPEC §5.3): one settled day's money of one
 * deposit account, line by line. A line's `paymentId` is the processor's id of the charge.
 */
export interface ProcessorPayout {
  id: string;
  depositAccountId: string;
  settledOn: string;
  paidAt: Date;
  amountCents: Cents;
  lines: PayoutLine[];
}

export interface Processor {
  /**
   * What the token stands for, or null when it is unknown to this firm. A token belongs to
   * the firm that first charges it: another firm's is unknown here.
   */
  describeToken(firmId: string, token: string): Promise<TokenFacts | null>;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Refunds `amountCents` of the charge, or all that is left of it. */
  refund(firmId: string, processorId: string, now?: Date, amountCents?: Cents): Promise<ReverseOutcome>;
  /** Voids the charge: only until it settles (the day after it, in the firm's time zone). */
  void(firmId: string, processorId: string, now?: Date): Promise<ReverseOutcome>;
  /**
   * Keeps the card or bank account a one-time token stands for, for charges later (a
   * payment schedule), and answers the processor's reference to it: it charges only for
   * this firm and only at this processor, so the reference is useless anywhere else.
   * Null when the token is unknown to this firm.
   */
  vault(firmId: string, token: string): Promise<string | null>;
  /** The firm's payout with its lines, or null when the processor made no such payout for this firm. */
  payout(firmId: string, payoutId: string): Promise<ProcessorPayout | null>;
}

/**
 * A one-off payment is keyed by its token: the browser makes a token per attempt, so a
 * double-clicked Pay sends the same token and gets the same charge, never a second one.
 */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
