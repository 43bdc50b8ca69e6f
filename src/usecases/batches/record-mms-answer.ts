import { sql } from 'kysely';
import { canDo } from '../../domain/state-machine.ts';
import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { inTransaction } from '../../db/transaction.ts';
import { AppError, notFound } from '../../errors.ts';
import { isUuid } from '../../ids.ts';
import type { Actor } from '../auth/principal.ts';
import type { MmsAnswerInput, OutcomeAnswer } from '../../contract/agent.ts';
import { reconcileRecords } from '../postings/reconcile-records.ts';

export type MmsOutcome = 'applied' | 'rejected';

/** What the MMS did with a delivered batch: the whole file (a drop folder's import), or record by record (the procedure sink). */
export type MmsAnswer = MmsAnswerInput;

/** The audit action of an applied answer for all of a batch's records at once (see get-record). */
export const BATCH_RECORDS_APPLIED = 'mms_applied';

/**
 * SPEC §5.1: the agent reports what the MMS did with a delivered batch. An applied record
 * stays posted, now applied in the MMS. A refused one goes back to incomplete with reason
 * rejected_by_mms and the MMS's words, its refusal recorded for good; what it took from
 * its invoices is free again, so the records on them are judged again. Idempotent: the
 * same answer again changes nothing; another answer for a record already answered is 409.
 */
