import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { calendarDateIn, postingDateOf } from '../../domain/dates.ts';
import { exactSum, safeTotal } from '../../domain/money.ts';
import { renderBatchFile, type FileLine } from '../../domain/posting-file.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { BATCH_RECORDS_POSTED, writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../auth/principal.ts';
import { lockRecords, refuseUnless } from './lock-records.ts';

export type PostTarget = { ids: string[] } | { all: true };

export interface BatchSummary {
  id: string;
  seq: number;
  fileName: string;
  lineCount: number;
  recordCount: number;
  totalCents: number;
}

/**
 * Post Selected or Post All: the records become one immutable batch and move to queued.
 *
 * The firm's row is locked first, so batches of one firm are made one at a time: that
 * keeps the sequence gap-free, and a second Post All arriving at the same moment finds
 * nothing left pending and makes no batch. Selected ids are all-or-nothing.
 */
export async function postRecords(db: Db, firmId: string, actor: Actor, target: PostTarget, now = new Date()): Promise<BatchSummary | null> {
  return inTransaction(db, async (tx) => {
    const firm = await tx
      .selectFrom('firms')
      .select(['code', 'file_format', 'use_posted_date', 'time_zone', 'next_batch_seq'])
      .where('id', '=', firmId)
      .forUpdate()
      .executeTakeFirstOrThrow();

    if ('ids' in target) {
      const records = await lockRecords(tx, firmId, target.ids);
      refuseUnless(records, (r) => r.status === 'pending', 'post', 'only pending records can be posted');
    }

    // The records to batch, locked, in file order with their allocation lines. Locking them
    // before the batch exists lets the batch row be written first, so the claim below is
    // checked against it once, not once per record at commit.
    const rows = await tx
      .selectFrom('posting_records as r')
      .leftJoin('allocations as a', (j) => j.onRef('a.firm_id', '=', 'r.firm_id').onRef('a.record_id', '=', 'r.id'))
      .select([
        'r.id', 'r.payment_id', 'r.mms_refusals', 'a.line', 'r.processed_at', 'r.account', 'a.invoice_number', 'a.client_number',
        'a.matter_number', 'a.amount_cents', 'r.surcharge_cents', 'r.method', 'r.payer_name', 'r.memo',
      ])
      .where('r.firm_id', '=', firmId)
      .where('r.status', '=', 'pending')
      .$if('ids' in target, (q) => q.where(sql<boolean>`r.id = any(${'ids' in target ? target.ids : []}::uuid[])`))
      .orderBy('r.processed_at')
      .orderBy('r.id')
      .orderBy('a.line')
      .forUpdate(['r'])
      .execute();
    if (rows.length === 0) return null; // no empty batch is ever made
    // Dates are the firm's (SPEC §2): a 7:30 pm Pacific payment on 31 December is in the old year.
    const postedAt = firm.use_posted_date ? now : null;
    const lines: FileLine[] = [];
    // Each line's attempt: a record the MMS refused goes out again as its next attempt.
    const attempts: number[] = [];
    for (const row of rows) {
      if (row.line === null || row.amount_cents === null) {
        throw new AppError(409, 'record_without_allocations', 'a pending record has no allocations; reallocate it before posting');
      }
      attempts.push(row.mms_refusals);
      lines.push({
        recordId: row.id,
        paymentId: row.payment_id,
        line: row.line,
        postingDate: postingDateOf(row.processed_at, postedAt, firm.time_zone),
        account: row.account,
        invoiceNumber: row.invoice_number,
        clientNumber: row.client_number,
        matterNumber: row.matter_number,
        amountCents: row.amount_cents,
        surchargeCents: row.surcharge_cents,
        method: row.method === 'echeck' ? 'echeck' : 'card',
        payer: row.payer_name,
        memo: row.memo,
      });
    }
    const recordIds = [...new Set(lines.map((l) => l.recordId))];
    const recordCount = recordIds.length;
    // A batch's total is one number in the file's trailer and the API: more than a number
    // holds exactly is refused here, naming the way out, rather than failing as a 500.
    if (safeTotal(exactSum(lines.map((l) => l.amountCents))) === null) {
      throw new AppError(422, 'batch_total_too_large', `the ${recordCount} records sum to more than one batch can hold exactly; post fewer of them at once with Post Selected`);
    }
    const seq = firm.next_batch_seq;
    const file = renderBatchFile(firm.file_format, firm.code, seq, lines);

    const batchId = randomUUID();
    await tx
      .insertInto('batches')
      .values({
        id: batchId,
        firm_id: firmId,
        seq,
        file_name: file.fileName,
        file_format: firm.file_format,
        content: file.content,
        sha256: file.sha256,
        line_count: file.lineCount,
        total_cents: file.totalCents,
        record_count: recordCount,
        created_by: actor.label,
        created_at: now,
        time_zone: firm.time_zone,
        posting_date: postedAt && calendarDateIn(postedAt, firm.time_zone),
      })
      .execute();
    await tx.updateTable('firms').set({ next_batch_seq: seq + 1 }).where('id', '=', firmId).execute();
    const claimed = await sql`
      update posting_records r
      set status = 'queued', batch_id = ${batchId}, mms_status = null, mms_message = null, version = r.version + 1, updated_at = ${now}, status_changed_at = ${now}
      from unnest(${recordIds}::uuid[]) as c(id)
      where r.firm_id = ${firmId} and r.id = c.id and r.status = 'pending'
    `.execute(tx);
    if (Number(claimed.numAffectedRows) !== recordCount) {
      throw new Error(`claimed ${claimed.numAffectedRows} of the ${recordCount} locked pending records`);
    }
    // The same order as the file, so file_line is the line's place in the file.
    await sql`
      insert into batch_lines (firm_id, batch_id, record_id, line, file_line, amount_cents, attempt)
      select ${firmId}, ${batchId}, l.record_id, l.line, l.file_line, l.amount_cents, l.attempt
      from unnest(${lines.map((l) => l.recordId)}::uuid[], ${lines.map((l) => l.line)}::int[],
                  ${lines.map((_, i) => i + 1)}::int[], ${lines.map((l) => l.amountCents)}::int8[], ${attempts}::int[])
        as l(record_id, line, file_line, amount_cents, attempt)
    `.execute(tx);
    await writeAudit(tx, firmId, actor, [
      { action: BATCH_RECORDS_POSTED, batchId, from: 'pending', to: 'queued', detail: { seq, records: recordCount } },
      { action: 'batch_created', batchId, detail: { seq, fileName: file.fileName, lineCount: file.lineCount, totalCents: file.totalCents, recordCount } },
    ]);
    await publish(tx, firmId, ['postings.changed', 'batches.changed']);
    return { id: batchId, seq, fileName: file.fileName, lineCount: file.lineCount, recordCount, totalCents: file.totalCents };
  });
}
