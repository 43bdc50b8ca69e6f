import type { z } from 'zod';
import type { batchOut } from '../../contract/batches.ts';
import type { Db } from '../../db/connect.ts';
import { readBatch, readBatchFile, readBatchPage, readQueuedBatches, type BatchRow } from '../../db/batches.ts';
import { notFound } from '../../domain/errors.ts';
import { seqCursor } from '../../domain/paging.ts';
import { isUuid } from '../../domain/ids.ts';

/** A batch as the Batches screen and the agent read it (the contract's shape). */
export type BatchView = z.output<typeof batchOut>;

function toView(row: BatchRow): BatchView {
  return {
    id: row.id,
    seq: row.seq,
    fileName: row.file_name,
    fileFormat: row.file_format,
    sha256: row.sha256,
    lineCount: row.line_count,
    recordCount: row.record_count,
    totalCents: row.total_cents,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at ? row.delivered_at.toISOString() : null,
    answerExpected: row.answer_expected,
    appliedLines: row.applied_lines,
    rejectedLines: row.rejected_lines,
    quarantinedAt: row.quarantined_at ? row.quarantined_at.toISOString() : null,
    quarantineReason: row.quarantine_reason,
  };
}

/** Batch history, newest first; the cursor is the last seq seen. */
export async function listBatches(db: Db, firmId: string, cursor: string | undefined, limit: number) {
  const before = cursor === undefined ? null : seqCursor(cursor);
  const rows = await readBatchPage(db, firmId, before, limit + 1);
  const items = rows.slice(0, limit).map(toView);
  return { items, nextCursor: rows.length > limit ? String(items.at(-1)!.seq) : null };
}

/** What the agent still has to deliver, oldest first: batch N+1 waits for N. */
export async function undeliveredBatches(db: Db, firmId: string) {
  const rows = await readQueuedBatches(db, firmId);
  return { items: rows.map(toView) };
}

export async function getBatch(db: Db, firmId: string, id: string): Promise<BatchView> {
  if (!isUuid(id)) throw notFound('batch', id);
  const row = await readBatch(db, firmId, id);
  if (!row) throw notFound('batch', id);
  return toView(row);
}

export async function batchFile(db: Db, firmId: string, id: string) {
  if (!isUuid(id)) throw notFound('batch', id);
  const row = await readBatchFile(db, firmId, id);
  if (!row) throw notFound('batch', id);
  return { fileName: row.file_name, sha256: row.sha256, content: Buffer.from(row.content) };
}
