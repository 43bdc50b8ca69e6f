import type { Db } from '../../db/connect.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import type { ReversalKind } from '../../domain/payment-reversal.ts';
import { findReversiblePayment, reversePayment } from './reverse-payment.ts';

export type ProcessorAction = 'refunded' | 'voided' | 'none';

/**
 * The Payment Manager's void or refund: the processor sends the money back first, then
 * the records follow (SPEC §3.5), so money and records agree. Should recording fail after
 * the processor acted, its webhook event (payment.refunded / payment.voided) records it.
 * A chargeback is recorded only: it is the bank's act, not the firm's. A payment keyed in
 * from another processor (POST /payments) is recorded only, as it was taken in.
 */
export async function reversePaymentAtProcessor(
  db: Db,
  processor: Processor,
  firmId: string,
  actor: Actor,
  paymentId: string,
  kind: ReversalKind,
  now = new Date(),
) {
  const payment = await findReversiblePayment(db, firmId, paymentId);
  let processorAction: ProcessorAction = 'none';
  if (kind !== 'chargeback') {
    const outcome =
      kind === 'void'
        ? await processor.void(firmId, payment.processor_id, now)
        : await processor.refund(firmId, payment.processor_id, now);
    if (outcome.status === 'refused')
      throw new DomainError(
        'processor_refused',
        `the processor would not ${kind} payment ${paymentId}: ${outcome.reason}`,
        { id: paymentId },
      );
    if (outcome.status === 'done') processorAction = kind === 'void' ? 'voided' : 'refunded';
  }
  return { ...(await reversePayment(db, firmId, actor, paymentId, kind, now)), processorAction };
}
