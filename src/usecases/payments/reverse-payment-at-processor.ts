import type { Db } from '../../db/connect.ts';
import { badRequest, DomainError } from '../../domain/errors.ts';
import { paymentInWords } from '../postings/refusal.ts';
import { readTimeZone } from '../../db/firms.ts';
import { refundPlan, voidProblem } from '../../domain/payment-reversal.ts';
import type { Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { findReversiblePayment, reversePayment, type ReversalRequest } from './reverse-payment.ts';

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
  request: Pick<ReversalRequest, 'kind' | 'amountCents'>,
  now = new Date(),
) {
  const { kind } = request;
  const payment = await findReversiblePayment(db, firmId, paymentId);
  // Refused here before the processor is asked, so nothing goes back that the records could not follow.
  if (kind === 'refund') {
    const plan = refundPlan(
      {
        amountCents: payment.amount_cents,
        surchargeCents: payment.surcharge_cents,
        refundedCents: payment.refunded_cents,
      },
      request.amountCents,
    );
    if ('problem' in plan) throw badRequest(plan.problem, { field: 'amountCents' });
  }
  if (kind === 'void') {
    const problem = voidProblem(
      { status: payment.status, refundedCents: payment.refunded_cents, processedAt: payment.processed_at },
      now,
      await readTimeZone(db, firmId),
    );
    if (problem)
      throw new DomainError(
        'not_voidable',
        `${await paymentInWords(db, firmId, payment)} can no longer be voided: ${problem}`,
        { id: paymentId },
      );
  }
  let processorAction: ProcessorAction = 'none';
  let refundId: string | undefined;
  if (kind !== 'chargeback') {
    const outcome =
      kind === 'void'
        ? await processor.void(firmId, payment.processor_id, now)
        : await processor.refund(firmId, payment.processor_id, now, request.amountCents);
    if (outcome.status === 'refused')
      throw new DomainError(
        'processor_refused',
        `the processor would not ${kind} ${await paymentInWords(db, firmId, payment)}: ${outcome.reason}`,
        { id: paymentId },
      );
    if (outcome.status === 'done') {
      processorAction = kind === 'void' ? 'voided' : 'refunded';
      refundId = outcome.refundId;
    }
  }
  return { ...(await reversePayment(db, firmId, actor, paymentId, { ...request, refundId }, now)), processorAction };
}
