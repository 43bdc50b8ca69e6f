import { randomUUID } from 'node:crypto';
import {
  canReverse,
  refundableCents,
  refundPlan,
  reversalRecordKind,
  REVERSAL_NOTE,
  REVERSED_STATUS,
  type RefundPlan,
  type ReversalKind,
} from '../../domain/payment-reversal.ts';
import {
  linesLeft,
  partialReversalAllocations,
  reducedAllocations,
  reversalAllocations,
  reversalEffect,
} from '../../domain/reversal.ts';
import { cents, negateCents, sumCents, ZERO_CENTS, type Cents } from '../../domain/money.ts';
import { transition } from '../../domain/state-machine.ts';
import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { inTransaction } from '../../db/transaction.ts';
import { queueWebhookEvent } from '../../db/webhook-endpoints.ts';
import {
  loadAllocations,
  loadRecordViews,
  replaceAllocations,
  searchText,
  writeRecordStatuses,
} from '../../db/postings.ts';
import { addPartialRefund, findPayment, insertRefund, markPaymentReversed } from '../../db/payments.ts';
import { insertReversalRecord, loadReversedLines, lockPaymentChain, lowerReceipt } from '../../db/payment-records.ts';
import { liveRecord } from '../../domain/corrections.ts';
import { removeRecords } from '../postings/remove-records.ts';
import { badRequest, notFound, invalidState } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Actor } from '../../domain/actor.ts';
import { loadPaymentView } from './payment-view.ts';
import { freeClaims, reconcileRecords } from '../postings/reconcile-records.ts';
import { paymentInWords } from '../postings/refusal.ts';

/** The payment to reverse: the firm's, and still approved (a foreign or missing id answers not_found alike). */
export async function findReversiblePayment(db: Db, firmId: string, paymentId: string, forUpdate = false) {
  if (!isUuid(paymentId)) throw notFound('payment', paymentId);
  const payment = await findPayment(db, firmId, paymentId, forUpdate);
  if (!payment) throw notFound('payment', paymentId);
  if (!canReverse(payment.status)) {
    throw invalidState(
      `cannot reverse ${await paymentInWords(db, firmId, payment)}: it is ${payment.status.replace('_', ' ')} already; only an approved payment can be voided or refunded`,
      { id: paymentId },
    );
  }
  return payment;
}

/** What is reversed: a void, a chargeback, or a refund of all or part of what is left. */
export interface ReversalRequest {
  kind: ReversalKind;
  /** A refund of part of the payment; absent: all of what is left. */
  amountCents?: Cents | undefined;
  /** The processor's id for the refund, so that its confirming event is known as a repeat. */
  refundId?: string | undefined;
}

/**
 * SPEC §3.5: reversed before its record is queued, the record is removed; reversed
 * after, a negative record mirroring what is left of the original goes to pending for the
 * MMS. A partial refund lowers a record not yet queued (which is classified again), or
 * makes a negative record for its amount against the original's lines from the last
 * line back once it is queued or posted.
 */
