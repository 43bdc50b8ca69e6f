import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/connect.ts';
import type { SandboxChargesTable } from '../../db/schema.ts';
import {
  findChargeByIdempotencyKey,
  claimSandboxToken,
  findSandboxToken,
  findVaulted,
  insertSandboxCharge,
  insertVaulted,
  insertSandboxEvent,
  lockCharge,
  refundCharge,
  setChargeStatus,
} from '../../db/sandbox.ts';
import { readTimeZone } from '../../db/firms.ts';
import { formatUsd, type Cents } from '../../domain/money.ts';
import { isSettled, settlementDate } from '../../domain/payment-reversal.ts';
import { inTransaction } from '../../db/transaction.ts';
import { DomainError } from '../../domain/errors.ts';
import { findSandboxPayout } from '../../db/sandbox-payouts.ts';
import type {
  ChargeRequest,
  ChargeResult,
  Processor,
  ProcessorPayout,
  ReverseOutcome,
  TokenFacts,
} from '../processor.ts';
import { tokenHash } from './tokenize.ts';

/** How long after an "approve, then fail" charge the sandbox sends its failure event. */
export const FAIL_LATER_MS = 60_000;

export type SandboxEventType =
  | 'payment.approved'
  | 'payment.charged_back'
  | 'payment.returned'
  | 'payment.refunded'
  | 'payment.voided'
  | 'payout.paid';

/** What a vault reference starts with: a token from the browser never does (sbx_tok_…). */
const VAULT_PREFIX = 'sbx_pm_';

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/**
 * A real, in-process processor for development and tests: tokens from the documented
 * test numbers, idempotent charges, refunds and voids, and signed webhook events for
 * what happens later (a chargeback, an eCheck return, a refund's confirmation) sent to
 * the firm's own webhook endpoint by the scheduler. Only the card network is missing.
 */
export class SandboxProcessor implements Processor {
  constructor(private readonly db: Db) {}

  /** The hash of the token a charge names: itself, or the one a vault reference of this firm keeps. */
  private async hashOf(db: Db, firmId: string, token: string): Promise<string | null> {
    if (!token.startsWith(VAULT_PREFIX)) return tokenHash(token);
    return (await findVaulted(db, firmId, token)) ?? null;
  }

  async describeToken(firmId: string, token: string): Promise<TokenFacts | null> {
    const hash = await this.hashOf(this.db, firmId, token);
    const row = hash ? await findSandboxToken(this.db, firmId, hash) : undefined;
    return row ? { brand: row.brand, last4: row.last4, method: row.method, funding: row.funding } : null;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const now = request.now ?? new Date();
    return inTransaction(this.db, async (tx) => {
      const hash = await this.hashOf(tx, request.firmId, request.token);
      const token = hash ? await claimSandboxToken(tx, request.firmId, hash) : undefined;
      if (!token)
        throw new DomainError(
          'invalid_payment_token',
          'the payment token is unknown: enter the card or bank details again',
        );
      const approved = token.outcome !== 'decline';
      const inserted = await insertSandboxCharge(tx, request.firmId, {
        id: newId('sbx_ch'),
        idempotency_key: request.idempotencyKey,
        token_hash: token.token_hash,
        amount_cents: request.amountCents,
        status: approved ? 'approved' : 'declined',
        decline_reason: token.decline_reason,
        created_at: now,
      });
      const charge = await findChargeByIdempotencyKey(tx, request.firmId, request.idempotencyKey);
      if (!inserted && (charge.token_hash !== token.token_hash || charge.amount_cents !== request.amountCents)) {
        throw new DomainError(
          'idempotency_key_reused',
          'this payment was already attempted with another card or amount; start a new payment',
        );
      }
      if (inserted && (token.outcome === 'approve_then_chargeback' || token.outcome === 'approve_then_return')) {
        const type = token.outcome === 'approve_then_chargeback' ? 'payment.charged_back' : 'payment.returned';
        await enqueueEvent(
          tx,
          request.firmId,
          type,
          { processorId: charge.id, amountCents: charge.amount_cents },
          new Date(now.getTime() + FAIL_LATER_MS),
        );
      }
      return {
        processorId: charge.id,
        status: charge.status === 'declined' ? 'declined' : 'approved',
        ...(charge.decline_reason && charge.status === 'declined' ? { declineReason: charge.decline_reason } : {}),
        brand: token.brand,
        last4: token.last4,
        method: token.method,
        funding: token.funding,
        processedAt: charge.created_at,
      };
    });
  }

