import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { paymentIn } from '../../contract/fields.ts';
import { ZERO_CENTS } from '../../domain/money.ts';
import { createsPostingRecord } from '../../domain/rules.ts';
import type { Db } from '../../db/connect.ts';
import type { AuditEntry } from '../../db/audit.ts';
import { findOriginalRecord } from '../../db/payment-records.ts';
import { findPageTerms } from '../../db/payment-pages.ts';
import { findPaymentByProcessorId, readIntakeFacts, toPaymentView, type PaymentView } from '../../db/payments.ts';
import {
  takePaymentCall,
  type AllocationArgument,
  type AuditArgument,
  type PaymentArgument,
  type RecordArgument,
} from '../../db/take-payment.ts';
import { attemptOf, inTransaction, retryableConflict } from '../../db/transaction.ts';
import { loadRecordViews, searchText, toRecordView, type PostingRecordView } from '../../db/postings.ts';
import { DomainError } from '../../domain/errors.ts';
import { intakeOf, pageRefusal } from '../../domain/intake.ts';
import type { Actor } from '../../domain/actor.ts';
import { invoicesOf } from '../../db/mirror.ts';
import { readTimeZone } from '../../db/firms.ts';
import { reconcileRecords } from '../postings/reconcile-records.ts';
import { claimsOf } from '../../domain/claims.ts';
import { matterKey } from '../../domain/classify.ts';
import { classifyAgainst, type Mirror } from '../../domain/reconcile.ts';
import { referencedInvoices, referencedMatters } from '../../domain/terms.ts';
import { isUuid } from '../../domain/ids.ts';
import { loadPaymentView } from './payment-view.ts';
import { chooseDepositAccount } from '../deposit-accounts/choose-deposit-account.ts';
import type { DepositAccountView } from '../../db/deposit-accounts.ts';
import type { Account } from '../../domain/types.ts';

/** A payment as POST /payments and the processor's payment.approved event carry it, parsed. */
export type TakePaymentInput = z.output<typeof paymentIn>;

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
 * misses (or a deadlock with a sync), in a transaction that locks the invoices before
 * reading them. Inside a caller's transaction, a miss goes up to the caller's boundary
 * instead (see below).
 */
