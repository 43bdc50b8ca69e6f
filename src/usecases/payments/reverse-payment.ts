import { reversalAllocations, reversalEffect } from '../../domain/reversal.ts';
import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { inTransaction } from '../../db/transaction.ts';
import { loadAllocations, loadRecordViews, replaceAllocations, searchText } from '../../db/postings.ts';
import { notFound, invalidState } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Actor } from '../../domain/actor.ts';
import { loadPaymentView } from './payment-view.ts';
import { freeClaims } from '../postings/reconcile-records.ts';

export type ReversalKind = 'void' | 'refund' | 'chargeback';
const STATUS_OF = { void: 'voided', refund: 'refunded', chargeback: 'charged_back' } as const;

/**
 * SPEC §3.5: reversed before its record is queued, the record is removed; reversed
 * after, a negative record mirroring the original goes to pending for the MMS.
 */
export async function reversePayment(db: Db, firmId: string, actor: Actor, paymentId: string, kind: ReversalKind, now = new Date()) {
  if (!isUuid(paymentId)) throw notFound('payment', paymentId);
  return inTransaction(db, async (tx) => {
    const payment = await tx
      .selectFrom('payments')
      .select(['id', 'status', 'payer_name', 'invoice_numbers', 'client_number', 'matter_number'])
      .where('firm_id', '=', firmId)
      .where('id', '=', paymentId)
      .forUpdate()
      .executeTakeFirst();
    if (!payment) throw notFound('payment', paymentId);
    if (payment.status !== 'approved') {
      throw invalidState(`payment ${paymentId} is ${payment.status}; only an approved payment can be reversed`, { id: paymentId });
    }
    await tx.updateTable('payments').set({ status: STATUS_OF[kind], reversed_at: now }).where('firm_id', '=', firmId).where('id', '=', paymentId).execute();
    await writeAudit(tx, firmId, actor, [{ action: `payment_${STATUS_OF[kind]}`, detail: { paymentId } }]);

    const record = await tx
      .selectFrom('posting_records')
      .selectAll()
      .where('firm_id', '=', firmId)
      .where('payment_id', '=', paymentId)
      .where('reversal_of', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    let reversalId: string | null = null;
    if (record) {
      const effect = reversalEffect(record.status);
      if (effect === 'remove') {
        await tx
          .updateTable('posting_records')
          .set((eb) => ({
            status: 'removed',
            reasons: ['payment_reversed'],
            removal_note: `payment ${STATUS_OF[kind]}`,
            version: eb('version', '+', 1),
            updated_at: now,
            status_changed_at: now,
          }))
          .where('firm_id', '=', firmId)
          .where('id', '=', record.id)
          .execute();
        await writeAudit(tx, firmId, actor, [{ action: 'removed', recordId: record.id, from: record.status, to: 'removed', detail: { reason: 'payment_reversed', kind } }]);
        if (record.status === 'pending') await freeClaims(tx, firmId, actor, [record.id], 'payment reversed', now);
      } else if (effect === 'create_reversal') {
        const original = (await loadAllocations(tx, firmId, [record.id])).get(record.id) ?? [];
        const allocations = reversalAllocations(original);
        const reversal = await tx
          .insertInto('posting_records')
          .values({
            firm_id: firmId,
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
            search_text: searchText({ payerName: payment.payer_name, invoiceNumbers: payment.invoice_numbers, clientNumber: payment.client_number, matterNumber: payment.matter_number, allocations }),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await replaceAllocations(tx, firmId, reversal.id, allocations);
        await writeAudit(tx, firmId, actor, [{ action: 'reversal_created', recordId: reversal.id, to: 'pending', detail: { reversalOf: record.id, kind } }]);
        reversalId = reversal.id;
      }
      // A record removed, or a reversal made: Manage Postings shows either.
      if (effect !== 'none') await publish(tx, firmId, ['postings.changed']);
    }
    const [reversal] = reversalId ? await loadRecordViews(tx, firmId, [reversalId]) : [];
    return { payment: await loadPaymentView(tx, firmId, paymentId), reversal: reversal ?? null };
  });
}
