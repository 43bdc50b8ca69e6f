import { canReverse, REVERSED_STATUS, type ReversalKind } from '../../domain/payment-reversal.ts';
import { reversalAllocations, reversalEffect } from '../../domain/reversal.ts';
import { transition } from '../../domain/state-machine.ts';
import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { inTransaction } from '../../db/transaction.ts';
import {
  loadAllocations,
  loadRecordViews,
  replaceAllocations,
  searchText,
  writeRecordStatuses,
} from '../../db/postings.ts';
import { findPayment, markPaymentReversed } from '../../db/payments.ts';
import { findOriginalRecord, insertReversalRecord } from '../../db/payment-records.ts';
import { notFound, invalidState } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Actor } from '../../domain/actor.ts';
import { loadPaymentView } from './payment-view.ts';
import { freeClaims } from '../postings/reconcile-records.ts';

/** The payment to reverse: the firm's, and still approved (a foreign or missing id answers not_found alike). */
export async function findReversiblePayment(db: Db, firmId: string, paymentId: string, forUpdate = false) {
  if (!isUuid(paymentId)) throw notFound('payment', paymentId);
  const payment = await findPayment(db, firmId, paymentId, forUpdate);
  if (!payment) throw notFound('payment', paymentId);
  if (!canReverse(payment.status)) {
    throw invalidState(`payment ${paymentId} is ${payment.status}; only an approved payment can be reversed`, {
      id: paymentId,
    });
  }
  return payment;
}

/**
 * SPEC §3.5: reversed before its record is queued, the record is removed; reversed
 * after, a negative record mirroring the original goes to pending for the MMS.
 */
export async function reversePayment(
  db: Db,
  firmId: string,
  actor: Actor,
  paymentId: string,
  kind: ReversalKind,
  now = new Date(),
) {
  return inTransaction(db, async (tx) => {
    const payment = await findReversiblePayment(tx, firmId, paymentId, true);
    await markPaymentReversed(tx, firmId, paymentId, REVERSED_STATUS[kind], now);
    await writeAudit(tx, firmId, actor, [{ action: `payment_${REVERSED_STATUS[kind]}`, detail: { paymentId } }]);

    const record = await findOriginalRecord(tx, firmId, paymentId, true);
    let reversalId: string | null = null;
    if (record) {
      const effect = reversalEffect(record.status);
      if (effect === 'remove') {
        const removal = transition(record.status, 'reverse_payment')!;
        await writeRecordStatuses(
          tx,
          firmId,
          { moves: [{ id: record.id, transition: removal }] },
          { reasons: ['payment_reversed'], removalNote: `payment ${REVERSED_STATUS[kind]}` },
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
      } else if (effect === 'create_reversal') {
        const original = (await loadAllocations(tx, firmId, [record.id])).get(record.id) ?? [];
        const allocations = reversalAllocations(original);
        const reversalRecordId = await insertReversalRecord(tx, firmId, {
          payment_id: paymentId,
          reversal_of: record.id,
          status: 'pending',
          reasons: [],
          from_payment_page: record.from_payment_page,
          amount_cents: -record.amount_cents,
          surcharge_cents: -record.surcharge_cents,
          account: record.account,
          memo: `Reversal (${kind}) of ${record.id}`,
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
            detail: { reversalOf: record.id, kind },
          },
        ]);
        reversalId = reversalRecordId;
      }
      // A record removed, or a reversal made: Manage Postings shows either.
      if (effect !== 'none') await publish(tx, firmId, ['postings.changed']);
    }
    const [reversal] = reversalId ? await loadRecordViews(tx, firmId, [reversalId]) : [];
    return { payment: await loadPaymentView(tx, firmId, paymentId), reversal: reversal ?? null };
  });
}
