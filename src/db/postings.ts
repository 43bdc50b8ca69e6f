import { cents } from '../domain/money.ts';
import type { z } from 'zod';
import type { postingRecord } from '../contract/records.ts';
import { sql, type RawBuilder } from 'kysely';
import type { PendingLine } from '../domain/batch-lines.ts';
import type { Verdict } from '../domain/classify.ts';
import { recordPostingDate } from '../domain/dates.ts';
import type { Transition } from '../domain/state-machine.ts';
import type { Allocation, Reason, RecordStatus } from '../domain/types.ts';
import type { StatusCount } from '../domain/view-counts.ts';
import { isUuid } from '../domain/ids.ts';
import { clientMatterKey, type DaySpan, type ListFilters } from '../domain/paging.ts';
import { searchMatch, searchPatterns } from './search.ts';
import type { Db } from './connect.ts';
import { allOf, filterConditions } from './paging.ts';

/** A posting record as the API shows it in lists (SPEC §9): the contract's shape. */
export type PostingRecordView = z.output<typeof postingRecord>;

/** The record's own columns a view shows: read by the page's query, then again from it by the joined one. */
const RECORD_COLUMNS = [
  'r.id',
  'r.payment_id',
  'r.reversal_of',
  'r.reversal_kind',
  'r.replaces',
  'r.correction_id',
  'r.status',
  'r.reasons',
  'r.client_mismatch_accepted',
  'r.mms_status',
  'r.mms_message',
  'r.from_payment_page',
  'r.amount_cents',
  'r.surcharge_cents',
  'r.account',
  'r.method',
  'r.origin',
  'r.payer_name',
  'r.invoice_numbers',
  'r.memo',
  'r.removal_note',
  'r.batch_id',
  'r.version',
  'r.processed_at',
  'r.status_changed_at',
  'r.updated_at',
] as const;

/**
 * The firm's posting records with the columns a view takes from them, for a caller to
 * narrow (filters, keyset, limit) before selectRecordViews joins the rest.
 */
