import type { z } from 'zod';
import type { postedBatch } from '../../contract/postings.ts';
import { randomUUID } from 'node:crypto';
import { batchLines } from '../../domain/batch-lines.ts';
import { calendarDateIn } from '../../domain/dates.ts';
import { renderBatchFile } from '../../domain/posting-file.ts';
import { transition } from '../../domain/state-machine.ts';
import { fileFormatVersion } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { insertBatch, insertBatchLines } from '../../db/batches.ts';
import { lockFirmForPosting, writeNextBatchSeq } from '../../db/firms.ts';
import { lockPendingIds, lockPendingLines, writeRecordStatuses } from '../../db/postings.ts';
import { recordsInWords, refuseUnless } from './refusal.ts';
import { inTransaction } from '../../db/transaction.ts';
import { queueWebhookEvent } from '../../db/webhook-endpoints.ts';
import { BATCH_RECORDS_POSTED, writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import type { Actor } from '../../domain/actor.ts';
import { lockWithPartners, withPartners, type LockedRecord } from './lock-records.ts';
import { wholePairs } from '../../domain/corrections.ts';
import { invalidState } from '../../domain/errors.ts';

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

    let ids: string[];
    if ('ids' in target) {
      // A correction's half brings its partner (SPEC §3.7), which must be pending too.
      const locked = await lockWithPartners(tx, firmId, target.ids);
      await refuseUnless(tx, firmId, locked.records, 'post', 'post', 'only pending records can be posted');
      await refuseStrandedHalves(tx, firmId, locked.partners);
      ids = withPartners(locked).map((r) => r.id);
    } else {
      // Locked before their lines are read, so an edit that Post waits for is read as it
      // committed (lockPendingIds); and only those, not a record made since.
      ids = await lockPendingIds(tx, firmId);
    }

    // The records to batch, locked, in file order with their allocation lines. Locking them
    // before the batch exists lets the batch row be written first, so the claim below is
    // checked against it once, not once per record at commit. Post All skips a correction
    // whose other half is not pending (its rows were locked as they are now).
    const rows = wholePairs(await lockPendingLines(tx, firmId, ids));
    if (rows.length === 0) return null; // no empty batch is ever made
    // Dates are the firm's (SPEC §2): the payment's, or today's when the firm dates by posting.
    const postedAt = firm.use_posted_date ? now : null;
    const { lines, attempts, recordIds } = batchLines(rows, postedAt, firm.time_zone);
    const recordCount = recordIds.length;
    const seq = firm.next_batch_seq;
    const version = fileFormatVersion(firm.file_format_version);
    const file = renderBatchFile(firm.file_format, firm.code, seq, lines, version);

    const batchId = randomUUID();
    await insertBatch(tx, firmId, {
      id: batchId,
      seq,
      file_name: file.fileName,
      file_format: firm.file_format,
      file_format_version: version,
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
    await queueWebhookEvent(
      tx,
      firmId,
      'batch.created',
      { batchId, seq, fileName: file.fileName, lineCount: file.lineCount, totalCents: file.totalCents, recordCount },
      now,
    );
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

/** Post Selected of a correction's half whose partner is not pending: 409 naming the partner in words. */
async function refuseStrandedHalves(tx: Db, firmId: string, partners: ReadonlyMap<string, LockedRecord>) {
  const stranded = [...partners].filter(([, partner]) => partner.status !== 'pending');
  if (stranded.length === 0) return;
  const words = await recordsInWords(
    tx,
    firmId,
    stranded.flatMap(([half, partner]) => [half, partner.id]),
  );
  const named = (id: string) => words.get(id) ?? 'a posting record';
  throw invalidState(
    `cannot post: ${stranded
      .map(
        ([half, partner]) =>
          `${named(half)} is half of a correction whose other half, ${named(partner.id)}, is ${partner.status}`,
      )
      .join(
        '; ',
      )} (the two halves of a correction are posted together, in one batch: make the other half pending too (fix it if incomplete, Move to Pending if removed), then post both)`,
    {
      ids: stranded.map(([, partner]) => partner.id),
      statuses: Object.fromEntries(stranded.map(([, partner]) => [partner.id, partner.status])),
    },
  );
}