export async function recordMmsAnswer(db: Db, firmId: string, actor: Actor, batchId: string, answer: MmsAnswer, now = new Date()): Promise<OutcomeAnswer> {
  if (!isUuid(batchId)) throw notFound('batch', batchId);
  return inTransaction(db, async (tx) => {
    const batch = await tx.selectFrom('batches').select(['id', 'seq', 'status']).where('firm_id', '=', firmId).where('id', '=', batchId).forUpdate().executeTakeFirst();
    if (!batch) throw notFound('batch', batchId);
    if (batch.status !== 'delivered') {
      throw new AppError(409, 'batch_not_delivered', `batch ${batch.seq} has not been acknowledged: the MMS cannot have answered for it yet`, { id: batchId });
    }
    // Every record that went out in this batch, read from the batch's own lines (a plan that
    // does not grow with the firm's records), then locked in id order as it is now.
    const lineCounts = await tx
      .selectFrom('batch_lines')
      .select(['record_id', sql<number>`count(*)::int`.as('lines')])
      .where('firm_id', '=', firmId)
      .where('batch_id', '=', batchId)
      .groupBy('record_id')
      .execute();
    const linesOf = new Map(lineCounts.map((r) => [r.record_id, r.lines]));
    const members = (
      await tx
        .selectFrom('posting_records')
        .select(['id', 'status', 'batch_id', 'mms_status'])
        .where('firm_id', '=', firmId)
        .where(sql<boolean>`id = any(${[...linesOf.keys()]}::uuid[])`)
        .orderBy('id')
        .forUpdate()
        .execute()
    ).map((r) => ({ ...r, lines: linesOf.get(r.id) ?? 0 }));
    const refused = new Set(
      (await tx.selectFrom('mms_rejections').select('record_id').where('firm_id', '=', firmId).where('batch_id', '=', batchId).execute()).map((r) => r.record_id),
    );
    const answerOf = (m: (typeof members)[number]): MmsOutcome | 'awaiting' => {
      if (refused.has(m.id)) return 'rejected';
      return m.batch_id === batchId && m.mms_status === 'applied' ? 'applied' : 'awaiting';
    };

    const wanted = new Map<string, { outcome: MmsOutcome; message: string | null }>();
    if ('records' in answer) {
      const known = new Set(members.map((m) => m.id));
      const strangers = answer.records.filter((r) => !known.has(r.recordId)).map((r) => r.recordId);
      if (strangers.length) throw new AppError(404, 'not_found', `not in batch ${batch.seq}: ${strangers.join(', ')}`, { ids: strangers });
      for (const r of answer.records) wanted.set(r.recordId, { outcome: r.outcome, message: r.outcome === 'rejected' ? r.message?.trim() || 'refused by the MMS (no reason given)' : null });
    } else {
      for (const m of members) wanted.set(m.id, { outcome: answer.outcome, message: answer.outcome === 'rejected' ? answer.message : null });
    }

    const conflicts = members.filter((m) => wanted.has(m.id) && answerOf(m) !== 'awaiting' && answerOf(m) !== wanted.get(m.id)!.outcome);
    if (conflicts.length) {
      throw new AppError(409, 'mms_answer_conflict', `the MMS already answered otherwise for ${conflicts.map((m) => `${m.id} (${answerOf(m)})`).join(', ')} in batch ${batch.seq}`, {
        ids: conflicts.map((m) => m.id),
      });
    }
    const open = members.filter((m) => wanted.has(m.id) && answerOf(m) === 'awaiting');
    const notPosted = open.filter((m) => m.status !== 'posted' || m.batch_id !== batchId);
    if (notPosted.length) {
      throw new AppError(409, 'invalid_state', `batch ${batch.seq}: ${notPosted.map((m) => `${m.id} is ${m.status}`).join(', ')}`, { ids: notPosted.map((m) => m.id) });
    }
    const toApply = open.filter((m) => wanted.get(m.id)!.outcome === 'applied' && canDo(m.status, 'mms_apply'));
    const toReject = open.filter((m) => wanted.get(m.id)!.outcome === 'rejected' && canDo(m.status, 'mms_reject'));

    if (toApply.length) {
      await tx.updateTable('posting_records')
        .set((eb) => ({ mms_status: 'applied', mms_answered_at: now, version: eb('version', '+', 1), updated_at: now }))
        .where('firm_id', '=', firmId)
        .where(sql<boolean>`id = any(${toApply.map((m) => m.id)}::uuid[])`)
        .execute();
      // One event for the batch when the whole file was applied (a record's history shows
      // it through its batch); one per record when the MMS answered record by record.
      await writeAudit(tx, firmId, actor, 'records' in answer
        ? toApply.map((m) => ({ action: 'mms_applied', recordId: m.id, batchId, detail: { seq: batch.seq } }))
        : [{ action: BATCH_RECORDS_APPLIED, batchId, detail: { seq: batch.seq, records: toApply.length } }]);
    }
    if (toReject.length) {
      const ids = toReject.map((m) => m.id);
      await tx.insertInto('mms_rejections').values(toReject.map((m) => ({ firm_id: firmId, record_id: m.id, batch_id: batchId, at: now, message: wanted.get(m.id)!.message! }))).execute();
      // Back to be fixed: out of its batch (whose file stays as it is), its next attempt a
      // new one; the reasons are settled by the classification below.
      await sql`
        update posting_records r
        set status = 'incomplete', reasons = '{rejected_by_mms}', batch_id = null, mms_status = 'rejected', mms_message = c.message,
            mms_answered_at = ${now}, mms_refusals = r.mms_refusals + 1, version = r.version + 1, updated_at = ${now}, status_changed_at = ${now}
        from unnest(${ids}::uuid[], ${toReject.map((m) => wanted.get(m.id)!.message!)}::text[]) as c(id, message)
        where r.firm_id = ${firmId} and r.id = c.id`.execute(tx);
      await writeAudit(tx, firmId, actor, toReject.map((m) => ({
        action: 'rejected_by_mms', recordId: m.id, batchId, from: 'posted', to: 'incomplete', detail: { seq: batch.seq, message: wanted.get(m.id)!.message },
      })));
      const invoices = await tx.selectFrom('allocations').select('invoice_number').where('firm_id', '=', firmId)
        .where(sql<boolean>`record_id = any(${ids}::uuid[])`).where('invoice_number', 'is not', null).execute();
      await reconcileRecords(tx, firmId, actor, { invoices: invoices.map((a) => a.invoice_number!), records: ids }, 'refusal by the MMS', now);
    }
    const lineTotal = (list: typeof members) => list.reduce((sum, m) => sum + m.lines, 0);
    if (toApply.length || toReject.length) {
      await tx.updateTable('batches')
        .set((eb) => ({ applied_lines: eb('applied_lines', '+', lineTotal(toApply)), rejected_lines: eb('rejected_lines', '+', lineTotal(toReject)) }))
        .where('firm_id', '=', firmId).where('id', '=', batchId).execute();
      await publish(tx, firmId, ['postings.changed', 'batches.changed']);
    }
    return { applied: toApply.length, rejected: toReject.length, alreadyAnswered: wanted.size - open.length };
  });
}