export function selectRecords(db: Db, firmId: string) {
  return db
    .selectFrom('posting_records as r')
    .where('r.firm_id', '=', firmId)
    .select(['r.firm_id', ...RECORD_COLUMNS]);
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
    .innerJoin('deposit_accounts as d', (j) =>
      j.onRef('d.firm_id', '=', 'p.firm_id').onRef('d.id', '=', 'p.deposit_account_id'),
    )
    .leftJoin('batches as b', (j) => j.onRef('b.firm_id', '=', 'r.firm_id').onRef('b.id', '=', 'r.batch_id'))
    .innerJoin('firms as f', 'f.id', 'r.firm_id')
    .where('p.firm_id', '=', firmId)
    .select([
      ...RECORD_COLUMNS,
      'p.card_brand',
      'p.last4',
      'p.client_number',
      'p.matter_number',
      'p.deposit_account_id',
      'd.name as deposit_account_name',
      'b.seq as batch_seq',
      'b.answer_expected as batch_answer_expected',
      'b.time_zone as batch_time_zone',
      'b.posting_date as batch_posting_date',
      'f.time_zone',
      'f.use_posted_date',
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
    list.push({
      invoiceNumber: row.invoice_number,
      clientNumber: row.client_number,
      matterNumber: row.matter_number,
      amountCents: cents(row.amount_cents, 'allocation'),
    });
    byRecord.set(row.record_id, list);
  }
  return byRecord;
}

export function toRecordView(row: RecordViewRow, allocations: Allocation[], now = new Date()): PostingRecordView {
  const batch =
    row.batch_time_zone === null ? null : { timeZone: row.batch_time_zone, postingDate: row.batch_posting_date };
  return {
    id: row.id,
    paymentId: row.payment_id,
    reversalOf: row.reversal_of,
    reversalKind: row.reversal_kind,
    replaces: row.replaces,
    correctionId: row.correction_id,
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
    depositAccountId: row.deposit_account_id,
    depositAccountName: row.deposit_account_name,
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
    postingDate: recordPostingDate(
      row.processed_at,
      batch,
      { timeZone: row.time_zone, usePostedDate: row.use_posted_date },
      now,
    ),
  };
}

export async function withAllocations(db: Db, firmId: string, rows: RecordViewRow[]): Promise<PostingRecordView[]> {
  const allocations = await loadAllocations(
    db,
    firmId,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toRecordView(row, allocations.get(row.id) ?? []));
}

export async function loadRecordViews(db: Db, firmId: string, ids: string[]): Promise<PostingRecordView[]> {
  if (ids.length === 0) return [];
  const rows = await selectRecordViews(db, firmId, selectRecords(db, firmId).where('r.id', 'in', ids)).execute();
  return withAllocations(db, firmId, rows);
}

/** Replaces a record's allocations, numbering the lines from 1. */
export async function replaceAllocations(
  db: Db,
  firmId: string,
  recordId: string,
  allocations: Allocation[],
): Promise<void> {
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
export function searchText(parts: {
  payerName: string;
  invoiceNumbers: readonly string[];
  clientNumber: string | null;
  matterNumber: string | null;
  allocations: readonly Allocation[];
}): string {
  const words = [
    parts.payerName,
    ...parts.invoiceNumbers,
    parts.clientNumber ?? '',
    parts.matterNumber ?? '',
    ...parts.allocations.flatMap((a) => [a.invoiceNumber ?? '', a.clientNumber ?? '', a.matterNumber ?? '']),
  ];
  // Each client and matter as the table shows them together: a key searchKeyPatterns finds.
  const pairs = [
    [parts.clientNumber, parts.matterNumber],
    ...parts.allocations.map((a) => [a.clientNumber, a.matterNumber]),
  ].flatMap(([client, matter]) =>
    client && matter ? [clientMatterKey(client.toLowerCase(), matter.toLowerCase())] : [],
  );
  // The words never hold the keys' `#`, so the search box's text (searchWords, without it) finds them.
  const text = [...new Set(words.filter(Boolean))].join(' ').toLowerCase().replaceAll('#', '');
  return [text, ...new Set(pairs)].join(' ');
}

/** A record's status change, as the state machine decided it, with the columns that change with it on that row. */
export interface RecordMove {
  id: string;
  transition: Transition;
  /** The MMS's words when it refused the record. */
  mmsMessage?: string;
  /** A classification's verdict stored with the change (see saveVerdicts). */
  verdict?: VerdictColumns;
}

/** What a classification stores on a record besides its status. */
export interface VerdictColumns {
  reasons: readonly Reason[];
  searchText: string;
  refersTo: readonly string[];
  reallocated: boolean;
  clientMismatchAccepted: boolean;
  /** False clears the MMS's refusal (an accountant fixed it); true keeps it. */
  rejectedByMms: boolean;
}

/** Columns a status change sets on every row it changes. */
export interface StatusColumns {
  batchId?: string | null;
  mmsStatus?: 'awaiting' | 'applied' | 'rejected' | null;
  mmsMessage?: string | null;
  mmsAnsweredAt?: Date;
  removalNote?: string | null;
  reasons?: readonly Reason[];
  /** The MMS refused the record once more: its next batch is a new attempt. */
  countRefusal?: true;
}

/** Which records change: named ones, each with its own decision, or every record of a batch in the decision's `from` status. */
export type StatusTarget = { moves: readonly RecordMove[] } | { batchId: string; transition: Transition };

function columnSets(columns: StatusColumns): RawBuilder<unknown>[] {
  const sets: RawBuilder<unknown>[] = [];
  if (columns.batchId !== undefined) sets.push(sql`batch_id = ${columns.batchId}::uuid`);
  if (columns.mmsStatus !== undefined) sets.push(sql`mms_status = ${columns.mmsStatus}`);
  if (columns.mmsMessage !== undefined) sets.push(sql`mms_message = ${columns.mmsMessage}`);
  if (columns.mmsAnsweredAt !== undefined) sets.push(sql`mms_answered_at = ${columns.mmsAnsweredAt}`);
  if (columns.removalNote !== undefined) sets.push(sql`removal_note = ${columns.removalNote}`);
  if (columns.reasons !== undefined) sets.push(sql`reasons = ${[...columns.reasons]}::text[]`);
  if (columns.countRefusal === true) sets.push(sql`mms_refusals = r.mms_refusals + 1`);
  return sets;
}

/**
 * Every status write of a posting record goes through here, and only with the state
 * machine's decision (a Transition), so a change the machine forbids cannot be stored.
 * Each row changes only if it is still in the status the decision was taken from; named
 * records must all change (they are locked by then), or the transaction fails and
 * nothing is kept. Bumps each record's version; status_changed_at moves when the status
 * does. Returns how many records changed.
 */
export async function writeRecordStatuses(
  db: Db,
  firmId: string,
  target: StatusTarget,
  columns: StatusColumns,
  now: Date,
): Promise<number> {
  const sets = columnSets(columns);
  const extra = sets.length > 0 ? sql`, ${sql.join(sets, sql`, `)}` : sql``;
  if ('batchId' in target) {
    const { from, to } = target.transition;
    // The batch's records, by the batch index: as cheap as a bare UPDATE of those rows.
    const result = await sql`
      update posting_records r
      set status = ${to}, version = r.version + 1, updated_at = ${now}${from === to ? sql`` : sql`, status_changed_at = ${now}`}${extra}
      where r.firm_id = ${firmId} and r.batch_id = ${target.batchId} and r.status = ${from}`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  }
  const moves = target.moves;
  if (moves.length === 0) return 0;
  const verdicts = moves.map((m) => m.verdict);
  const withVerdicts = verdicts.every((v) => v !== undefined);
  if (!withVerdicts && verdicts.some((v) => v !== undefined))
    throw new Error('either every move carries a verdict or none does');
  const messages = moves.some((m) => m.mmsMessage !== undefined);
  const v = (pick: (verdict: VerdictColumns) => unknown) => (verdicts as VerdictColumns[]).map(pick);
  const result = await sql`
    update posting_records r
    set status = c.to_status, version = r.version + 1, updated_at = ${now},
        status_changed_at = case when c.to_status = c.from_status then r.status_changed_at else ${now}::timestamptz end${extra}
        ${messages ? sql`, mms_message = c.message` : sql``}
        ${
          withVerdicts
            ? sql`, reasons = string_to_array(c.reasons, ',')::text[], search_text = c.search, refers_to = array(select jsonb_array_elements_text(c.refers)),
                reallocated = c.reallocated, client_mismatch_accepted = c.accepted,
                mms_status = case when r.mms_status = 'rejected' and not c.rejected then null else r.mms_status end`
            : sql``
        }
    from unnest(${moves.map((m) => m.id)}::uuid[], ${moves.map((m) => m.transition.from)}::text[], ${moves.map((m) => m.transition.to)}::text[],
                ${moves.map((m) => m.mmsMessage ?? null)}::text[],
                ${withVerdicts ? v((x) => x.reasons.join(',')) : []}::text[], ${withVerdicts ? v((x) => x.searchText) : []}::text[],
                ${withVerdicts ? v((x) => JSON.stringify(x.refersTo)) : []}::jsonb[], ${withVerdicts ? v((x) => x.reallocated) : []}::boolean[],
                ${withVerdicts ? v((x) => x.clientMismatchAccepted) : []}::boolean[], ${withVerdicts ? v((x) => x.rejectedByMms) : []}::boolean[])
      as c(id, from_status, to_status, message, reasons, search, refers, reallocated, accepted, rejected)
    where r.firm_id = ${firmId} and r.id = c.id and r.status = c.from_status`.execute(db);
  const changed = Number(result.numAffectedRows ?? 0);
  if (changed !== moves.length) {
    throw new Error(
      `changed ${changed} of ${moves.length} posting records: a record was no longer in the status the state machine decided from`,
    );
  }
  return changed;
}

const CHUNK = 5000;

/** A verdict to store on a record, through the status change the machine allowed. */
export interface VerdictWrite {
  id: string;
  transition: Transition;
  verdict: Verdict;
  /** What the list search matches: the payment's fields with the verdict's lines. */
  search: { payerName: string; invoiceNumbers: string[]; clientNumber: string | null; matterNumber: string | null };
  refersTo: string[];
  reallocated: boolean;
  clientMismatchAccepted: boolean;
  /** False clears the MMS's refusal (an accountant fixed it); true keeps it. */
  rejectedByMms: boolean;
}

/**
 * Stores verdicts on records, bumping each one's version, in a fixed number of statements
 * however many records: the status, reasons, search text and choices in one update, the
 * lines replaced in bulk.
 */
export async function saveVerdicts(tx: Db, firmId: string, writes: readonly VerdictWrite[], now: Date): Promise<void> {
  if (writes.length === 0) return;
  for (const w of writes) {
    if (w.transition.to !== w.verdict.status)
      throw new Error(`record ${w.id}: the verdict is ${w.verdict.status}, the status change ${w.transition.to}`);
  }
  await writeRecordStatuses(
    tx,
    firmId,
    {
      moves: writes.map((w) => ({
        id: w.id,
        transition: w.transition,
        verdict: {
          reasons: w.verdict.reasons,
          searchText: searchText({ ...w.search, allocations: w.verdict.allocations }),
          refersTo: w.refersTo,
          reallocated: w.reallocated,
          clientMismatchAccepted: w.clientMismatchAccepted,
          rejectedByMms: w.rejectedByMms,
        },
      })),
    },
    {},
    now,
  );
  const ids = writes.map((w) => w.id);
  await tx
    .deleteFrom('allocations')
    .where('firm_id', '=', firmId)
    .where(sql<boolean>`record_id = any(${ids}::uuid[])`)
    .execute();
  const lines = writes.flatMap((w) =>
    w.verdict.allocations.map((a, i) => ({
      firm_id: firmId,
      record_id: w.id,
      line: i + 1,
      invoice_number: a.invoiceNumber,
      client_number: a.clientNumber,
      matter_number: a.matterNumber,
      amount_cents: a.amountCents,
    })),
  );
  for (let i = 0; i < lines.length; i += CHUNK)
    await tx
      .insertInto('allocations')
      .values(lines.slice(i, i + CHUNK))
      .execute();
}

export interface LockedRecord {
  id: string;
  status: RecordStatus;
  version: number;
  payment_id: string;
  reversal_of: string | null;
  correction_id: string | null;
  mms_refusals: number;
}

/** Locks the named records of this firm in id order (so two actions cannot deadlock); ids that are no uuid match nothing. */
export async function lockRecordRows(tx: Db, firmId: string, ids: readonly string[]): Promise<LockedRecord[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return tx
    .selectFrom('posting_records')
    .select(['id', 'status', 'version', 'payment_id', 'reversal_of', 'correction_id', 'mms_refusals'])
    .where('firm_id', '=', firmId)
    .where('id', 'in', valid)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Locks every pending record of the firm, and which they are: Post All takes its records'
 * locks by this statement alone, before it reads their lines (lockPendingLines). A locking
 * read that waits for a record being edited sees the record's new version when the edit
 * commits, but the lines it joined are those of its own snapshot, from before the edit;
 * once the locks are held, the read that follows sees every committed edit and no more
 * can come.
 */
export async function lockPendingIds(tx: Db, firmId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('posting_records')
    .select('id')
    .where('firm_id', '=', firmId)
    .where('status', '=', 'pending')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The pending records to batch (all, or those of `ids`), locked, in file order with their
 * allocation lines: one line per allocation, a record without allocations as one line of
 * none. Lock the records first (lockPendingIds, lockRecordRows): see lockPendingIds.
 */
export async function lockPendingLines(tx: Db, firmId: string, ids: readonly string[] | null): Promise<PendingLine[]> {
  const rows = await tx
    .selectFrom('posting_records as r')
    .leftJoin('allocations as a', (j) => j.onRef('a.firm_id', '=', 'r.firm_id').onRef('a.record_id', '=', 'r.id'))
    .innerJoin('payments as p', (j) => j.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'))
    .innerJoin('deposit_accounts as d', (j) =>
      j.onRef('d.firm_id', '=', 'p.firm_id').onRef('d.id', '=', 'p.deposit_account_id'),
    )
    .select([
      'r.id',
      'r.payment_id',
      'r.mms_refusals',
      'd.bank_account_code',
      'd.ledger_code',
      'd.trans_type',
      'a.line',
      'r.processed_at',
      'r.account',
      'a.invoice_number',
      'a.client_number',
      'a.matter_number',
      'a.amount_cents',
      'r.surcharge_cents',
      'r.method',
      'r.payer_name',
      'r.memo',
      'r.reversal_of',
      'r.reversal_kind',
      'r.replaces',
      'r.correction_id',
      'r.client_mismatch_accepted',
    ])
    .where('r.firm_id', '=', firmId)
    .where('r.status', '=', 'pending')
    // A join to the ids, not `= any(array)`, whose planning grows with the array (Post All's 100,000).
    .$if(ids !== null, (q) => q.where(sql<boolean>`r.id in (select unnest(${ids ?? []}::uuid[]))`))
    // Reversals first (a correction's before its replacement, made at the same moment): an MMS
    // that applies the file's lines in order has every balance they give back before a line
    // that may need it. Then in the order the payments came.
    .orderBy(sql`r.reversal_of is null`)
    .orderBy('r.processed_at')
    .orderBy('r.id')
    .orderBy('a.line')
    .forUpdate(['r'])
    .execute();
  return rows.map((row) => ({
    recordId: row.id,
    paymentId: row.payment_id,
    refusals: row.mms_refusals,
    line: row.line,
    processedAt: row.processed_at,
    account: row.account,
    invoiceNumber: row.invoice_number,
    clientNumber: row.client_number,
    matterNumber: row.matter_number,
    amountCents: row.amount_cents === null ? null : cents(row.amount_cents, 'line amount'),
    surchargeCents: cents(row.surcharge_cents, 'surcharge'),
    method: row.method,
    payer: row.payer_name,
    memo: row.memo,
    reversal:
      row.reversal_of !== null
        ? { kind: row.reversal_kind!, of: row.reversal_of }
        : row.replaces !== null
          ? { kind: 'correction', of: row.replaces }
          : null,
    correctionId: row.correction_id,
    thirdParty: row.client_mismatch_accepted,
    // As the account is now: the file is rendered once, so later changes never reach it.
    codes: { accountCode: row.bank_account_code, ledgerCode: row.ledger_code, transType: row.trans_type },
  }));
}

/** What an edit compares against: the record's status, memo and the accountant's earlier choices. */
export async function readEditable(tx: Db, firmId: string, id: string) {
  return tx
    .selectFrom('posting_records')
    .select(['status', 'memo', 'reallocated', 'client_mismatch_accepted', 'mms_status'])
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** The firm's posting records joined to their payments, both scoped to the firm. */
function recordsWithPayments(tx: Db, firmId: string) {
  return tx
    .selectFrom('posting_records as r')
    .innerJoin('payments as p', (j) => j.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'))
    .where('r.firm_id', '=', firmId)
    .where('p.firm_id', '=', firmId);
}

/** A reversal record with its payment's fields (what its search text is made of). */
export async function readReversal(tx: Db, firmId: string, id: string) {
  return recordsWithPayments(tx, firmId)
    .select([
      'r.status',
      'r.memo',
      'r.mms_status',
      'r.refers_to',
      'p.payer_name',
      'p.invoice_numbers',
      'p.client_number',
      'p.matter_number',
    ])
    .where('r.id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Records with their payment's status and fields, in id order. */
export async function readWithPayments(tx: Db, firmId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return recordsWithPayments(tx, firmId)
    .select([
      'r.id',
      'r.status',
      'r.reversal_of',
      'r.refers_to',
      'p.status as payment_status',
      'p.invoice_numbers',
      'p.client_number',
      'p.matter_number',
      'p.payer_name',
    ])
    .where('r.id', 'in', ids)
    .orderBy('r.id')
    .execute();
}

export async function writeMemo(tx: Db, firmId: string, id: string, memo: string): Promise<void> {
  await tx.updateTable('posting_records').set({ memo }).where('firm_id', '=', firmId).where('id', '=', id).execute();
}

export async function clearRemovalNotes(tx: Db, firmId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .updateTable('posting_records')
    .set({ removal_note: null })
    .where('firm_id', '=', firmId)
    .where('id', 'in', ids)
    .execute();
}

/** Records of this firm (any of `ids`) locked in id order, with what an MMS answer needs. */
export async function lockAnswerable(tx: Db, firmId: string, ids: readonly string[]) {
  return tx
    .selectFrom('posting_records')
    .select(['id', 'status', 'batch_id', 'mms_status'])
    .where('firm_id', '=', firmId)
    .where(sql<boolean>`id = any(${ids}::uuid[])`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The invoices the records' lines name. */
export async function invoicesOfRecords(tx: Db, firmId: string, ids: readonly string[]): Promise<string[]> {
  const rows = await tx
    .selectFrom('allocations')
    .select('invoice_number')
    .where('firm_id', '=', firmId)
    .where(sql<boolean>`record_id = any(${ids}::uuid[])`)
    .where('invoice_number', 'is not', null)
    .execute();
  return rows.map((r) => r.invoice_number!);
}

/** A record and its payment as classification reads them, with what ordering and saving need. */
export type ContenderRow = Awaited<ReturnType<typeof lockContenders>>[number];

/**
 * An incomplete record more claims on its invoices can still change: one not yet marked
 * exceeds_balance, or one whose lines an oldest-first spread may have to move (several
 * invoice numbers, no lines of its own). take_payment's fingerprint (intake_facts,
 * migration 0007) lists the same records.
 */
const CAN_GAIN_FROM_CLAIMS = sql.raw(
  "(not ('exceeds_balance' = any(r.reasons)) or (cardinality(r.invoice_numbers) > 1 and not r.reallocated))",
);

/** The records to judge, locked in id order: open records referring to the area, and those named. */
export async function lockContenders(
  tx: Db,
  firmId: string,
  area: string[],
  named: string[],
  mattersAdded: boolean,
  claimsAddedOnly: boolean,
) {
  return recordsWithPayments(tx, firmId)
    .select([
      'r.id',
      'r.status',
      'r.reasons',
      'r.status_changed_at',
      'r.processed_at',
      'r.account',
      'r.amount_cents',
      'r.reallocated',
      'r.client_mismatch_accepted',
      'r.mms_status',
      'r.replaces',
      'p.invoice_numbers',
      'p.client_number',
      'p.matter_number',
      'p.payer_allocations',
      'p.payer_name',
    ])
    .where('r.reversal_of', 'is', null)
    .where((eb) =>
      eb.or([
        claimsAddedOnly
          ? eb.and([
              eb('r.status', '=', 'incomplete'),
              sql<boolean>`r.refers_to && ${area}::text[]`,
              sql<boolean>`${CAN_GAIN_FROM_CLAIMS}`,
            ])
          : eb.and([eb('r.status', 'in', ['pending', 'incomplete']), sql<boolean>`r.refers_to && ${area}::text[]`]),
        sql<boolean>`r.id = any(${named}::uuid[])`,
        ...(mattersAdded ? [eb.and([eb('r.status', '=', 'incomplete'), eb('r.account', '=', 'trust')])] : []),
      ]),
    )
    .orderBy('r.id')
    .forUpdate(['r'])
    .execute();
}

/** Per status, the records matching a WHERE and their cents (exact), and of them those in trust, in one grouped query. */
export async function countByStatus(db: Db, firmId: string, where: RawBuilder<boolean>): Promise<StatusCount[]> {
  const rows = await db
    .selectFrom('posting_records as r')
    .where('r.firm_id', '=', firmId)
    .where(where)
    .select([
      'r.status',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<string | null>`sum(r.amount_cents)::text`.as('total'),
      sql<number>`count(*) filter (where r.account = 'trust')::int8`.as('trust_n'),
      sql<string | null>`sum(r.amount_cents) filter (where r.account = 'trust')::text`.as('trust_total'),
    ])
    .groupBy('r.status')
    .execute();
  return rows.map((r) => ({
    status: r.status,
    n: r.n,
    total: BigInt(r.total ?? 0),
    trust: { n: r.trust_n, total: BigInt(r.trust_total ?? 0) },
  }));
}

/**
 * A page of the All view searched, in date order (newest first, or oldest with `order`
 * asc), with no other filter: for selectRecordViews. Every record has its search row
 * (migrations 0004, 0031) holding its date (0034), so the page is chosen on the search
 * table alone, its matches sorted by date and cut at the cursor and the limit there, and
 * only the page's records are read: the same records in the same order as recordFilter's
 * EXISTS under ORDER BY date, id. That EXISTS read every match's record to sort them, on
 * every page: thousands for a search many records match ("0042" is in 2% of a big firm's
 * invoice and client numbers), the slowest list of issue 18. Null when `q` is no search.
 */
export function searchedAllRecords(
  db: Db,
  firmId: string,
  q: string | undefined,
  page: { after: { at: Date; id: string } | null; order: 'asc' | 'desc'; limit: number },
): RecordsQuery | null {
  const patterns = searchPatterns(q);
  if (patterns.length === 0) return null;
  const like = sql.join(
    patterns.map((p) => sql`s.search_text like ${p}`),
    sql` or `,
  );
  const direction = sql.raw(page.order);
  const past = page.after
    ? sql`and (s.processed_at, s.record_id) ${page.order === 'desc' ? sql`<` : sql`>`} (${page.after.at}, ${page.after.id}::uuid)`
    : sql``;
  // The matches are found first, through the trigram index, and only then sorted: left to
  // choose, the planner walked the date index for a rare search (a client/matter key: p95
  // 391 ms in the bench, against 24 ms for the old query) hoping to meet the page early.
  const matches = sql<{ record_id: string }>`(with found as materialized (
      select s.record_id, s.processed_at from posting_record_search s
      where s.firm_id = ${firmId} and (${like}) ${past})
    select f.record_id from found f
    order by f.processed_at ${direction}, f.record_id ${direction}
    limit ${page.limit})`;
  const query = selectRecords(db, firmId).where(sql<boolean>`r.id in (select m.record_id from ${matches} m)`);
  // selectRecordViews orders the page's records by date and id, as the matches were.
  return query;
}

/** The WHERE of a Manage Postings list of a firm: the same for its page, its count and its export. */
export function recordFilter(firmId: string, filters: ListFilters, days: DaySpan): RawBuilder<boolean> {
  const conditions = filterConditions('r', filters, days);
  const search = searchMatch('records', filters.q);
  if (search) conditions.push(search);
  return allOf(conditions);
}

/** The reversals of a record, oldest first: the other direction of each one's reversalOf. */
export async function readReversals(db: Db, firmId: string, recordId: string) {
  const rows = await db
    .selectFrom('posting_records')
    .select(['id', 'reversal_kind', 'amount_cents', 'status'])
    .where('firm_id', '=', firmId)
    .where('reversal_of', '=', recordId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    reversalKind: row.reversal_kind!,
    amountCents: cents(row.amount_cents, 'reversal'),
    status: row.status,
  }));
}

/**
 * The other half of each named record that is half of a correction: named id → partner id.
 * A record's correction never changes once it is made, so this needs no lock; the caller
 * locks both and reads their statuses then.
 */
export async function readCorrectionPartners(
  db: Db,
  firmId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return new Map();
  const rows = await withCorrectionPartners(db, firmId, valid).select(['r.id', 'o.id as partner']).execute();
  return new Map(rows.map((row) => [row.id, row.partner]));
}

/** The named records (`r`) joined to the other half of their correction (`o`): records outside one drop out. */
function withCorrectionPartners(db: Db, firmId: string, ids: readonly string[]) {
  return db
    .selectFrom('posting_records as r')
    .innerJoin('posting_records as o', (j) =>
      j
        .onRef('o.firm_id', '=', 'r.firm_id')
        .onRef('o.correction_id', '=', 'r.correction_id')
        .onRef('o.id', '<>', 'r.id'),
    )
    .where('r.firm_id', '=', firmId)
    .where('o.firm_id', '=', firmId)
    .where(sql<boolean>`r.id = any(${ids}::uuid[])`);
}

/**
 * Per correction's replacement among `ids`, the lines of its reversal while that has not
 * gone out yet (what the pair gives back to each invoice as it reaches the MMS).
 */
export async function readPendingReversalLines(
  db: Db,
  firmId: string,
  ids: readonly string[],
): Promise<Map<string, Allocation[]>> {
  if (ids.length === 0) return new Map();
  const rows = await withCorrectionPartners(db, firmId, ids)
    .select(['r.id', 'o.id as reversal'])
    .where('r.replaces', 'is not', null)
    .where('o.status', 'not in', ['queued', 'posted'])
    .execute();
  const lines = await loadAllocations(
    db,
    firmId,
    rows.map((row) => row.reversal),
  );
  return new Map(rows.map((row) => [row.id, lines.get(row.reversal) ?? []]));
}

/** What deciding a correction of a record reads: the record, its batch's answer setting and its payment's status. */
export async function readCorrectable(tx: Db, firmId: string, id: string) {
  return recordsWithPayments(tx, firmId)
    .leftJoin('batches as b', (j) => j.onRef('b.firm_id', '=', 'r.firm_id').onRef('b.id', '=', 'r.batch_id'))
    .selectAll('r')
    .select([
      'b.answer_expected as batch_answer_expected',
      'p.status as payment_status',
      'p.client_number as payment_client_number',
      'p.matter_number as payment_matter_number',
    ])
    .where('r.id', '=', id)
    .executeTakeFirstOrThrow();
}

/**
 * The corrections a record takes part in: the ones made of it (each a reversal and a
 * replacement) and the one it is half of, oldest first.
 */
export async function readCorrections(db: Db, firmId: string, record: { id: string; correctionId: string | null }) {
  const rows = await db
    .selectFrom('posting_records')
    .select(['id', 'correction_id', 'reversal_of', 'replaces', 'status', 'created_at'])
    .where('firm_id', '=', firmId)
    .where('correction_id', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('reversal_of', '=', record.id),
        eb('replaces', '=', record.id),
        ...(record.correctionId === null ? [] : [eb('correction_id', '=', record.correctionId)]),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows;
}

/** What names records in words (payer, amount, day in the firm's zone, invoices), for refusals. */
export async function readRecordFacts(tx: Db, firmId: string, ids: readonly string[]) {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return tx
    .selectFrom('posting_records as r')
    .innerJoin('firms as f', 'f.id', 'r.firm_id')
    .select(['r.id', 'r.payer_name', 'r.amount_cents', 'r.processed_at', 'r.invoice_numbers', 'f.time_zone'])
    .where('r.firm_id', '=', firmId)
    .where('r.id', 'in', valid)
    .execute();
}
