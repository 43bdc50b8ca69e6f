import { canDo } from './state-machine.ts';
import type { RecordStatus } from './types.ts';

export type MmsOutcome = 'applied' | 'rejected';

/** What the MMS did with a delivered batch: the whole file (a drop folder's import), or record by record (the procedure sink). */
export type MmsAnswer =
  | { outcome: 'applied' }
  | { outcome: 'rejected'; message: string }
  | { records: { recordId: string; outcome: MmsOutcome; message?: string | undefined }[] };

/** A record that went out in the batch, as it is now. */
export interface BatchMember {
  id: string;
  status: RecordStatus;
  batch_id: string | null;
  mms_status: 'awaiting' | 'applied' | 'rejected' | null;
}

export type AnswerPlan<M extends BatchMember> =
  | { refused: 'strangers'; ids: string[] }
  | { refused: 'conflicts'; members: { member: M; answered: MmsOutcome }[] }
  | { refused: 'not_posted'; members: M[] }
  | {
      refused: null;
      /** Per record answered, what the MMS said (a refusal always with words). */
      wanted: Map<string, { outcome: MmsOutcome; message: string | null }>;
      /** The records answered now for the first time. */
      open: M[];
      toApply: M[];
      toReject: M[];
    };

/**
 * SPEC §5.1: what an answer does to a batch's records. `refusedHere` are the records the
 * MMS already refused in this batch. The same answer again changes nothing (those records
 * are not open); another answer for a record already answered is a conflict; a record
 * the batch does not hold is a stranger; an open record must still be posted in this batch.
 */
export function planAnswer<M extends BatchMember>(
  batchId: string,
  members: readonly M[],
  refusedHere: ReadonlySet<string>,
  answer: MmsAnswer,
): AnswerPlan<M> {
  const answerOf = (m: M): MmsOutcome | 'awaiting' => {
    if (refusedHere.has(m.id)) return 'rejected';
    return m.batch_id === batchId && m.mms_status === 'applied' ? 'applied' : 'awaiting';
  };
  const wanted = new Map<string, { outcome: MmsOutcome; message: string | null }>();
  if ('records' in answer) {
    const known = new Set(members.map((m) => m.id));
    const strangers = answer.records.filter((r) => !known.has(r.recordId)).map((r) => r.recordId);
    if (strangers.length) return { refused: 'strangers', ids: strangers };
    for (const r of answer.records)
      wanted.set(r.recordId, {
        outcome: r.outcome,
        message: r.outcome === 'rejected' ? r.message?.trim() || 'refused by the MMS (no reason given)' : null,
      });
  } else {
    for (const m of members)
      wanted.set(m.id, { outcome: answer.outcome, message: answer.outcome === 'rejected' ? answer.message : null });
  }
  const conflicts = members.filter(
    (m) => wanted.has(m.id) && answerOf(m) !== 'awaiting' && answerOf(m) !== wanted.get(m.id)!.outcome,
  );
  if (conflicts.length)
    return {
      refused: 'conflicts',
      members: conflicts.map((member) => ({ member, answered: answerOf(member) as MmsOutcome })),
    };
  const open = members.filter((m) => wanted.has(m.id) && answerOf(m) === 'awaiting');
  const notPosted = open.filter((m) => m.status !== 'posted' || m.batch_id !== batchId);
  if (notPosted.length) return { refused: 'not_posted', members: notPosted };
  const toApply = open.filter((m) => wanted.get(m.id)!.outcome === 'applied' && canDo(m.status, 'mms_apply'));
  const toReject = open.filter((m) => wanted.get(m.id)!.outcome === 'rejected' && canDo(m.status, 'mms_reject'));
  return { refused: null, wanted, open, toApply, toReject };
}