  /** Refunds part of the charge, or all that is left; it is refunded once nothing is left. */
  refund(firmId: string, processorId: string, now = new Date(), amountCents?: Cents): Promise<ReverseOutcome> {
    return inTransaction(this.db, async (tx) => {
      const charge = await lockCharge(tx, firmId, processorId);
      if (!charge) return { status: 'unknown' };
      if (charge.status === 'refunded' && amountCents === undefined) return { status: 'done' };
      if (charge.status !== 'approved')
        return { status: 'refused', reason: `the charge is ${describe(charge.status)}` };
      const left = charge.amount_cents - charge.refunded_cents;
      const amount = amountCents ?? left;
      if (amount <= 0 || amount > left)
        return { status: 'refused', reason: `only ${formatUsd(left)} of the charge is left to refund` };
      const full = amount === left;
      await refundCharge(tx, firmId, processorId, amount, full);
      const refundId = newId('sbx_re');
      // A real processor confirms by webhook too; the firm's endpoint knows the refund id and takes it as a repeat.
      await enqueueEvent(tx, firmId, 'payment.refunded', { processorId, amountCents: amount, refundId }, now);
      return { status: 'done', refundId };
    });
  }

  /** Voids the charge while it is not settled, and nothing of it was refunded. */
  void(firmId: string, processorId: string, now = new Date()): Promise<ReverseOutcome> {
    return inTransaction(this.db, async (tx) => {
      const charge = await lockCharge(tx, firmId, processorId);
      if (!charge) return { status: 'unknown' };
      if (charge.status === 'voided') return { status: 'done' };
      if (charge.status !== 'approved')
        return { status: 'refused', reason: `the charge is ${describe(charge.status)}` };
      const timeZone = await readTimeZone(tx, firmId);
      if (isSettled(charge.created_at, now, timeZone))
        return {
          status: 'refused',
          reason: `the charge settled on ${settlementDate(charge.created_at, timeZone)}; refund it instead`,
        };
      if (charge.refunded_cents > 0) return { status: 'refused', reason: 'part of the charge was refunded' };
      await setChargeStatus(tx, firmId, processorId, 'voided');
      await enqueueEvent(tx, firmId, 'payment.voided', { processorId, amountCents: charge.amount_cents }, now);
      return { status: 'done' };
    });
  }

  /** Vaults the token for this firm (claiming it, as a charge does) and answers a new reference to it. */
  vault(firmId: string, token: string): Promise<string | null> {
    return inTransaction(this.db, async (tx) => {
      const claimed = await claimSandboxToken(tx, firmId, tokenHash(token));
      if (!claimed) return null;
      const ref = `${VAULT_PREFIX}${randomBytes(12).toString('hex')}`;
      await insertVaulted(tx, firmId, ref, claimed.token_hash);
      return ref;
    });
  }

  /** A payout the daily settlement made (settleSandboxPayouts), with its lines. */
  async payout(firmId: string, payoutId: string): Promise<ProcessorPayout | null> {
    const payout = await findSandboxPayout(this.db, firmId, payoutId);
    return payout && { ...payout };
  }
}

function describe(status: SandboxChargesTable['status']): string {
  return status.replace('_', ' ');
}

export async function enqueueEvent(
  db: Db,
  firmId: string,
  type: SandboxEventType,
  data: object,
  deliverAfter: Date,
): Promise<string> {
  const eventId = newId('evt_sbx');
  const body = { id: eventId, type, created: Math.floor(deliverAfter.getTime() / 1000), data };
  await insertSandboxEvent(db, firmId, { event_id: eventId, body: JSON.stringify(body), deliver_after: deliverAfter });
  return eventId;
}
