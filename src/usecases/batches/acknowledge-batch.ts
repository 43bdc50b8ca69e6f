import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { writeAudit, writeBatchAudit } from '../../db/audit.ts';
import { AppError, notFound } from '../../errors.ts';
import { isUuid } from '../../ids.ts';
import type { Actor } from '../auth/principal.ts';

/**
 * The agent says it delivered a batch. Idempotent: a repeat changes nothing and answers
 * the same. A wrong sha256 means the agent holds other bytes: 409, and nothing changes.
 */
export async function acknowledgeBatch(db: Db, firmId: string, actor: Actor, batchId: string, sha256: string, now = new Date()) {
  if (!isUuid(batchId)) throw notFound('batch', batchId);
  return db.transaction().execute(async (tx) => {
    const batch = await tx
      .selectFrom('batches')
      .select(['id', 'seq', 'sha256', 'status', 'delivered_at'])
      .where('firm_id', '=', firmId)
      .where('id', '=', batchId)
      .forUpdate()
      .executeTakeFirst();
    if (!batch) throw notFound('batch', batchId);
    if (batch.sha256 !== sha256.toLowerCase()) {
      throw new AppError(409, 'sha256_mismatch', `batch ${batch.seq}: the sha256 sent does not match the file`, { id: batchId, expected: batch.sha256 });
    }
    if (batch.status === 'delivered') {
      return { id: batch.id, seq: batch.seq, status: 'delivered' as const, deliveredAt: batch.delivered_at!.toISOString(), alreadyAcknowledged: true };
    }
    await tx.updateTable('batches').set({ status: 'delivered', delivered_at: now }).where('firm_id', '=', firmId).where('id', '=', batchId).execute();
    // The batch's records, found through its lines (posting_records has no index on batch_id).
    await sql`
      update posting_records r
      set status = 'posted', version = r.version + 1, updated_at = ${now}, status_changed_at = ${now}
      from (select distinct record_id from batch_lines where firm_id = ${firmId} and batch_id = ${batchId}) l
      where r.firm_id = ${firmId} and r.id = l.record_id and r.batch_id = ${batchId} and r.status = 'queued'
    `.execute(tx);
    await writeBatchAudit(tx, firmId, actor, batchId, 'acknowledged', 'queued', 'posted');
    await writeAudit(tx, firmId, actor, [{ action: 'batch_delivered', batchId, detail: { seq: batch.seq } }]);
    return { id: batch.id, seq: batch.seq, status: 'delivered' as const, deliveredAt: now.toISOString(), alreadyAcknowledged: false };
  });
}
