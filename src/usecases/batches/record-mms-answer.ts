import { planAnswer, type MmsAnswer, type MmsOutcome } from '../../domain/mms-answer.ts';
import { transitionAll } from '../../domain/state-machine.ts';
import type { Db } from '../../db/connect.ts';
import { BATCH_RECORDS_APPLIED, writeAudit } from '../../db/audit.ts';
import { addAnsweredLines, insertRefusals, linesPerRecord, lockBatch, refusedIn } from '../../db/batches.ts';
import { invoicesOfRecords, lockAnswerable, writeRecordStatuses } from '../../db/postings.ts';
import { recordRefusalEvents } from '../../db/mail-queue.ts';
import { publish } from '../../db/notify.ts';
import { inTransaction } from '../../db/transaction.ts';
import { queueWebhookEvent } from '../../db/webhook-endpoints.ts';
import { DomainError, notFound, invalidState } from '../../domain/errors.ts';
import { listInWords, recordsInWords } from '../postings/refusal.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Actor } from '../../domain/actor.ts';
import type { OutcomeAnswer } from '../../contract/agent.ts';
import { reconcileRecords } from '../postings/reconcile-records.ts';

export type { MmsOutcome };

export type { MmsAnswer };

export { BATCH_RECORDS_APPLIED };

/**
 * SPEC §5.1: the agent reports what the MMS did with a delivered batch. An applied record
 * stays posted, now applied in the MMS. A refused one goes back to incomplete with reason
 * rejected_by_mms and the MMS's words, its refusal recorded for good; what it took from
 * its invoices is free again, so the records on them are judged again. Idempotent: the
 * same answer again changes nothing; another answer for a record already answered is mms_answer_conflict.
 */
