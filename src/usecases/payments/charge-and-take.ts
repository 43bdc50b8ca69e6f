import { approvedNotRecorded, declined } from '../../domain/charges.ts';
import type { Db } from '../../db/connect.ts';
import { findPaymentByProcessorId } from '../../db/payments.ts';
import { inTransaction, StillConflicting } from '../../db/transaction.ts';
import type { ChargeResult, Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { takePayment, type TakePaymentInput, type TakePaymentResult } from './take-payment.ts';

/** What the payer or staff chose; the processor supplies the rest (id, method, brand, funding, last 4, time). */
export type PaymentIntent = Omit<
  TakePaymentInput,
  'processorId' | 'method' | 'cardBrand' | 'cardFunding' | 'last4' | 'processedAt'
>;

export interface ChargeAndTakeInput {
  token: string;
  /** Scoped to the firm by the processor; the same key never charges twice. */
  idempotencyKey: string;
  payment: PaymentIntent;
  /** A further change made in the payment's own transaction (a link marked paid). */
  alsoInTransaction?: (tx: Db, taken: TakePaymentResult) => Promise<void>;
  now?: Date;
}

/**
 * Charges the token, then takes the payment in through takePayment, the one intake path.
 * A decline answers card_declined or echeck_declined and keeps nothing.
 *
 * The charge is made once, before the transaction boundary: only taking it in (and the
 * caller's change in the same transaction) is retried when it meets a conflict, so a
 * charge already approved is never voided for a conflict. Should the conflicts outlast
 * the retries, the answer is payment_not_recorded and the charge stands for the payer's retry. Only a
 * real refusal of the payment (its page gone, an allocation the rules refuse) or an
 * unexpected error voids it, so money is never kept without a payment to show it
 * (should the void itself fail, the processor's events and the firm's reconciliation
 * show the charge).
 */
export async function chargeAndTake(
  db: Db,
  processor: Processor,
  firmId: string,
  actor: Actor,
  input: ChargeAndTakeInput,
): Promise<TakePaymentResult & { charge: ChargeResult }> {
  // Inside a caller's transaction the charge would be repeated with every retry of it.
  if (db.isTransaction) throw new Error('chargeAndTake makes its own transaction: call it outside any');
  const charge = await processor.charge({
    firmId,
    token: input.token,
    amountCents: input.payment.amountCents,
    idempotencyKey: input.idempotencyKey,
    now: input.now,
  });
  if (charge.status === 'declined') throw declined(charge);
  try {
    const taken = await inTransaction(db, async (tx) => {
      const result = await takePayment(tx, firmId, actor, {
        ...input.payment,
        processorId: charge.processorId,
        method: charge.method,
        cardBrand: charge.method === 'card' ? charge.brand : undefined,
        cardFunding: charge.funding ?? undefined,
        last4: charge.last4,
        processedAt: charge.processedAt.toISOString(),
      });
      await input.alsoInTransaction?.(tx, result);
      return result;
    });
    return { ...taken, charge };
  } catch (error) {
    if (error instanceof StillConflicting) throw approvedNotRecorded(charge, input.payment.amountCents);
    // A concurrent request with the same token may have taken this very charge in: its
    // payment stands, so the charge is voided only when no payment records it.
    const recorded = await findPaymentByProcessorId(db, firmId, charge.processorId).catch(() => undefined);
    if (!recorded) await processor.void(firmId, charge.processorId).catch(() => undefined);
    throw error;
  }
}
