import { recordPostingDate } from '../domain/dates.ts';
import type { Allocation, Method, Origin, Reason } from '../domain/types.ts';
import type { Db } from './connect.ts';
import type { PostingRecordsTable } from './schema.ts';

/** A posting record as the API shows it in lists (SPEC §9) plus what the screens need. */
export interface PostingRecordView {
  id: string;
  paymentId: string;
  reversalOf: string | null;
  status: PostingRecordsTable['status'];
  reasons: Reason[];
  clientMismatchAccepted: boolean;
  fromPaymentPage: boolean;
  amountCents: number;
  surchargeCents: number;
  account: 'operating' | 'trust';
  method: Method;
  cardBrand: string | null;
  last4: string | null;
  origin: Origin;
  payerName: string;
  invoiceNumbers: string[];
  clientNumber: string | null;
  matterNumber: string | null;
  allocations: Allocation[];
  memo: string;
  removalNote: string | null;
  batchId: string | null;
  batchSeq: number | null;
  version: number;
  processedAt: string;
  statusChangedAt: string;
  updatedAt: string;
  /** YYYY-MM-DD in the firm's zone: the date its batch file gives it, or would give it if posted now. */
  postingDate: string;
  /** What the MMS did with the record's last delivery (SPEC §5.1); null until posted, or while a refused record waits to be fixed it is 'rejected'. */
  mmsStatus: 'awaiting' | 'applied' | 'rejected' | null;
  mmsMessage: string | null;
  /** Whether the agent that delivered the record's batch reports the MMS's answer; null outside a batch. Without one, delivered is as far as paybridge can tell. */
  batchAnswerExpected: boolean | null;
}

/**
 * The firm's posting records with the columns a view takes from them, for a caller to
 * narrow (filters, keyset, limit) before selectRecordViews joins the rest.
 */
export function selectRecords(db: Db, firmId: string) {
  return db
    .selectFrom('posting_records as r')
    .where('r.firm_id', '=', firmId)
    .select([
      'r.firm_id', 'r.id', 'r.payment_id', 'r.reversal_of', 'r.status', 'r.reasons', 'r.client_mismatch_accepted', 'r.mms_status', 'r.mms_message', 'r.from_payment_page', 'r.amount_cents',
      'r.surcharge_cents', 'r.account', 'r.method', 'r.origin', 'r.payer_name', 'r.invoice_numbers', 'r.memo',
      'r.removal_note', 'r.batch_id', 'r.version', 'r.processed_at', 'r.status_changed_at', 'r.updated_at',
    ]);
}

export type RecordsQuery = ReturnType<typeof selectRecords>;

/**
 * The columns a view needs, joined once per page rather than once per row. Given a page
 * of records (a query with its own ORDER BY and LIMIT), the payments and batches are
 * joined to that page only: with the joins inside the page's query, PostgreSQL costs a
 * 1,000-row export page as worth a parallel plan, whose workers take longer to start
 * than the page takes to read (30 ms against 5 ms on a 2-core server). The caller
 * orders the outer query the same way; the nested loop keeps that order without a sort.
 */