export async function reversePayment(
  db: Db,
  firmId: string,
  actor: Actor,
  paymentId: string,
  request: ReversalRequest,
  now = new Date(),
) {
  const { kind } = request;
  return inTransaction(db, async (tx) => {
    const payment = await findReversiblePayment(tx, firmId, paymentId, true);
    const state = {
      amountCents: payment.amount_cents,
      surchargeCents: payment.surcharge_cents,
      refundedCents: payment.refunded_cents,
    };
    const plan: RefundPlan =
      kind === 'refund'
        ? refundPlan(state, request.amountCents)
        : { scope: 'full', amountCents: refundableCents(state) };
    if ('problem' in plan) throw badRequest(plan.problem, { field: 'amountCents' });
    // Every refund keeps a row, the day it happened among its facts: a processor's payout
    // takes it from that day's money. One the processor gave no id gets paybridge's own.
    if (kind === 'refund')
      await insertRefund(tx, firmId, {
        refundId: request.refundId ?? `pb_re_${randomUUID().replaceAll('-', '')}`,
        paymentId,
        amountCents: plan.amountCents,
        at: now,
      });
    const partial = plan.scope === 'partial';
    if (partial) await addPartialRefund(tx, firmId, paymentId, plan.amountCents);
    else await markPaymentReversed(tx, firmId, paymentId, REVERSED_STATUS[kind], now);
    await writeAudit(tx, firmId, actor, [
      {
        action: partial ? 'payment_refunded_in_part' : `payment_${REVERSED_STATUS[kind]}`,
        detail: { paymentId, amountCents: plan.amountCents },
      },
    ]);
    await queueWebhookEvent(
      tx,
      firmId,
      'payment.reversed',
      { paymentId, kind, partial, amountCents: plan.amountCents, status: partial ? 'approved' : REVERSED_STATUS[kind] },
      now,
    );

    const chain = await lockPaymentChain(tx, firmId, paymentId);
    let record = liveRecord(chain);
    // A correction not posted yet goes with a full reversal: both halves are removed, and
    // the record it would have replaced, which the MMS has, is what is reversed (SPEC §3.7).
    while (record !== null && record.replaces !== null && !partial && reversalEffect(record.status) === 'remove') {
      await removeRecords(tx, firmId, actor, [record.id], REVERSAL_NOTE[kind], now);
      const replaced: string = record.replaces;
      record = chain.find((r) => r.id === replaced) ?? null;
    }
    let reversalId: string | null = null;
    if (record) {
      const effect = reversalEffect(record.status);
      const label = reversalRecordKind(kind, payment.method);
      if (effect === 'remove' && partial) {
        await lowerUnqueuedRecord(tx, firmId, actor, record.id, plan.amountCents, now);
      } else if (effect === 'remove') {
        const removal = transition(record.status, 'reverse_payment')!;
        await writeRecordStatuses(
          tx,
          firmId,
          { moves: [{ id: record.id, transition: removal }] },
          { reasons: ['payment_reversed'], removalNote: REVERSAL_NOTE[kind] },
          now,
        );
        await writeAudit(tx, firmId, actor, [
          {
            action: 'removed',
            recordId: record.id,
            from: record.status,
            to: 'removed',
            detail: { reason: 'payment_reversed', kind },
          },
        ]);
        if (record.status === 'pending') await freeClaims(tx, firmId, actor, [record.id], 'payment reversed', now);
      } else if (record.status === 'removed' && !partial) {
        // Removed already, it stays removed; its reason now says why Move to Pending refuses it.
        await writeRecordStatuses(
          tx,
          firmId,
          { moves: [{ id: record.id, transition: transition(record.status, 'reverse_payment')! }] },
          { reasons: ['payment_reversed'] },
          now,
        );
        await publish(tx, firmId, ['postings.changed']);
      } else if (effect === 'create_reversal') {
        const original = (await loadAllocations(tx, firmId, [record.id])).get(record.id) ?? [];
        const left = linesLeft(original, await loadReversedLines(tx, firmId, record.id));
        const allocations = partial
          ? partialReversalAllocations(left, plan.amountCents)
          : reversalAllocations(left.filter((line) => line.amountCents > 0));
        const receipt = sumCents(allocations.map((a) => a.amountCents));
        // Nothing left to reverse (every line already went back in part): no empty record is made.
        if (receipt !== 0) {
          const reversalRecordId = await insertReversalRecord(tx, firmId, {
            payment_id: paymentId,
            reversal_of: record.id,
            reversal_kind: label,
            status: 'pending',
            reasons: [],
            from_payment_page: record.from_payment_page,
            amount_cents: receipt,
            // The surcharge goes back only with the rest of the payment.
            surcharge_cents: partial ? ZERO_CENTS : negateCents(cents(record.surcharge_cents, 'surcharge')),
            account: record.account,
            memo: '',
            processed_at: now,
            payer_name: record.payer_name,
            origin: record.origin,
            method: record.method,
            invoice_numbers: record.invoice_numbers,
            search_text: searchText({
              payerName: payment.payer_name,
              invoiceNumbers: payment.invoice_numbers,
              clientNumber: payment.client_number,
              matterNumber: payment.matter_number,
              allocations,
            }),
          });
          await replaceAllocations(tx, firmId, reversalRecordId, allocations);
          await writeAudit(tx, firmId, actor, [
            {
              action: 'reversal_created',
              recordId: reversalRecordId,
              to: 'pending',
              detail: { reversalOf: record.id, kind, label, amountCents: plan.amountCents },
            },
          ]);
          reversalId = reversalRecordId;
        }
      }
      // A record removed or lowered, or a reversal made: Manage Postings shows each.
      if (effect !== 'none') await publish(tx, firmId, ['postings.changed']);
    }
    const [reversal] = reversalId ? await loadRecordViews(tx, firmId, [reversalId]) : [];
    return { payment: await loadPaymentView(tx, firmId, paymentId), reversal: reversal ?? null };
  });
}

/**
 * A partial refund before the record is queued: its receipt is lowered and its lines give
 * up the amount from the last line back, and it is classified again with the records it
 * competes with (less is now taken from its invoices).
 */
async function lowerUnqueuedRecord(tx: Db, firmId: string, actor: Actor, id: string, amount: Cents, now: Date) {
  const before = (await loadAllocations(tx, firmId, [id])).get(id) ?? [];
  await lowerReceipt(tx, firmId, id, amount);
  const outcome = (
    await reconcileRecords(
      tx,
      firmId,
      actor,
      {
        invoices: before.flatMap((a) => (a.invoiceNumber ? [a.invoiceNumber] : [])),
        // A record with lines keeps them, lowered; one without is judged on the payer's terms at its new receipt.
        acted: [
          { id, action: 'edit', ...(before.length > 0 ? { reallocation: reducedAllocations(before, amount) } : {}) },
        ],
      },
      'partial refund',
      now,
    )
  ).get(id)!;
  await writeAudit(tx, firmId, actor, [
    {
      action: 'refunded_in_part',
      recordId: id,
      from: outcome.before.status,
      to: outcome.after.status,
      detail: {
        amountCents: amount,
        allocations: { before, after: outcome.after.allocations },
        reasons: outcome.after.reasons,
      },
    },
  ]);
}
