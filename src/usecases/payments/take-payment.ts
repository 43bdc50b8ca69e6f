import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createsPostingRecord } from '../../domain/rules.ts';
import type { Account, Allocation, Method, Origin } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import type { AuditEntry } from '../../db/audit.ts';
import { inTransaction } from '../../db/transaction.ts';
import { loadRecordViews, searchText, toRecordView, type PostingRecordView } from '../../db/postings.ts';
import { AppError, badRequest } from '../../errors.ts';
import type { Actor } from '../auth/principal.ts';
import { classifyWith, invoiceStateOf, referencedInvoices, type InvoiceFactRow, type InvoiceState } from '../postings/classify-record.ts';
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
 * How many times a payment is classified without holding its invoices' locks; when another
 * payment changes them between the read and the write that often, the next attempt holds
 * the locks from read to write, so a payment is never starved.
 */
export const UNLOCKED_ATTEMPTS = 3;

/**
 * Takes in one payment and, where the posting rules say so, its posting record.
 * Idempotent on processorId: a repeat answers with what the first call made.
 *
 * The busiest write of the product, in two round trips: the invoices' facts and their
 * fingerprint are read, the payment is classified here, and the database function
 * take_payment (migration 0006) writes the payment, record, allocations and audit events
 * in one statement, after locking the invoices and checking that the fingerprint has not
 * changed. When it has (another payment on the same invoice got in between), nothing was
 * written and the payment is classified again against the new state; after a few such
 * misses, in a transaction that locks the invoices before reading them.
 */
