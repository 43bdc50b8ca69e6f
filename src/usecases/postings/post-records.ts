import type { z } from 'zod';
import type { postedBatch } from '../../contract/postings.ts';
import { randomUUID } from 'node:crypto';
import { calendarDateIn, postingDateOf } from '../../domain/dates.ts';
import { exactSum, safeTotal } from '../../domain/money.ts';
import { renderBatchFile, type FileLine } from '../../domain/posting-file.ts';
import { transition } from '../../domain/state-machine.ts';
import type { Db } from '../../db/connect.ts';
import { insertBatch, insertBatchLines } from '../../db/batches.ts';
import { lockFirmForPosting, writeNextBatchSeq } from '../../db/firms.ts';
import { lockPendingLines, writeRecordStatuses } from '../../db/postings.ts';
import { inTransaction } from '../../db/transaction.ts';
import { BATCH_RECORDS_POSTED, writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Actor } from '../../domain/actor.ts';
import { lockRecords, refuseUnless } from './lock-records.ts';

export type PostTarget = { ids: string[] } | { all: true };

/** The batch a post made, as POST /postings/post answers it. */
export type BatchSummary = z.output<typeof postedBatch>;

/**
 * Post Selected or Post All: the records become one immutable batch and move to queued.
 *
 * The firm's row is locked first, so batches of one firm are made one at a time: that
 * keeps the sequence gap-free, and a second Post All arriving at the same moment finds
 * nothing left pending and makes no batch. Selected ids are all-or-nothing.
 */
export async function postRecords(
  db: Db,
  firmId: string,
  actor: Actor,
  target: PostTarget,
  now = new Date(),
): Promise<BatchSummary | null> {
  return inTransaction(db, async (tx) => {
    const firm = await lockFirmForPosting(tx, firmId);

    if ('ids' in target) {
      const records = await lockRecords(tx, firmId, target.ids);
      refuseUnless(records, 'post', 'post', 'only pending records can be posted');
    }

    // The records to batch, locked, in file order with their allocation lines. Locking them
    // before the batch exists lets the batch row be written first, so the claim below is
    // checked against it once, not once per record at commit.
    const rows = await lockPendingLines(tx, firmId, 'ids' in target ? target.ids : null);
    if (rows.length === 0) return null; // no empty batch is ever made
    // Dates are the firm's (SPEC §2): a 7:30 pm Pacific payment on 31 December is in the old year.
    const postedAt = firm.use_posted_date ? now : null;
    const lines: FileLine[] = [];
    // Each line's attempt: a record the MMS refused goes out again as its next attempt.
    const attempts: number[] = [];
    for (const row of rows) {
      if (row.line === null || row.amount_cents === null) {
        throw new DomainError(
          'record_without_allocations',
          'a pending record has no allocations; reallocate it before posting',
        );
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
    // holds exactly is refused here, naming the way out, rather than failing as an internal error.
    if (safeTotal(exactSum(lines.map((l) => l.amountCents))) === null) {
      throw new DomainError(
        'batch_total_too_large',
        `the ${recordCount} records sum to more than one batch can hold exactly; post fewer of them at once with Post Selected`,
      );
    }
    const seq = firm.next_batch_seq;
    const file = renderBatchFile(firm.file_format, firm.code, seq, lines);

    const batchId = randomUUID();
    await insertBatch(tx, firmId, {
      id: batchId,
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
    });
    await writeNextBatchSeq(tx, firmId, seq + 1);
    const moves = recordIds.map((id) => ({ id, transition: transition('pending', 'post')! }));
    await writeRecordStatuses(tx, firmId, { moves }, { batchId, mmsStatus: null, mmsMessage: null }, now);
    await insertBatchLines(
      tx,
      firmId,
      batchId,
      lines.map((l, i) => ({ recordId: l.recordId, line: l.line, amountCents: l.amountCents, attempt: attempts[i]! })),
    );
    await writeAudit(tx, firmId, actor, [
      { action: BATCH_RECORDS_POSTED, batchId, from: 'pending', to: 'queued', detail: { seq, records: recordCount } },
      {
        action: 'batch_created',
        batchId,
        detail: { seq, fileName: file.fileName, lineCount: file.lineCount, totalCents: file.totalCents, recordCount },
      },
    ]);
    await publish(tx, firmId, ['postings.changed', 'batches.changed']);
    return {
      id: batchId,
      seq,
      fileName: file.fileName,
      lineCount: file.lineCount,
      recordCount,
      totalCents: file.totalCents,
    };
  });
}
