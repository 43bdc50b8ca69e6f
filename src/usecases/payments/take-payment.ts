import { createsPostingRecord } from '../../domain/rules.ts';
import type { Account, Allocation, Method, Origin } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { inTransaction } from '../../db/transaction.ts';
import { loadRecordViews, replaceAllocations, searchText, type PostingRecordView } from '../../db/postings.ts';
import { AppError, badRequest } from '../../errors.ts';
import type { Actor } from '../auth/principal.ts';
import { classifyInDb } from '../postings/classify-record.ts';
import { isUuid } from '../../ids.ts';
import { loadPaymentView, type PaymentView } from './payment-view.ts';

export interface TakePaymentInput {
  processorId: string;
  origin: Origin;
  paymentPageId?: string | undefined;
  amountCents: number;
  surchargeCents?: number | undefined;
  method: Method;
  cardBrand?: string | undefined;
  last4?: string | undefined;
  account: Account;
  payerName: string;
  payerEmail?: string | undefined;
  invoiceNumbers?: string[] | undefined;
  allocations?: Allocation[] | undefined;
  clientNumber?: string | undefined;
  matterNumber?: string | undefined;
  processedAt: string;
}

export interface TakePaymentResult {
  created: boolean;
  payment: PaymentView;
  postingRecord: PostingRecordView | null;
}

/**
 * Takes in one payment and, where the posting rules say so, its posting record.
 * Idempotent on processorId: a repeat answers with what the first call made.
 */
export async function takePayment(db: Db, firmId: string, actor: Actor, input: TakePaymentInput): Promise<TakePaymentResult> {
  const surcharge = input.surchargeCents ?? 0;
  if (surcharge >= input.amountCents) throw badRequest('surchargeCents must be less than amountCents', { field: 'surchargeCents' });
  if ((input.origin === 'payment_page') !== Boolean(input.paymentPageId)) {
    throw badRequest('paymentPageId is required for origin payment_page and only for it', { field: 'paymentPageId' });
  }

  return inTransaction(db, async (tx) => {
    const existing = await findByProcessorId(tx, firmId, input.processorId);
    if (existing) return existing;

    const firm = await tx.selectFrom('firms').select(['auto_apply']).where('id', '=', firmId).executeTakeFirstOrThrow();
    let pageCreatesRecord: boolean | null = null;
    if (input.paymentPageId) {
      const page = isUuid(input.paymentPageId)
        ? await tx.selectFrom('payment_pages').select(['create_posting_record', 'account']).where('firm_id', '=', firmId).where('id', '=', input.paymentPageId).executeTakeFirst()
        : undefined;
      if (!page) throw new AppError(404, 'not_found', `payment page ${input.paymentPageId} was not found`, { field: 'paymentPageId' });
      // The page decides the deposit account; a payment claiming another would post to the wrong ledger.
      if (page.account !== input.account) {
        throw badRequest(`account is ${input.account} but payment page ${input.paymentPageId} deposits to ${page.account}`, { field: 'account' });
      }
      pageCreatesRecord = page.create_posting_record;
    }
    const invoiceNumbers = (input.invoiceNumbers ?? []).map((n) => n.trim()).filter(Boolean);

    const payment = await tx
      .insertInto('payments')
      .values({
        firm_id: firmId,
        processor_id: input.processorId,
        processed_at: input.processedAt,
        amount_cents: input.amountCents,
        surcharge_cents: surcharge,
        method: input.method,
        card_brand: input.cardBrand ?? null,
        last4: input.last4 ?? null,
        account: input.account,
        payer_name: input.payerName.trim(),
        payer_email: input.payerEmail ?? null,
        invoice_numbers: invoiceNumbers,
        client_number: input.clientNumber ?? null,
        matter_number: input.matterNumber ?? null,
        payer_allocations: input.allocations ? JSON.stringify(input.allocations) : null,
        origin: input.origin,
        payment_page_id: input.paymentPageId ?? null,
      })
      // A concurrent call with the same processorId may have won the race since the lookup.
      .onConflict((oc) => oc.columns(['firm_id', 'processor_id']).doNothing())
      .returning(['id'])
      .executeTakeFirst();
    if (!payment) {
      const raced = await findByProcessorId(tx, firmId, input.processorId);
      if (raced) return raced;
      throw new AppError(409, 'payment_conflict', `payment ${input.processorId} is being taken in by another request`);
    }
    await writeAudit(tx, firmId, actor, [{ action: 'payment_taken', detail: { paymentId: payment.id, processorId: input.processorId } }]);

    let recordId: string | null = null;
    if (createsPostingRecord(input.origin, pageCreatesRecord)) {
      const receiptCents = input.amountCents - surcharge;
      const subject = {
        recordId: null,
        account: input.account,
        receiptCents,
        invoiceNumbers,
        clientNumber: input.clientNumber ?? null,
        matterNumber: input.matterNumber ?? null,
        allocations: input.allocations ?? null,
      };
      const verdict = await classifyInDb(tx, firmId, firm.auto_apply, subject);
      const record = await tx
        .insertInto('posting_records')
        .values({
          firm_id: firmId,
          payment_id: payment.id,
          reversal_of: null,
          status: verdict.status,
          reasons: verdict.reasons,
          from_payment_page: input.origin === 'payment_page',
          amount_cents: receiptCents,
          surcharge_cents: surcharge,
          account: input.account,
          processed_at: input.processedAt,
          payer_name: input.payerName.trim(),
          origin: input.origin,
          method: input.method,
          invoice_numbers: invoiceNumbers,
          search_text: searchText({ ...subject, payerName: input.payerName, allocations: verdict.allocations }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await replaceAllocations(tx, firmId, record.id, verdict.allocations);
      await writeAudit(tx, firmId, actor, [
        { action: 'created', recordId: record.id, to: verdict.status, detail: { reasons: verdict.reasons, allocations: verdict.allocations } },
      ]);
      recordId = record.id;
    }
    const [record] = recordId ? await loadRecordViews(tx, firmId, [recordId]) : [];
    return { created: true, payment: await loadPaymentView(tx, firmId, payment.id), postingRecord: record ?? null };
  });
}

async function findByProcessorId(db: Db, firmId: string, processorId: string): Promise<TakePaymentResult | null> {
  const row = await db.selectFrom('payments').select('id').where('firm_id', '=', firmId).where('processor_id', '=', processorId).executeTakeFirst();
  if (!row) return null;
  const record = await db
    .selectFrom('posting_records')
    .select('id')
    .where('firm_id', '=', firmId)
    .where('payment_id', '=', row.id)
    .where('reversal_of', 'is', null)
    .executeTakeFirst();
  const [view] = record ? await loadRecordViews(db, firmId, [record.id]) : [];
  return { created: false, payment: await loadPaymentView(db, firmId, row.id), postingRecord: view ?? null };
}