export async function recordMmsAnswer(
  db: Db,
  firmId: string,
  actor: Actor,
  batchId: string,
  answer: MmsAnswer,
  now = new Date(),
): Promise<OutcomeAnswer> {
  if (!isUuid(batchId)) throw notFound('batch', batchId);
  return inTransaction(db, async (tx) => {
    const batch = await lockBatch(tx, firmId, batchId);
    if (!batch) throw notFound('batch', batchId);
    if (batch.status !== 'delivered') {
      throw new DomainError(
        'batch_not_delivered',
        `batch ${batch.seq} has not been acknowledged: the MMS cannot have answered for it yet`,
        { id: batchId },
      );
    }
    // Every record that went out in this batch, read from the batch's own lines (a plan that
    // does not grow with the firm's records), then locked in id order as it is now.
    const linesOf = await linesPerRecord(tx, firmId, batchId);
    const members = (await lockAnswerable(tx, firmId, [...linesOf.keys()])).map((r) => ({
      ...r,
      lines: linesOf.get(r.id) ?? 0,
    }));
    const refused = await refusedIn(tx, firmId, batchId);
    const plan = planAnswer(batchId, members, refused, answer);
    // The records said in words as the accountant knows them; their ids are in the details.
    if (plan.refused === 'strangers') {
      // The firm's records said in words; the others (another firm's, or no record) counted.
      const words = await recordsInWords(tx, firmId, plan.ids);
      const unknown = plan.ids.filter((id) => !words.has(id)).length;
      const named = [
        ...plan.ids.flatMap((id) => words.get(id) ?? []),
        ...(unknown ? [`${unknown} record${unknown > 1 ? 's' : ''} the firm does not have`] : []),
      ];
      throw new DomainError(
        'not_found',
        `not in batch ${batch.seq}: ${named.join('; ')}; answer only for the records the batch file holds`,
        { ids: plan.ids },
      );
    }
    if (plan.refused === 'conflicts') {
      const answered = new Map(plan.members.map((c) => [c.member.id, c.answered]));
      const ids = plan.members.map((c) => c.member.id);
      throw new DomainError(
        'mms_answer_conflict',
        `the MMS already answered otherwise in batch ${batch.seq} for ${await listInWords(tx, firmId, ids, (words, id) => `${words} (${answered.get(id)})`)}`,
        { ids },
      );
    }
    if (plan.refused === 'not_posted') {
      const status = new Map(plan.members.map((m) => [m.id, m.status]));
      const ids = plan.members.map((m) => m.id);
      throw invalidState(
        `batch ${batch.seq}: ${await listInWords(tx, firmId, ids, (words, id) => `${words} is ${status.get(id)}`)}; the MMS answers only for records still posted`,
        { ids },
      );
    }
    const { wanted, open, toApply, toReject } = plan;
    const messageOf = (id: string) => wanted.get(id)!.message!;

    if (toApply.length) {
      await writeRecordStatuses(
        tx,
        firmId,
        { moves: transitionAll(toApply, 'mms_apply').moves },
        { mmsStatus: 'applied', mmsAnsweredAt: now },
        now,
      );
      // One event for the batch when the whole file was applied (a record's history shows
      // it through its batch); one per record when the MMS answered record by record.
      await writeAudit(
        tx,
        firmId,
        actor,
        'records' in answer
          ? toApply.map((m) => ({ action: 'mms_applied', recordId: m.id, batchId, detail: { seq: batch.seq } }))
          : [{ action: BATCH_RECORDS_APPLIED, batchId, detail: { seq: batch.seq, records: toApply.length } }],
      );
      // A whole file applied names its batch, not each of its (perhaps 100,000) records.
      await queueWebhookEvent(
        tx,
        firmId,
        'record.mms_applied',
        'records' in answer
          ? {
              batchId,
              seq: batch.seq,
              wholeBatch: false,
              recordCount: toApply.length,
              recordIds: toApply.map((m) => m.id),
            }
          : { batchId, seq: batch.seq, wholeBatch: true, recordCount: toApply.length },
        now,
      );
    }
    if (toReject.length) {
      const ids = toReject.map((m) => m.id);
      await insertRefusals(
        tx,
        firmId,
        batchId,
        toReject.map((m) => ({ recordId: m.id, message: messageOf(m.id) })),
        now,
      );
      // Back to be fixed: out of its batch (whose file stays as it is), its next attempt a
      // new one, incomplete until the classification below settles its reasons.
      const moves = transitionAll(toReject, 'mms_reject', () => 'incomplete').moves.map((move) => ({
        ...move,
        mmsMessage: messageOf(move.id),
      }));
      await writeRecordStatuses(
        tx,
        firmId,
        { moves },
        { reasons: ['rejected_by_mms'], batchId: null, mmsStatus: 'rejected', mmsAnsweredAt: now, countRefusal: true },
        now,
      );
      await writeAudit(
        tx,
        firmId,
        actor,
        toReject.map((m) => ({
          action: 'rejected_by_mms',
          recordId: m.id,
          batchId,
          from: m.status,
          to: 'incomplete',
          detail: { seq: batch.seq, message: wanted.get(m.id)!.message },
        })),
      );
      // Staff who opted in hear of each refusal (sent after this commits, by the scheduler).
      await recordRefusalEvents(
        tx,
        firmId,
        { id: batchId, seq: batch.seq },
        toReject.map((m) => ({ recordId: m.id, message: messageOf(m.id) })),
        now,
      );
      await queueWebhookEvent(
        tx,
        firmId,
        'record.mms_rejected',
        {
          batchId,
          seq: batch.seq,
          records: toReject.map((m) => ({ recordId: m.id, message: wanted.get(m.id)!.message ?? null })),
        },
        now,
      );
      const invoices = await invoicesOfRecords(tx, firmId, ids);
      await reconcileRecords(tx, firmId, actor, { invoices, records: ids }, 'refusal by the MMS', now);
    }
    const lineTotal = (list: typeof members) => list.reduce((sum, m) => sum + m.lines, 0);
    if (toApply.length || toReject.length) {
      await addAnsweredLines(tx, firmId, batchId, lineTotal(toApply), lineTotal(toReject));
      await publish(tx, firmId, ['postings.changed', 'batches.changed']);
    }
    return { applied: toApply.length, rejected: toReject.length, alreadyAnswered: wanted.size - open.length };
  });
}