export async function takePayment(
  db: Db,
  firmId: string,
  actor: Actor,
  input: TakePaymentInput,
): Promise<TakePaymentResult> {
  const { surchargeCents: surcharge, payerName, invoiceNumbers, terms } = intakeOf(input);

  let pageCreatesRecord: boolean | null = null;
  let depositAccountId = input.depositAccountId;
  if (input.paymentPageId) {
    const page = isUuid(input.paymentPageId) ? await findPageTerms(db, firmId, input.paymentPageId) : undefined;
    const refused = pageRefusal(
      { paymentPageId: input.paymentPageId, account: input.account, depositAccountId },
      page && {
        name: page.name,
        account: page.account,
        depositAccountId: page.deposit_account_id,
        depositAccountName: page.deposit_account_name,
      },
    );
    if (refused) {
      // A repeat answers with what the first call made, whatever has changed since.
      const existing = await findByProcessorId(db, firmId, input.processorId);
      if (existing) return existing;
      throw refused;
    }
    pageCreatesRecord = page!.create_posting_record;
    depositAccountId = page!.deposit_account_id;
  }
  const now = new Date();
  const paymentId = randomUUID();
  const paymentTo = (deposit: Deposit): PaymentArgument => ({
    id: paymentId,
    processor_id: input.processorId,
    processed_at: new Date(input.processedAt),
    amount_cents: input.amountCents,
    surcharge_cents: surcharge,
    method: input.method,
    card_brand: input.cardBrand ?? null,
    card_funding: input.cardFunding ?? null,
    last4: input.last4 ?? null,
    account: input.account,
    deposit_account_id: deposit.id,
    payer_name: payerName,
    payer_email: input.payerEmail ?? null,
    invoice_numbers: invoiceNumbers,
    client_number: input.clientNumber ?? null,
    matter_number: input.matterNumber ?? null,
    origin: input.origin,
    payment_page_id: input.paymentPageId ?? null,
    payer_allocations: input.allocations ?? null,
  });
  const write = { record: null, allocations: [], numbers: [], matters: [], fingerprint: '' };
  const taken: AuditEntry = {
    action: 'payment_taken',
    detail: { paymentId, processorId: input.processorId },
  };
  // Money already received is recorded where it went, archived account or not.
  const chooseDeposit = async () =>
    depositOf(await chooseDepositAccount(db, firmId, { account: input.account, depositAccountId }, false));

  if (!createsPostingRecord(input.origin, pageCreatesRecord)) {
    const deposit = await chooseDeposit();
    const payment = paymentTo(deposit);
    const outcome = await takePaymentCall(db, firmId, { ...write, payment, audit: auditRows(actor, [taken], null) });
    if (outcome === 'duplicate') return repeated(db, firmId, input.processorId);
    return {
      created: true,
      payment: newPaymentView(payment, deposit, null, await readTimeZone(db, firmId)),
      postingRecord: null,
    };
  }
  // A payment that names only its account's kind goes to the firm's default of that kind,
  // read with the invoices' facts in the same round trip (intake's busiest case).
  const defaultKind = depositAccountId === undefined ? input.account : null;
  const chosen = defaultKind === null ? await chooseDeposit() : null;

  const want = { numbers: referencedInvoices(terms), matters: referencedMatters(terms) };
  // In a caller's transaction a miss has aborted it, so it is not retried here: the error
  // goes up to the boundary that owns the transaction (inTransaction), which runs the
  // caller's whole unit again, and that run holds the locks from read to write.
  const nested = db.isTransaction;
  // A newcomer that would change other records is taken in holding the locks; it is told
  // so before anything is written, so even in a caller's transaction it goes on at once.
  let mustLock = false;
  for (let attempt = 1; ; attempt += 1) {
    const locked = mustLock || (nested ? attemptOf(db) > 1 : attempt > UNLOCKED_ATTEMPTS);
    try {
      return await (locked ? inTransaction(db, (tx) => classifyAndWrite(tx, true)) : classifyAndWrite(db, false));
    } catch (error) {
      if (error instanceof NeedsLock) {
        mustLock = true;
        continue;
      }
      if (retryableConflict(error) !== null && !locked && !nested) continue;
      throw error;
    }
  }

  async function classifyAndWrite(q: Db, lock: boolean): Promise<TakePaymentResult> {
    const facts = await intakeFacts(q, firmId, want, lock, defaultKind);
    const { mirror, incomplete, fingerprint, dating } = facts;
    const deposit = chosen ?? facts.deposit;
    if (!deposit) throw new Error(`firm ${firmId}: no deposit account was read for the payment`);
    const payment = paymentTo(deposit);
    const verdict = classifyAgainst(mirror, terms);
    // A newcomer that takes from an invoice can change the reasons of incomplete records
    // on it: then it is taken in with its invoices locked, and those records judged again.
    const claims = verdict.status === 'pending' ? [...claimsOf('pending', verdict.allocations).keys()] : [];
    if (!lock && claims.length > 0 && incomplete.length > 0) throw new NeedsLock();
    const record: RecordArgument = {
      id: randomUUID(),
      status: verdict.status,
      reasons: verdict.reasons,
      from_payment_page: input.origin === 'payment_page',
      amount_cents: terms.receiptCents,
      surcharge_cents: surcharge,
      account: input.account,
      // The account's default A/R message: nothing else gives a new record a memo.
      memo: deposit.defaultMemo,
      processed_at: payment.processed_at,
      payer_name: payerName,
      origin: input.origin,
      method: input.method,
      invoice_numbers: invoiceNumbers,
      refers_to: referencedInvoices({ ...terms, reallocation: verdict.allocations }),
      search_text: searchText({ ...terms, payerName: input.payerName, allocations: verdict.allocations }),
      created_at: now,
    };
    const audit = auditRows(
      actor,
      [
        taken,
        {
          action: 'created',
          to: verdict.status,
          detail: { reasons: verdict.reasons, allocations: verdict.allocations },
        },
      ],
      record.id,
    );
    const allocations = verdict.allocations.map((a, i): AllocationArgument => ({
      line: i + 1,
      invoice_number: a.invoiceNumber,
      client_number: a.clientNumber,
      matter_number: a.matterNumber,
      amount_cents: a.amountCents,
    }));
    const outcome = await takePaymentCall(q, firmId, {
      ...write,
      payment,
      record,
      allocations,
      audit,
      ...want,
      fingerprint,
    });
    if (outcome === 'duplicate') return repeated(q, firmId, input.processorId);
    if (lock && claims.length > 0 && incomplete.length > 0)
      await reconcileRecords(q, firmId, actor, { invoices: claims, claimsAddedOnly: true }, 'payment_taken', now);
    const view = toRecordView(
      {
        ...record,
        payment_id: payment.id,
        reversal_of: null,
        reversal_kind: null,
        replaces: null,
        correction_id: null,
        removal_note: null,
        batch_id: null,
        version: 1,
        updated_at: now,
        status_changed_at: now,
        client_mismatch_accepted: false,
        mms_status: null,
        mms_message: null,
        card_brand: payment.card_brand,
        last4: payment.last4,
        client_number: payment.client_number,
        matter_number: payment.matter_number,
        deposit_account_id: deposit.id,
        deposit_account_name: deposit.name,
        batch_seq: null,
        batch_answer_expected: null,
        batch_time_zone: null,
        batch_posting_date: null,
        ...dating,
      },
      verdict.allocations,
    );
    return { created: true, payment: newPaymentView(payment, deposit, record, dating.time_zone), postingRecord: view };
  }
}

