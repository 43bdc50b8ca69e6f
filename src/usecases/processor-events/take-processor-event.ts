import type { z } from 'zod';
import type { processorEvent, webhookAnswer } from '../../contract/webhooks.ts';
import { reversalEventDecision, REVERSED_STATUS, type ReversalEventType } from '../../domain/payment-reversal.ts';
import type { Db } from '../../db/connect.ts';
import { findPaymentByProcessorId, refundKnown } from '../../db/payments.ts';
import type { Cents } from '../../domain/money.ts';
import { claimProcessorEvent, readEventOutcome, recordEventOutcome } from '../../db/processor-events.ts';
import { inTransaction } from '../../db/transaction.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Actor } from '../../domain/actor.ts';
import type { Processor } from '../../processor/processor.ts';
import { recordPayout } from '../deposits/record-payout.ts';
import { reversePayment } from '../payments/reverse-payment.ts';
import { takePayment, type TakePaymentInput } from '../payments/take-payment.ts';

export const PROCESSOR_ACTOR: Actor = { kind: 'system', id: null, label: 'processor' };

/** A verified event of a type paybridge handles, as the webhook parsed it. */
export type ProcessorEvent = z.output<typeof processorEvent>;

type EventResult = Omit<z.output<typeof webhookAnswer>, 'received'>;

/**
 * Takes in one verified processor event. The event id is recorded in the same
 * transaction as its effect, so a replay (the processor retrying, or an attacker
 * resending a captured request) is answered as a duplicate and changes nothing, and an
 * event refused here (a reversal for a payment not yet taken in) is not recorded, so the
 * processor's retry can succeed later. A payout.paid event is taken in by recordPayout,
 * which asks the processor for the payout's lines.
 */
export async function takeProcessorEvent(
  db: Db,
  firmId: string,
  event: ProcessorEvent,
  processor: Processor,
): Promise<EventResult> {
  if (event.type === 'payout.paid') return recordPayout(db, processor, firmId, event);
  return inTransaction(db, async (tx) => {
    const claimed = await claimProcessorEvent(tx, firmId, {
      id: event.id,
      type: event.type,
      processorId: event.data.processorId,
    });
    if (!claimed) {
      const outcome = await readEventOutcome(tx, firmId, event.id);
      const payment = await findPaymentByProcessorId(tx, firmId, event.data.processorId);
      return { duplicate: true, outcome, paymentId: payment?.id ?? null };
    }
    const result =
      event.type === 'payment.approved'
        ? await approve(tx, firmId, event.data)
        : await reverse(tx, firmId, event.type, event.data);
    await recordEventOutcome(tx, firmId, event.id, result.outcome);
    return { duplicate: false, ...result };
  });
}

async function approve(tx: Db, firmId: string, data: TakePaymentInput): Promise<Omit<EventResult, 'duplicate'>> {
  const taken = await takePayment(tx, firmId, PROCESSOR_ACTOR, data);
  return { outcome: taken.created ? 'payment_taken' : 'payment_already_taken', paymentId: taken.payment.id };
}

async function reverse(
  tx: Db,
  firmId: string,
  type: ReversalEventType,
  data: { processorId: string; refundId?: string | undefined; amountCents?: Cents | undefined },
): Promise<Omit<EventResult, 'duplicate'>> {
  const payment = await findPaymentByProcessorId(tx, firmId, data.processorId, true);
  if (!payment) {
    throw new DomainError(
      'unknown_payment',
      `no payment ${data.processorId} has been taken in yet; send the event again once it has`,
      { processorId: data.processorId },
    );
  }
  // A refund paybridge made itself (or this event's earlier delivery) is known by its id.
  if (data.refundId !== undefined && (await refundKnown(tx, firmId, data.refundId)))
    return { outcome: 'already_refunded', paymentId: payment.id };
  const decision = reversalEventDecision(type, payment.status);
  if ('outcome' in decision) return { outcome: decision.outcome, paymentId: payment.id };
  const actor = { ...PROCESSOR_ACTOR, label: `processor (${type})` };
  // A refund event without its own id (an older processor's) returns all that is left.
  const request =
    decision.reverse === 'refund' && data.refundId !== undefined
      ? { kind: decision.reverse, amountCents: data.amountCents, refundId: data.refundId }
      : { kind: decision.reverse };
  const { payment: after } = await reversePayment(tx, firmId, actor, payment.id, request);
  return {
    outcome: after.status === 'approved' ? 'payment_refunded_in_part' : `payment_${REVERSED_STATUS[decision.reverse]}`,
    paymentId: payment.id,
  };
}
