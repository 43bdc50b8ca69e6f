import { sql } from 'kysely';
import { cents, type Cents } from '../domain/money.ts';
import type { z } from 'zod';
import type { paymentListQuery, paymentOut } from '../contract/payments.ts';
import type { InvoiceFactRow } from './mirror.ts';
import type { Db } from './connect.ts';
import type { Account } from '../domain/types.ts';
import { allOf, filterConditions, orderBySort, readAfter } from './paging.ts';
import { listSort, type DaySpan } from '../domain/paging.ts';
import { searchMatch } from './search.ts';
import { settlementDate, voidProblem } from '../domain/payment-reversal.ts';

/** A payment as the API shows it (SPEC §9). */
export type PaymentView = z.infer<typeof paymentOut>;

/** The firm's payments with their original posting record's id and status, for a caller to narrow. */
export function selectPaymentViews(db: Db, firmId: string) {
  return db
    .selectFrom('payments as p')
    .innerJoin('firms as f', 'f.id', 'p.firm_id')
    .innerJoin('deposit_accounts as d', (j) =>
      j.onRef('d.firm_id', '=', 'p.firm_id').onRef('d.id', '=', 'p.deposit_account_id'),
    )
    .leftJoin('posting_records as r', (j) =>
      j
        .onRef('r.firm_id', '=', 'p.firm_id')
        .onRef('r.payment_id', '=', 'p.id')
        .on('r.reversal_of', 'is', null)
        .on('r.replaces', 'is', null),
    )
    .where('p.firm_id', '=', firmId)
    .select([
      'p.id',
      'p.processor_id',
      'p.processed_at',
      'p.amount_cents',
      'p.surcharge_cents',
      'p.method',
      'p.card_brand',
      'p.card_funding',
      'p.last4',
      'p.account',
      'p.deposit_account_id',
      'd.name as deposit_account_name',
      'p.payer_name',
      'p.payer_email',
      'p.invoice_numbers',
      'p.client_number',
      'p.matter_number',
      'p.origin',
      'p.payment_page_id',
      'p.status',
      'p.reversed_at',
      'p.refunded_cents',
      'f.time_zone',
      'r.id as record_id',
      'r.status as record_status',
    ]);
}

export type PaymentViewRow = Awaited<ReturnType<ReturnType<typeof selectPaymentViews>['execute']>>[number];

/** The payment as the API shows it; whether it can still be voided is as of `now`. */
export function toPaymentView(row: PaymentViewRow, now = new Date()): PaymentView {
  return {
    id: row.id,
    processorId: row.processor_id,
    processedAt: row.processed_at.toISOString(),
    amountCents: row.amount_cents,
    surchargeCents: row.surcharge_cents,
    method: row.method,
    cardBrand: row.card_brand,
    cardFunding: row.card_funding,
    last4: row.last4,
    account: row.account,
    depositAccountId: row.deposit_account_id,
    depositAccountName: row.deposit_account_name,
    payerName: row.payer_name,
    payerEmail: row.payer_email,
    invoiceNumbers: row.invoice_numbers,
    clientNumber: row.client_number,
    matterNumber: row.matter_number,
    origin: row.origin,
    paymentPageId: row.payment_page_id,
    status: row.status,
    reversedAt: row.reversed_at ? row.reversed_at.toISOString() : null,
    refundedCents: row.refunded_cents,
    settlesOn: settlementDate(row.processed_at, row.time_zone),
    voidable:
      voidProblem(
        { status: row.status, refundedCents: row.refunded_cents, processedAt: row.processed_at },
        now,
        row.time_zone,
      ) === null,
    postingRecordId: row.record_id,
    postingStatus: row.record_status,
  };
}

export async function findPaymentView(db: Db, firmId: string, paymentId: string): Promise<PaymentView | null> {
  const row = await selectPaymentViews(db, firmId).where('p.id', '=', paymentId).executeTakeFirst();
  return row ? toPaymentView(row) : null;
}

/** The Payment Manager's filters, cursor, page size and order, as the contract parses them. */
export type PaymentListQuery = z.output<typeof paymentListQuery>;

/** One keyset page of the Payment Manager, limit + 1 rows so the caller can tell whether another follows. */
export async function listPaymentRows(
  db: Db,
  firmId: string,
  query: PaymentListQuery,
  days: DaySpan,
): Promise<PaymentViewRow[]> {
  let q = selectPaymentViews(db, firmId).where(allOf(filterConditions('p', query, days)));
  const search = searchMatch('payments', query.q);
  if (search) q = q.where(search);
  if (query.status) q = q.where('p.status', '=', query.status);
  const sort = listSort(query.sort);
  return readAfter('p', query.cursor, sort, query.limit, (after, n) =>
    (after ? q.where(after) : q).orderBy(orderBySort('p', sort)).limit(n).execute(),
  );
}

/** The payment's processor id and status; `lock` holds it until the transaction ends. */
export async function findPayment(db: Db, firmId: string, paymentId: string, lock = false) {
  const q = db
    .selectFrom('payments')
    .select([
      'id',
      'processor_id',
      'status',
      'payer_name',
      'invoice_numbers',
      'client_number',
      'matter_number',
      'amount_cents',
      'surcharge_cents',
      'refunded_cents',
      'method',
      'processed_at',
    ])
    .where('firm_id', '=', firmId)
    .where('id', '=', paymentId);
  const row = await (lock ? q.forUpdate() : q).executeTakeFirst();
  return (
    row && {
      ...row,
      amount_cents: cents(row.amount_cents, 'payment'),
      surcharge_cents: cents(row.surcharge_cents, 'surcharge'),
      refunded_cents: cents(row.refunded_cents, 'refunded'),
    }
  );
}