export function selectRecordViews(db: Db, firmId: string, records: RecordsQuery = selectRecords(db, firmId)) {
  return db
    .selectFrom(records.as('r'))
    .innerJoin('payments as p', (j) => j.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'))
    .leftJoin('batches as b', (j) => j.onRef('b.firm_id', '=', 'r.firm_id').onRef('b.id', '=', 'r.batch_id'))
    .innerJoin('firms as f', 'f.id', 'r.firm_id')
    .where('p.firm_id', '=', firmId)
    .select([
      'r.id', 'r.payment_id', 'r.reversal_of', 'r.status', 'r.reasons', 'r.client_mismatch_accepted', 'r.mms_status', 'r.mms_message', 'r.from_payment_page', 'r.amount_cents',
      'r.surcharge_cents', 'r.account', 'r.method', 'r.origin', 'r.payer_name', 'r.invoice_numbers', 'r.memo',
      'r.removal_note', 'r.batch_id', 'r.version', 'r.processed_at', 'r.status_changed_at', 'r.updated_at',
      'p.card_brand', 'p.last4', 'p.client_number', 'p.matter_number', 'b.seq as batch_seq', 'b.answer_expected as batch_answer_expected',
      'b.time_zone as batch_time_zone', 'b.posting_date as batch_posting_date', 'f.time_zone', 'f.use_posted_date',
    ]);
}

type RecordViewRow = Awaited<ReturnType<ReturnType<typeof selectRecordViews>['execute']>>[number];

export async function loadAllocations(db: Db, firmId: string, recordIds: string[]): Promise<Map<string, Allocation[]>> {
  const byRecord = new Map<string, Allocation[]>();
  if (recordIds.length === 0) return byRecord;
  const rows = await db
    .selectFrom('allocations')
    .select(['record_id', 'invoice_number', 'client_number', 'matter_number', 'amount_cents'])
    .where('firm_id', '=', firmId)
    .where('record_id', 'in', recordIds)
    .orderBy('record_id')
    .orderBy('line')
    .execute();
  for (const row of rows) {
    const list = byRecord.get(row.record_id) ?? [];
    list.push({ invoiceNumber: row.invoice_number, clientNumber: row.client_number, matterNumber: row.matter_number, amountCents: row.amount_cents });
    byRecord.set(row.record_id, list);
  }
  return byRecord;
}

export function toRecordView(row: RecordViewRow, allocations: Allocation[], now = new Date()): PostingRecordView {
  const batch = row.batch_time_zone === null ? null : { timeZone: row.batch_time_zone, postingDate: row.batch_posting_date };
  return {
    id: row.id,
    paymentId: row.payment_id,
    reversalOf: row.reversal_of,
    status: row.status,
    reasons: row.reasons,
    clientMismatchAccepted: row.client_mismatch_accepted,
    mmsStatus: row.mms_status,
    mmsMessage: row.mms_message,
    batchAnswerExpected: row.batch_answer_expected,
    fromPaymentPage: row.from_payment_page,
    amountCents: row.amount_cents,
    surchargeCents: row.surcharge_cents,
    account: row.account,
    method: row.method,
    cardBrand: row.card_brand,
    last4: row.last4,
    origin: row.origin,
    payerName: row.payer_name,
    invoiceNumbers: row.invoice_numbers,
    clientNumber: row.client_number,
    matterNumber: row.matter_number,
    allocations,
    memo: row.memo,
    removalNote: row.removal_note,
    batchId: row.batch_id,
    batchSeq: row.batch_seq,
    version: row.version,
    processedAt: row.processed_at.toISOString(),
    statusChangedAt: row.status_changed_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    postingDate: recordPostingDate(row.processed_at, batch, { timeZone: row.time_zone, usePostedDate: row.use_posted_date }, now),
  };
}

export async function withAllocations(db: Db, firmId: string, rows: RecordViewRow[]): Promise<PostingRecordView[]> {
  const allocations = await loadAllocations(db, firmId, rows.map((r) => r.id));
  return rows.map((row) => toRecordView(row, allocations.get(row.id) ?? []));
}

export async function loadRecordViews(db: Db, firmId: string, ids: string[]): Promise<PostingRecordView[]> {
  if (ids.length === 0) return [];
  const rows = await selectRecordViews(db, firmId, selectRecords(db, firmId).where('r.id', 'in', ids)).execute();
  return withAllocations(db, firmId, rows);
}

/** Replaces a record's allocations, numbering the lines from 1. */
export async function replaceAllocations(db: Db, firmId: string, recordId: string, allocations: Allocation[]): Promise<void> {
  await db.deleteFrom('allocations').where('firm_id', '=', firmId).where('record_id', '=', recordId).execute();
  if (allocations.length === 0) return;
  await db
    .insertInto('allocations')
    .values(
      allocations.map((a, i) => ({
        firm_id: firmId,
        record_id: recordId,
        line: i + 1,
        invoice_number: a.invoiceNumber,
        client_number: a.clientNumber,
        matter_number: a.matterNumber,
        amount_cents: a.amountCents,
      })),
    )
    .execute();
}

/** What list text search matches: payer, invoice numbers, client and matter, lower-cased. */
export function searchText(parts: { payerName: string; invoiceNumbers: readonly string[]; clientNumber: string | null; matterNumber: string | null; allocations: readonly Allocation[] }): string {
  const words = [
    parts.payerName,
    ...parts.invoiceNumbers,
    parts.clientNumber ?? '',
    parts.matterNumber ?? '',
    ...parts.allocations.flatMap((a) => [a.invoiceNumber ?? '', a.clientNumber ?? '', a.matterNumber ?? '']),
  ];
  return [...new Set(words.filter(Boolean))].join(' ').toLowerCase();
}
