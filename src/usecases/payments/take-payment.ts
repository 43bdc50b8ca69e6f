import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createsPostingRecord } from '../../domain/rules.ts';
import type { Account, Allocation, Method, Origin } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit, type AuditEntry } from '../../db/audit.ts';
import { loadRecordViews, searchText, toRecordView, type PostingRecordView } from '../../db/postings.ts';
import type { PostingRecordRow } from '../../db/schema.ts';
import { AppError, badRequest } from '../../errors.ts';
import type { Actor } from '../auth/principal.ts';
import { classifyInDb } from '../postings/classify-record.ts';
import { isUuid } from '../../ids.ts';
import { loadPaymentView, toPaymentView, type PaymentView } from './payment-view.ts';

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
    let pageCreatesRecord: boolean | null = null;
    if (input.paymentPageId) {
      const page = isUuid(input.paymentPageId)
        ? await tx.selectFrom('payment_pages').select(['create_posting_record', 'account']).where('firm_id', '=', firmId).where('id', '=', input.paymentPageId).executeTakeFirst()
        : undefined;
      // The page decides the deposit account; a payment claiming another would post to the wrong ledger.
      const refused = !page
        ? new AppError(404, 'not_found', `payment page ${input.paymentPageId} was not found`, { field: 'paymentPageId' })
        : page.account !== input.account
          ? badRequest(`account is ${input.account} but payment page ${input.paymentPageId} deposits to ${page.account}`, { field: 'account' })
          : null;
      if (refused) {
        // A repeat answers with what the first call made, whatever has changed since.
        const existing = await findByProcessorId(tx, firmId, input.processorId);
        if (existing) return existing;
        throw refused;
      }
      pageCreatesRecord = page!.create_posting_record;
    }
    const invoiceNumbers = (input.invoiceNumbers ?? []).map((n) => n.trim()).filter(Boolean);
    const payerName = input.payerName.trim();

    // Insert first: on the common path (a new payment) the idempotency lookup costs nothing.
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
        payer_name: payerName,
        payer_email: input.payerEmail ?? null,
        invoice_numbers: invoiceNumbers,
        client_number: input.clientNumber ?? null,
        matter_number: input.matterNumber ?? null,
        payer_allocations: input.allocations ? JSON.stringify(input.allocations) : null,
        origin: input.origin,
        payment_page_id: input.paymentPageId ?? null,
      })
      // A repeat, or a concurrent call with the same processorId that won the race.
      .onConflict((oc) => oc.columns(['firm_id', 'processor_id']).doNothing())
      .returningAll()
      .returning(sql<boolean>`(select auto_apply from firms where id = ${firmId})`.as('auto_apply'))
      .executeTakeFirst();
    if (!payment) {
      const existing = await findByProcessorId(tx, firmId, input.processorId);
      if (existing) return existing;
      throw new AppError(409, 'payment_conflict', `payment ${input.processorId} is being taken in by another request`);
    }
    const taken: AuditEntry = { action: 'payment_taken', detail: { paymentId: payment.id, processorId: input.processorId } };
    const paymentRow = { ...payment, record_id: null, record_status: null };

    if (!createsPostingRecord(input.origin, pageCreatesRecord)) {
      await writeAudit(tx, firmId, actor, [taken]);
      return { created: true, payment: toPaymentView(paymentRow), postingRecord: null };
    }
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
    const verdict = await classifyInDb(tx, firmId, payment.auto_apply, subject);
    const record = await insertRecord(tx, firmId, actor, {
      id: randomUUID(),
      payment_id: payment.id,
      status: verdict.status,
      reasons: verdict.reasons,
      from_payment_page: input.origin === 'payment_page',
      amount_cents: receiptCents,
      surcharge_cents: surcharge,
      account: input.account,
      processed_at: payment.processed_at,
      payer_name: payerName,
      origin: input.origin,
      method: input.method,
      invoice_numbers: invoiceNumbers,
      search_text: searchText({ ...subject, payerName: input.payerName, allocations: verdict.allocations }),
    }, verdict.allocations, [taken, { action: 'created', to: verdict.status, detail: { reasons: verdict.reasons, allocations: verdict.allocations } }]);
    const view = toRecordView(
      { ...record, card_brand: payment.card_brand, last4: payment.last4, client_number: payment.client_number, matter_number: payment.matter_number, batch_seq: null },
      verdict.allocations,
    );
    return { created: true, payment: toPaymentView({ ...paymentRow, record_id: record.id, record_status: record.status }), postingRecord: view };
  });
}

type NewRecord = Omit<PostingRecordRow, 'firm_id' | 'reversal_of' | 'memo' | 'removal_note' | 'batch_id' | 'version' | 'created_at' | 'updated_at' | 'status_changed_at'>;

/**
 * The record, its allocations and its audit events (the `created` one naming the record)
 * in one statement: intake is the busiest write, and each round trip to the database
 * costs the server more than the rows do.
 */
async function insertRecord(tx: Db, firmId: string, actor: Actor, record: NewRecord, allocations: Allocation[], audit: AuditEntry[]): Promise<PostingRecordRow> {
  const result = await sql<PostingRecordRow>`
    with r as (
      insert into posting_records (id, firm_id, payment_id, status, reasons, from_payment_page, amount_cents, surcharge_cents, account,
        processed_at, payer_name, origin, method, invoice_numbers, search_text)
      values (${record.id}, ${firmId}, ${record.payment_id}, ${record.status}, ${record.reasons}::text[], ${record.from_payment_page},
        ${record.amount_cents}, ${record.surcharge_cents}, ${record.account}, ${record.processed_at}, ${record.payer_name}, ${record.origin},
        ${record.method}, ${record.invoice_numbers}::text[], ${record.search_text})
      returning *
    ), a as (
      insert into allocations (firm_id, record_id, line, invoice_number, client_number, matter_number, amount_cents)
      select ${firmId}, ${record.id}, l.line, l.invoice_number, l.client_number, l.matter_number, l.amount_cents
      from unnest(${allocations.map((_, i) => i + 1)}::int[], ${allocations.map((a) => a.invoiceNumber)}::text[],
                  ${allocations.map((a) => a.clientNumber)}::text[], ${allocations.map((a) => a.matterNumber)}::text[],
                  ${allocations.map((a) => a.amountCents)}::int8[]) as l(line, invoice_number, client_number, matter_number, amount_cents)
    ), e as (
      insert into audit_events (firm_id, actor_kind, actor_id, actor_label, action, record_id, to_status, detail)
      select ${firmId}, ${actor.kind}, ${actor.id}, ${actor.label}, e.action, case when e.action = 'created' then ${record.id}::uuid end, e.to_status, e.detail::jsonb
      from unnest(${audit.map((e) => e.action)}::text[], ${audit.map((e) => e.to ?? null)}::text[], ${audit.map((e) => (e.detail === undefined ? null : JSON.stringify(e.detail)))}::text[])
        with ordinality as e(action, to_status, detail, n)
      order by e.n
    )
    select * from r`.execute(tx);
  return result.rows[0]!;
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