/** The firm's payment with this processor id (payments are idempotent on it); `lock` holds it. */
export async function findPaymentByProcessorId(db: Db, firmId: string, processorId: string, lock = false) {
  const q = db
    .selectFrom('payments')
    .select(['id', 'status'])
    .where('firm_id', '=', firmId)
    .where('processor_id', '=', processorId);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function markPaymentReversed(
  db: Db,
  firmId: string,
  paymentId: string,
  status: 'voided' | 'refunded' | 'charged_back',
  now: Date,
): Promise<void> {
  await db
    .updateTable('payments')
    .set((eb) => ({
      status,
      reversed_at: now,
      // A refund returns all that was left; a void or chargeback is not a refund.
      refunded_cents: status === 'refunded' ? eb.ref('amount_cents') : eb.ref('refunded_cents'),
    }))
    .where('firm_id', '=', firmId)
    .where('id', '=', paymentId)
    .execute();
}

export interface IntakeFacts {
  /** The firm's setting; null when the firm does not exist. */
  autoApply: boolean | null;
  invoices: InvoiceFactRow[];
  matters: [string, string][];
  incomplete: string[];
}

/** Where a payment goes when it names no deposit account: the firm's default of its kind. */
export interface DefaultDeposit {
  id: string;
  name: string;
  default_memo: string;
}

/**
 * What a payment is classified with (intake_facts, migration 0007) and its fingerprint, in
 * one snapshot, with how the firm dates records and, given an account kind, the firm's
 * default deposit account of that kind; null when the firm does not exist. With `lock`,
 * the mirror and the invoices are locked first, as take_payment locks them: the read is a
 * later statement of the same transaction, so it sees what the last holder of a lock
 * committed.
 *
 * intake_facts runs once: `offset 0` keeps the planner from pulling the subquery up and
 * calling the function again for the fingerprint (it did, so a payment read its invoices'
 * facts three times instead of two, take_payment's check included).
 */
export async function readIntakeFacts(
  db: Db,
  firmId: string,
  want: { numbers: string[]; matters: [string, string][] },
  lock: boolean,
  defaultDeposit: Account | null,
) {
  const clients = want.matters.map((m) => m[0]);
  const matters = want.matters.map((m) => m[1]);
  if (lock)
    await sql`select lock_mirror(${firmId}, false), lock_invoices(${firmId}, ${want.numbers}::text[])`.execute(db);
  const row = await sql<{
    facts: IntakeFacts | null;
    fingerprint: string;
    time_zone: string;
    use_posted_date: boolean;
    deposit_id: string | null;
    deposit_name: string | null;
    deposit_memo: string | null;
  }>`
    select facts, md5(facts::text) as fingerprint, f.time_zone, f.use_posted_date,
      d.id as deposit_id, d.name as deposit_name, d.default_memo as deposit_memo
    from (select intake_facts(${firmId}, ${want.numbers}::text[], ${clients}::text[], ${matters}::text[]) as facts offset 0) x
    join firms f on f.id = ${firmId}
    left join deposit_accounts d on d.firm_id = f.id and d.kind = ${defaultDeposit} and d.is_default`.execute(db);
  const first = row.rows[0];
  if (!first?.facts) return null;
  const { deposit_id: id, deposit_name: name, deposit_memo: memo, ...rest } = first;
  if (defaultDeposit !== null && (id === null || name === null || memo === null))
    throw new Error(`firm ${firmId} has no default ${defaultDeposit} deposit account`);
  const deposit: DefaultDeposit | null = id !== null ? { id, name: name!, default_memo: memo! } : null;
  return { ...rest, facts: first.facts, deposit };
}

/** A refund of part of the payment: it stays approved, with more of it refunded. */
export async function addPartialRefund(db: Db, firmId: string, paymentId: string, amountCents: Cents): Promise<void> {
  await db
    .updateTable('payments')
    .set((eb) => ({ refunded_cents: eb('refunded_cents', '+', amountCents) }))
    .where('firm_id', '=', firmId)
    .where('id', '=', paymentId)
    .execute();
}

/**
 * Records a refund under the processor's id for it. Callers look the id up first
 * (refundKnown) under the payment's lock, so a second insert of one refund is a bug: it
 * fails, and its transaction with it, rather than being passed over.
 */
export async function insertRefund(
  db: Db,
  firmId: string,
  refund: { refundId: string; paymentId: string; amountCents: Cents; at: Date },
): Promise<void> {
  await db
    .insertInto('payment_refunds')
    .values({
      firm_id: firmId,
      refund_id: refund.refundId,
      payment_id: refund.paymentId,
      amount_cents: refund.amountCents,
      created_at: refund.at,
    })
    .execute();
}

export async function refundKnown(db: Db, firmId: string, refundId: string): Promise<boolean> {
  const row = await db
    .selectFrom('payment_refunds')
    .select('refund_id')
    .where('firm_id', '=', firmId)
    .where('refund_id', '=', refundId)
    .executeTakeFirst();
  return row !== undefined;
}
