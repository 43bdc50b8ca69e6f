import { batchTransition, transition } from '../../domain/state-machine.ts';
import type { Db } from '../../db/connect.ts';
import { findEarlierUndelivered, lockBatch, writeBatchStatus } from '../../db/batches.ts';
import { writeRecordStatuses } from '../../db/postings.ts';
import { inTransaction } from '../../db/transaction.ts';
import { queueWebhookEvent } from '../../db/webhook-endpoints.ts';
import { BATCH_RECORDS_ACKNOWLEDGED, writeAudit } from '../../db/audit.ts';
import { writeDelivery } from '../../db/agent-contacts.ts';
import { publish } from '../../db/notify.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Actor } from '../../domain/actor.ts';

/**
 * The agent says it delivered a batch. Idempotent: a repeat changes nothing and answers
 * the same. A wrong sha256 means the agent holds other bytes: sha256_mismatch, and nothing changes;
 * so does an acknowledgement of a batch while an earlier one is undelivered.
 * Its records are posted and await the MMS's answer; `expectAnswer` says whether the agent
 * will report it (SPEC §5.1). Without one, the delivery is taken as the MMS having them.
 */
export async function acknowledgeBatch(
  db: Db,
  firmId: string,
  actor: Actor,
  batchId: string,
  sha256: string,
  now = new Date(),
  expectAnswer = false,
) {
  if (!isUuid(batchId)) throw notFound('batch', batchId);
  return inTransaction(db, async (tx) => {
    const batch = await lockBatch(tx, firmId, batchId);
    if (!batch) throw notFound('batch', batchId);
    if (batch.sha256 !== sha256.toLowerCase()) {
      // The expected hash is not told: the agent checks the bytes it holds, not the server's word.
      throw new DomainError('sha256_mismatch', `batch ${batch.seq}: the sha256 sent does not match the file`, {
        id: batchId,
      });
    }
    if (batch.status === 'delivered') {
      return {
        id: batch.id,
        seq: batch.seq,
        status: 'delivered' as const,
        deliveredAt: batch.delivered_at!.toISOString(),
        alreadyAcknowledged: true,
      };
    }
    // Batches are delivered in order (SPEC §5): N+1 only once N is acknowledged.
    const earlier = await findEarlierUndelivered(tx, firmId, batch.seq);
    if (earlier)
      throw new DomainError(
        'batch_out_of_order',
        `batch ${batch.seq} cannot be acknowledged before batch ${earlier.seq}, which is not delivered yet`,
        { id: batchId, waitingFor: earlier.id },
      );
    const delivered = batchTransition(batch.status, 'deliver');
    if (
      !delivered ||
      !(await writeBatchStatus(tx, firmId, batchId, delivered, { deliveredAt: now, answerExpected: expectAnswer }))
    ) {
      throw new Error(`batch ${batch.seq} is ${batch.status}: the state machine does not deliver it`);
    }
    // The batch's records still queued: all of them, since a batch's records only move forward.
    const acknowledged = transition('queued', 'acknowledge')!;
    const posted = await writeRecordStatuses(
      tx,
      firmId,
      { batchId, transition: acknowledged },
      { mmsStatus: 'awaiting' },
      now,
    );
    // One event for all of the batch's records, which its lines name for good (they are
    // append-only); each record's history shows it through the record's batch. One row per
    // record added half as much again as the update itself (100,000 rows, each with its
    // index entries and its firm reference checked).
    await writeAudit(tx, firmId, actor, [
      {
        action: BATCH_RECORDS_ACKNOWLEDGED,
        batchId,
        from: acknowledged.from,
        to: acknowledged.to,
        detail: { seq: batch.seq, records: posted },
      },
      { action: 'batch_delivered', batchId, detail: { seq: batch.seq } },
    ]);
    await queueWebhookEvent(
      tx,
      firmId,
      'batch.delivered',
      { batchId: batch.id, seq: batch.seq, fileName: batch.file_name, deliveredAt: now.toISOString() },
      now,
    );
    // Connect status (SPEC §5.2): the agent's last delivery.
    if (actor.kind === 'agent' && actor.id !== null)
      await writeDelivery(tx, firmId, actor.id, { seq: batch.seq, fileName: batch.file_name }, now);
    await publish(tx, firmId, [
      'postings.changed',
      'batches.changed',
      ...(actor.kind === 'agent' ? ['connect.changed' as const] : []),
    ]);
    return {
      id: batch.id,
      seq: batch.seq,
      status: 'delivered' as const,
      deliveredAt: now.toISOString(),
      alreadyAcknowledged: false,
    };
  });
}
