import type { QuarantineAnswer } from '../../contract/agent.ts';
import type { Db } from '../../db/connect.ts';
import { lockBatch, markQuarantined, readBatch } from '../../db/batches.ts';
import { writeAudit } from '../../db/audit.ts';
import { recordStaffEvent } from '../../db/mail-queue.ts';
import { publish } from '../../db/notify.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Actor } from '../../domain/actor.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';

/**
 * The agent quarantined a batch it will not deliver on its own (SPEC §5: a file of its name
 * with other bytes in the drop folder). The batch stays queued — only the operator on the
 * firm's server can lift the halt — but the firm now sees it on the Batches screen, and the
 * staff who chose posting failures are told, once. Idempotent: the first report is kept.
 */
export async function reportQuarantine(
  db: Db,
  firmId: string,
  actor: Actor,
  batchId: string,
  reason: string,
  now = new Date(),
): Promise<QuarantineAnswer> {
  if (!isUuid(batchId)) throw notFound('batch', batchId);
  return inTransaction(db, async (tx) => {
    const batch = await lockBatch(tx, firmId, batchId);
    if (!batch) throw notFound('batch', batchId);
    if (batch.status === 'delivered') {
      throw new DomainError(
        'batch_delivered',
        `batch ${batch.seq} was acknowledged as delivered: it cannot be quarantined after that`,
        { id: batchId },
      );
    }
    const first = await markQuarantined(tx, firmId, batchId, reason.trim(), now);
    if (first) {
      const row = (await readBatch(tx, firmId, batchId))!;
      await writeAudit(tx, firmId, actor, [
        { action: 'batch_quarantined', batchId, detail: { seq: batch.seq, reason: row.quarantine_reason } },
      ]);
      await recordStaffEvent(tx, firmId, {
        kind: 'posting_failure',
        key: `quarantine:${batchId}`,
        detail: {
          quarantined: true,
          batchId,
          seq: batch.seq,
          fileName: batch.file_name,
          lineCount: row.line_count,
          totalCents: row.total_cents,
          message: row.quarantine_reason,
        },
        at: now,
      });
      await publish(tx, firmId, ['batches.changed', 'connect.changed']);
    }
    const stored = (await readBatch(tx, firmId, batchId))!;
    return {
      id: batchId,
      seq: batch.seq,
      quarantinedAt: stored.quarantined_at!.toISOString(),
      alreadyReported: !first,
    };
  });
}
