import { sql, type Selectable } from 'kysely';
import type { Db } from './connect.ts';
import { notifyExpression } from './notify.ts';
import type { AllocationsTable, AuditEventsTable, PaymentsTable, PostingRecordsTable } from './schema.ts';

/**
 * The columns the database function take_payment (latest in sql/migrations) reads from
 * each JSON argument, through jsonb_populate_record(set): a key it does not read would be
 * dropped without a word, so the argument types below are built from these lists, and
 * test/db/take-payment.test.ts holds each list equal to what the function's source reads.
 */
export const TAKE_PAYMENT_COLUMNS = {
  payment: [
    'id',
    'processor_id',
    'processed_at',
    'amount_cents',
    'surcharge_cents',
    'method',
    'card_brand',
    'card_funding',
    'last4',
    'account',
    'deposit_account_id',
    'payer_name',
    'payer_email',
    'invoice_numbers',
    'client_number',
    'matter_number',
    'payer_allocations',
    'origin',
    'payment_page_id',
  ],
  record: [
    'id',
    'status',
    'reasons',
    'from_payment_page',
    'amount_cents',
    'surcharge_cents',
    'account',
    'memo',
    'processed_at',
    'payer_name',
    'origin',
    'method',
    'invoice_numbers',
    'refers_to',
    'search_text',
    'created_at',
  ],
  allocations: ['line', 'invoice_number', 'client_number', 'matter_number', 'amount_cents'],
  audit: ['actor_kind', 'actor_id', 'actor_label', 'action', 'record_id', 'to_status', 'detail'],
} as const satisfies {
  payment: readonly (keyof PaymentsTable)[];
  record: readonly (keyof PostingRecordsTable)[];
  allocations: readonly (keyof AllocationsTable)[];
  audit: readonly (keyof AuditEventsTable)[];
};

type Columns = typeof TAKE_PAYMENT_COLUMNS;

/** Each value as the column holds it (the JSON of a Date is its ISO text), every key present: a missing one would be written as null. */
export type PaymentArgument = Pick<Selectable<PaymentsTable>, Columns['payment'][number]>;
/** The record's created_at is its updated_at and status_changed_at too. */
export type RecordArgument = Pick<Selectable<PostingRecordsTable>, Columns['record'][number]>;
/** One line of the record (its record_id is the record's id). */
export type AllocationArgument = Pick<Selectable<AllocationsTable>, Columns['allocations'][number]>;
/** One audit event, written in this order. */
export type AuditArgument = Pick<Selectable<AuditEventsTable>, Columns['audit'][number]>;

/** Everything one payment's intake writes, and what the record was classified against. */
export interface TakePaymentCall {
  payment: PaymentArgument;
  /** null: the payment makes no posting record (then allocations is empty too). */
  record: RecordArgument | null;
  allocations: AllocationArgument[];
  audit: AuditArgument[];
  /** The invoices the record names, locked before the fingerprint is compared. */
  numbers: string[];
  /** The client and matter pairs the record names. */
  matters: [string, string][];
  /** md5 of intake_facts as the record was classified: a change since refuses the write (PB001). */
  fingerprint: string;
}

/**
 * One call of take_payment: everything the payment writes, or nothing. 'duplicate': the
 * firm already has a payment with this processor id, and nothing was written.
 */
export async function takePaymentCall(db: Db, firmId: string, call: TakePaymentCall): Promise<'taken' | 'duplicate'> {
  // A new posting record is news for Manage Postings. The NOTIFY is in the same statement as
  // take_payment, so it is part of its transaction even where no explicit one is open (a
  // subquery with a volatile function is run once, never folded into the outer query).
  const news = call.record
    ? sql`, case when t.outcome = 'taken' then ${notifyExpression(firmId, 'postings.changed')} end as news`
    : sql``;
  const result = await sql<{ outcome: 'taken' | 'duplicate' }>`
    select t.outcome${news} from (select take_payment(${firmId}, ${JSON.stringify(call.payment)}::jsonb, ${call.record ? JSON.stringify(call.record) : null}::jsonb,
      ${JSON.stringify(call.allocations)}::jsonb, ${JSON.stringify(call.audit)}::jsonb, ${call.numbers}::text[],
      ${call.matters.map((m) => m[0])}::text[], ${call.matters.map((m) => m[1])}::text[], ${call.fingerprint}) as outcome) t`.execute(
    db,
  );
  return result.rows[0]!.outcome;
}
