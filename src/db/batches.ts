import { sql, type Insertable } from 'kysely';
import type { BatchTransition } from '../domain/state-machine.ts';
import type { Db } from './connect.ts';
import type { Database } from './schema.ts';

/** A batch's columns as its views show them (everything but the file's bytes). */
export function selectBatches(db: Db, firmId: string) {
  return db
    .selectFrom('batches')
    .select([
      'id',
      'seq',
      'file_name',
      'file_format',
      'sha256',
      'line_count',
      'record_count',
      'total_cents',
      'status',
      'created_by',
      'created_at',
      'delivered_at',
      'answer_expected',
      'applied_lines',
      'rejected_lines',
      'quarantined_at',
      'quarantine_reason',
    ])
    .where('firm_id', '=', firmId);
}

export type BatchRow = Awaited<ReturnType<ReturnType<typeof selectBatches>['execute']>>[number];

/** Batch history, newest first, before a seq (or from the newest): up to `limit` rows. */
export async function readBatchPage(db: Db, firmId: string, before: number | null, limit: number): Promise<BatchRow[]> {
  return selectBatches(db, firmId)
    .$if(before !== null, (q) => q.where('seq', '<', before!))
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

/** The batches not yet delivered, oldest first. */
export async function readQueuedBatches(db: Db, firmId: string): Promise<BatchRow[]> {
  return selectBatches(db, firmId).where('status', '=', 'queued').orderBy('seq', 'asc').execute();
}

export async function readBatch(db: Db, firmId: string, id: string): Promise<BatchRow | undefined> {
  return selectBatches(db, firmId).where('id', '=', id).executeTakeFirst();
}

export async function readBatchFile(db: Db, firmId: string, id: string) {
  return db
    .selectFrom('batches')
    .select(['file_name', 'file_format', 'sha256', sql<Uint8Array>`content`.as('content')])
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Locks a batch for an acknowledgement or an MMS answer. */
export async function lockBatch(tx: Db, firmId: string, id: string) {
  return tx
    .selectFrom('batches')
    .select(['id', 'seq', 'file_name', 'sha256', 'status', 'delivered_at'])
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks a batch quarantined by the agent, unless it already is: whether this report was the first. */
export async function markQuarantined(tx: Db, firmId: string, id: string, reason: string, now: Date): Promise<boolean> {
  const marked = await tx
    .updateTable('batches')
    .set({ quarantined_at: now, quarantine_reason: reason })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .where('quarantined_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return marked !== undefined;
}

/** The oldest batch before `seq` not yet delivered, if any: batch N+1 waits until N is acknowledged. */
export async function findEarlierUndelivered(tx: Db, firmId: string, seq: number) {
  return tx
    .selectFrom('batches')
    .select(['id', 'seq'])
    .where('firm_id', '=', firmId)
    .where('status', '=', 'queued')
    .where('seq', '<', seq)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
}

export type NewBatch = Omit<
  Insertable<Database['batches']>,
  'firm_id' | 'status' | 'delivered_at' | 'answer_expected' | 'applied_lines' | 'rejected_lines'
>;

/** A new batch, queued (the status every batch is made with). */
export async function insertBatch(tx: Db, firmId: string, batch: NewBatch): Promise<void> {
  await tx
    .insertInto('batches')
    .values({ ...batch, firm_id: firmId })
    .execute();
}

/**
 * Every status write of a batch goes through here, with the state machine's decision: the
 * row changes only if it is still in the status decided from. Whether it changed.
 */
export async function writeBatchStatus(
  tx: Db,
  firmId: string,
  id: string,
  change: BatchTransition,
  columns: { deliveredAt: Date; answerExpected: boolean },
): Promise<boolean> {
  const result = await tx
    .updateTable('batches')
    .set({ status: change.to, delivered_at: columns.deliveredAt, answer_expected: columns.answerExpected })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .where('status', '=', change.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Adds lines the MMS answered for to a batch's counts. */
export async function addAnsweredLines(
  tx: Db,
  firmId: string,
  id: string,
  applied: number,
  rejected: number,
): Promise<void> {
  await tx
    .updateTable('batches')
    .set((eb) => ({
      applied_lines: eb('applied_lines', '+', applied),
      rejected_lines: eb('rejected_lines', '+', rejected),
    }))
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .execute();
}

/** The batch's file lines, in the file's order. */
export interface BatchLine {
  recordId: string;
  line: number;
  amountCents: number;
  attempt: number;
}

export async function insertBatchLines(
  tx: Db,
  firmId: string,
  batchId: string,
  lines: readonly BatchLine[],
): Promise<void> {
  // The same order as the file, so file_line is the line's place in the file.
  await sql`
    insert into batch_lines (firm_id, batch_id, record_id, line, file_line, amount_cents, attempt)
    select ${firmId}, ${batchId}, l.record_id, l.line, l.file_line, l.amount_cents, l.attempt
    from unnest(${lines.map((l) => l.recordId)}::uuid[], ${lines.map((l) => l.line)}::int[],
                ${lines.map((_, i) => i + 1)}::int[], ${lines.map((l) => l.amountCents)}::int8[], ${lines.map((l) => l.attempt)}::int[])
      as l(record_id, line, file_line, amount_cents, attempt)
  `.execute(tx);
}

/** How many of the batch's lines each of its records has: every record that went out in it. */
export async function linesPerRecord(tx: Db, firmId: string, batchId: string): Promise<Map<string, number>> {
  const rows = await tx
    .selectFrom('batch_lines')
    .select(['record_id', sql<number>`count(*)::int`.as('lines')])
    .where('firm_id', '=', firmId)
    .where('batch_id', '=', batchId)
    .groupBy('record_id')
    .execute();
  return new Map(rows.map((r) => [r.record_id, r.lines]));
}

/** The records the MMS refused in this batch. */
export async function refusedIn(tx: Db, firmId: string, batchId: string): Promise<Set<string>> {
  const rows = await tx
    .selectFrom('mms_rejections')
    .select('record_id')
    .where('firm_id', '=', firmId)
    .where('batch_id', '=', batchId)
    .execute();
  return new Set(rows.map((r) => r.record_id));
}

/** The MMS's refusals, kept for good. */
export async function insertRefusals(
  tx: Db,
  firmId: string,
  batchId: string,
  refusals: readonly { recordId: string; message: string }[],
  now: Date,
): Promise<void> {
  if (refusals.length === 0) return;
  await tx
    .insertInto('mms_rejections')
    .values(
      refusals.map((r) => ({ firm_id: firmId, record_id: r.recordId, batch_id: batchId, at: now, message: r.message })),
    )
    .execute();
}

/** How many batches wait for delivery, and since when the oldest. */
export async function readWaiting(db: Db, firmId: string): Promise<{ batches: number; oldest: Date | null }> {
  const waiting = await db
    .selectFrom('batches')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<Date | null>('created_at').as('oldest')])
    .where('firm_id', '=', firmId)
    .where('status', '=', 'queued')
    .executeTakeFirstOrThrow();
  return { batches: waiting.n, oldest: waiting.oldest === null ? null : new Date(waiting.oldest) };
}

/** Milliseconds from made to delivered of the latest `limit` deliveries, by seq (the order they are delivered in). */
export async function readDeliveryTimes(db: Db, firmId: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('batches')
    .select(sql<number>`(extract(epoch from (delivered_at - created_at)) * 1000)::int8`.as('ms'))
    .where('firm_id', '=', firmId)
    .where('status', '=', 'delivered')
    .where('delivered_at', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.ms);
}