export async function takePayment(db: Db, firmId: string, actor: Actor, input: TakePaymentInput): Promise<TakePaymentResult> {
  const surcharge = input.surchargeCents ?? 0;
  if (surcharge >= input.amountCents) throw badRequest('surchargeCents must be less than amountCents', { field: 'surchargeCents' });
  if ((input.origin === 'payment_page') !== Boolean(input.paymentPageId)) {
    throw badRequest('paymentPageId is required for origin payment_page and only for it', { field: 'paymentPageId' });
  }

  let pageCreatesRecord: boolean | null = null;
  if (input.paymentPageId) {
    const page = isUuid(input.paymentPageId)
      ? await db.selectFrom('payment_pages').select(['create_posting_record', 'account']).where('firm_id', '=', firmId).where('id', '=', input.paymentPageId).executeTakeFirst()
      : undefined;
    // The page decides the deposit account; a payment claiming another would post to the wrong ledger.
    const refused = !page
      ? new AppError(404, 'not_found', `payment page ${input.paymentPageId} was not found`, { field: 'paymentPageId' })
      : page.account !== input.account
        ? badRequest(`account is ${input.account} but payment page ${input.paymentPageId} deposits to ${page.account}`, { field: 'account' })
        : null;
    if (refused) {
      // A repeat answers with what the first call made, whatever has changed since.
      const existing = await findByProcessorId(db, firmId, input.processorId);
      if (existing) return existing;
      throw refused;
    }
    pageCreatesRecord = page!.create_posting_record;
  }
  const invoiceNumbers = (input.invoiceNumbers ?? []).map((n) => n.trim()).filter(Boolean);
  const payerName = input.payerName.trim();
  const now = new Date();
  const payment: Omit<PaymentRow, 'record_id' | 'record_status'> = {
    id: randomUUID(),
    processor_id: input.processorId,
    processed_at: new Date(input.processedAt),
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
    origin: input.origin,
    payment_page_id: input.paymentPageId ?? null,
    status: 'approved',
    reversed_at: null,
  };
  const write = { payment: { ...payment, payer_allocations: input.allocations ?? null }, record: null, allocations: [], numbers: [], fingerprint: '' };
  const taken: AuditEntry = { action: 'payment_taken', detail: { paymentId: payment.id, processorId: input.processorId } };

  if (!createsPostingRecord(input.origin, pageCreatesRecord)) {
    const outcome = await writePayment(db, firmId, { ...write, audit: auditRows(actor, [taken], null) });
    if (outcome === 'duplicate') return repeated(db, firmId, input.processorId);
    return { created: true, payment: toPaymentView({ ...payment, record_id: null, record_status: null }), postingRecord: null };
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
  const numbers = referencedInvoices(subject);
  for (let attempt = 1; ; attempt += 1) {
    const locked = attempt > UNLOCKED_ATTEMPTS;
    try {
      return await (locked ? inTransaction(db, (tx) => classifyAndWrite(tx, true)) : classifyAndWrite(db, false));
    } catch (error) {
      if (isStale(error) && !locked) continue;
      throw error;
    }
  }

  async function classifyAndWrite(q: Db, lock: boolean): Promise<TakePaymentResult> {
    const { autoApply, state, fingerprint, dating } = await readInvoiceFacts(q, firmId, numbers, lock);
    const verdict = classifyWith(state, subject, autoApply);
    const record = {
      id: randomUUID(),
      payment_id: payment.id,
      reversal_of: null,
      status: verdict.status,
      reasons: verdict.reasons,
      from_payment_page: input.origin === 'payment_page',
      amount_cents: receiptCents,
      surcharge_cents: surcharge,
      account: input.account,
      memo: '',
      removal_note: null,
      batch_id: null,
      version: 1,
      processed_at: payment.processed_at,
      payer_name: payerName,
      origin: input.origin,
      method: input.method,
      invoice_numbers: invoiceNumbers,
      search_text: searchText({ ...subject, payerName: input.payerName, allocations: verdict.allocations }),
      created_at: now,
      updated_at: now,
      status_changed_at: now,
    };
    const audit = auditRows(actor, [taken, { action: 'created', to: verdict.status, detail: { reasons: verdict.reasons, allocations: verdict.allocations } }], record.id);
    const allocations = verdict.allocations.map((a, i) => ({ line: i + 1, invoice_number: a.invoiceNumber, client_number: a.clientNumber, matter_number: a.matterNumber, amount_cents: a.amountCents }));
    const outcome = await writePayment(q, firmId, { ...write, record, allocations, audit, numbers, fingerprint });
    if (outcome === 'duplicate') return repeated(q, firmId, input.processorId);
    const view = toRecordView(
      { ...record, card_brand: payment.card_brand, last4: payment.last4, client_number: payment.client_number, matter_number: payment.matter_number, batch_seq: null, batch_time_zone: null, batch_posting_date: null, ...dating },
      verdict.allocations,
    );
    return { created: true, payment: toPaymentView({ ...payment, record_id: record.id, record_status: record.status }), postingRecord: view };
  }
}

type PaymentRow = Parameters<typeof toPaymentView>[0];

interface PaymentWrite {
  payment: object;
  record: object | null;
  allocations: object[];
  audit: object[];
  numbers: string[];
  fingerprint: string;
}

function auditRows(actor: Actor, entries: AuditEntry[], recordId: string | null) {
  return entries.map((e) => ({
    actor_kind: actor.kind,
    actor_id: actor.id,
    actor_label: actor.label,
    action: e.action,
    record_id: e.action === 'created' ? recordId : null,
    to_status: e.to ?? null,
    detail: e.detail ?? null,
  }));
}

/** One call of take_payment (migration 0006): everything the payment writes, or nothing. */
async function writePayment(db: Db, firmId: string, w: PaymentWrite): Promise<'taken' | 'duplicate'> {
  const result = await sql<{ outcome: 'taken' | 'duplicate' }>`
    select take_payment(${firmId}, ${JSON.stringify(w.payment)}::jsonb, ${w.record ? JSON.stringify(w.record) : null}::jsonb,
      ${JSON.stringify(w.allocations)}::jsonb, ${JSON.stringify(w.audit)}::jsonb, ${w.numbers}::text[], ${w.fingerprint}) as outcome`.execute(db);
  return result.rows[0]!.outcome;
}

/** take_payment found the invoices changed since they were read (SQLSTATE PB001). */
const isStale = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'PB001';

/** The firm's auto-apply setting, the invoices' facts and their fingerprint, in one snapshot; and how the firm dates records. */
async function readInvoiceFacts(
  db: Db,
  firmId: string,
  numbers: string[],
  lock: boolean,
): Promise<{ autoApply: boolean; state: InvoiceState; fingerprint: string; dating: { time_zone: string; use_posted_date: boolean } }> {
  // Locked in number order, as take_payment locks them; the read that follows is a later
  // statement of the same transaction, so it sees what the last holder of a lock committed.
  if (lock && numbers.length > 0) await sql`select lock_invoices(${firmId}, ${numbers}::text[])`.execute(db);
  const row = await sql<{ auto_apply: boolean; facts: InvoiceFactRow[]; fingerprint: string; time_zone: string; use_posted_date: boolean }>`
    select auto_apply, facts, md5(facts::text) as fingerprint, time_zone, use_posted_date
    from (select f.auto_apply, f.time_zone, f.use_posted_date, invoice_facts_json(f.id, ${numbers}::text[]) as facts from firms f where f.id = ${firmId}) x`.execute(db);
  const first = row.rows[0];
  if (!first) throw new Error(`firm ${firmId} does not exist`);
  const dating = { time_zone: first.time_zone, use_posted_date: first.use_posted_date };
  return { autoApply: first.auto_apply, state: invoiceStateOf(first.facts), fingerprint: first.fingerprint, dating };
}

async function repeated(db: Db, firmId: string, processorId: string): Promise<TakePaymentResult> {
  const existing = await findByProcessorId(db, firmId, processorId);
  if (existing) return existing;
  throw new AppError(409, 'payment_conflict', `payment ${processorId} is being taken in by another request`);
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
