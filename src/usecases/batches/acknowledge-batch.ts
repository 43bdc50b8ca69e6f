import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { BATCH_RECORDS_ACKNOWLEDGED, writeAudit } from '../../db/audit.ts';
import { writeDelivery } from '../../db/agent-contacts.ts';
import { publish } from '../../db/notify.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Actor } from '../../domain/actor.ts';

/**
 * The agent says it delivered a batch. Idempotent: a repeat changes nothing and answers
 * the same. A wrong sha256 means the agent holds other bytes: sha256_mismatch, and nothing changes.
 * Its records are posted and await the MMS's answer; `expectAnswer` says whether the agent
 * will report it (SPEC §5.1). Without one, the delivery is taken as the MMS having them.
 */
export async function acknowledgeBatch(db: Db, firmId: string, actor: Actor, batchId: string, sha256: string, now = new Date(), expectAnswer = false) {
  if (!isUuid(batchId)) throw notFound('batch', batchId);
  return inTransaction(db, async (tx) => {
    const batch = await tx
      .selectFrom('batches')
      .select(['id', 'seq', 'file_name', 'sha256', 'status', 'delivered_at'])
      .where('firm_id', '=', firmId)
      .where('id', '=', batchId)
      .forUpdate()
      .executeTakeFirst();
    if (!batch) throw notFound('batch', batchId);
    if (batch.sha256 !== sha256.toLowerCase()) {
      throw new DomainError('sha256_mismatch', `batch ${batch.seq}: the sha256 sent does not match the file`, { id: batchId, expected: batch.sha256 });
    }
    if (batch.status === 'delivered') {
      return { id: batch.id, seq: batch.seq, status: 'delivered' as const, deliveredAt: batch.delivered_at!.toISOString(), alreadyAcknowledged: true };
    }
    await tx.updateTable('batches').set({ status: 'delivered', delivered_at: now, answer_expected: expectAnswer }).where('firm_id', '=', firmId).where('id', '=', batchId).execute();
    // The batch's records, by the batch index: as cheap as a bare UPDATE of those rows.
    const posted = await tx
      .updateTable('posting_records')
      .set((eb) => ({ status: 'posted', mms_status: 'awaiting', version: eb('version', '+', 1), updated_at: now, status_changed_at: now }))
      .where('firm_id', '=', firmId)
      .where('batch_id', '=', batchId)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    // One event for all of the batch's records, which its lines name for good (they are
    // append-only); each record's history shows it through the record's batch. One row per
    // record added half as much again as the update itself (100,000 rows, each with its
    // index entries and its firm reference checked).
    await writeAudit(tx, firmId, actor, [
      { action: BATCH_RECORDS_ACKNOWLEDGED, batchId, from: 'queued', to: 'posted', detail: { seq: batch.seq, records: Number(posted.numUpdatedRows) } },
      { action: 'batch_delivered', batchId, detail: { seq: batch.seq } },
    ]);
    // Connect status (SPEC §5.2): the agent's last delivery.
    if (actor.kind === 'agent' && actor.id !== null) await writeDelivery(tx, firmId, actor.id, { seq: batch.seq, fileName: batch.file_name }, now);
    await publish(tx, firmId, ['postings.changed', 'batches.changed', ...(actor.kind === 'agent' ? ['connect.changed' as const] : [])]);
    return { id: batch.id, seq: batch.seq, status: 'delivered' as const, deliveredAt: now.toISOString(), alreadyAcknowledged: false };
  });
}