/** The payment just written, as the API shows it, with the record it made (if it made one). */
function newPaymentView(
  payment: PaymentArgument,
  deposit: { name: string },
  record: Pick<RecordArgument, 'id' | 'status'> | null,
  timeZone: string,
): PaymentView {
  return toPaymentView({
    ...payment,
    deposit_account_name: deposit.name,
    status: 'approved',
    reversed_at: null,
    refunded_cents: ZERO_CENTS,
    time_zone: timeZone,
    record_id: record?.id ?? null,
    record_status: record?.status ?? null,
  });
}

/** The deposit account a payment goes to, as far as intake needs it. */
interface Deposit {
  id: string;
  name: string;
  defaultMemo: string;
}

function depositOf(account: DepositAccountView): Deposit {
  return { id: account.id, name: account.name, defaultMemo: account.defaultMemo };
}

/** The payment's record would change other records: take it in holding its invoices' locks. */
class NeedsLock extends Error {}

function auditRows(actor: Actor, entries: AuditEntry[], recordId: string | null): AuditArgument[] {
  return entries.map((e): AuditArgument => ({
    actor_kind: actor.kind,
    actor_id: actor.id,
    actor_label: actor.label,
    action: e.action,
    record_id: e.action === 'created' ? recordId : null,
    to_status: e.to ?? null,
    detail: e.detail ?? null,
  }));
}

/** What the payment is classified with, in one snapshot, and how the firm dates records. */
async function intakeFacts(
  db: Db,
  firmId: string,
  want: { numbers: string[]; matters: [string, string][] },
  lock: boolean,
  defaultDeposit: Account | null,
): Promise<{
  mirror: Mirror;
  incomplete: string[];
  fingerprint: string;
  dating: { time_zone: string; use_posted_date: boolean };
  deposit: Deposit | null;
}> {
  const read = await readIntakeFacts(db, firmId, want, lock, defaultDeposit);
  if (!read || read.facts.autoApply === null) throw new Error(`firm ${firmId} does not exist`);
  const { invoices, taken } = invoicesOf(read.facts.invoices);
  return {
    mirror: {
      invoices,
      matters: new Set(read.facts.matters.map(([c, m]) => matterKey(c, m))),
      takenByOthers: taken,
      autoApply: read.facts.autoApply,
    },
    incomplete: read.facts.incomplete,
    fingerprint: read.fingerprint,
    dating: { time_zone: read.time_zone, use_posted_date: read.use_posted_date },
    deposit: read.deposit && { id: read.deposit.id, name: read.deposit.name, defaultMemo: read.deposit.default_memo },
  };
}

async function repeated(db: Db, firmId: string, processorId: string): Promise<TakePaymentResult> {
  const existing = await findByProcessorId(db, firmId, processorId);
  if (existing) return existing;
  throw new DomainError('payment_conflict', `payment ${processorId} is being taken in by another request`);
}

async function findByProcessorId(db: Db, firmId: string, processorId: string): Promise<TakePaymentResult | null> {
  const row = await findPaymentByProcessorId(db, firmId, processorId);
  if (!row) return null;
  const record = await findOriginalRecord(db, firmId, row.id);
  const [view] = record ? await loadRecordViews(db, firmId, [record.id]) : [];
  return { created: false, payment: await loadPaymentView(db, firmId, row.id), postingRecord: view ?? null };
}
