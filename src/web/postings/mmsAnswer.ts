import type { Batch, HistoryEvent, PostingRecord } from '../api/types.ts';

/** What the MMS did with a posted record (SPEC §5.1), as its badge says it. */
export interface MmsBadge {
  label: 'Awaiting MMS' | 'Applied in MMS' | 'Delivered';
  color: string;
  /** The badge's meaning in a sentence, for the drawer and a tooltip. */
  explanation: string;
}

const AWAITING: MmsBadge = {
  label: 'Awaiting MMS',
  color: 'orange',
  explanation: 'Delivered; the MMS has not yet said whether it applied it.',
};
const APPLIED: MmsBadge = { label: 'Applied in MMS', color: 'teal', explanation: 'The MMS applied it.' };
const DELIVERED: MmsBadge = {
  label: 'Delivered',
  color: 'gray',
  explanation: 'Delivered to the MMS. The agent does not report what the MMS did with it, so check it in the MMS.',
};

/**
 * A posted record's badge. `awaiting` means two things: where the agent reports the MMS's
 * answer, the answer has not come yet; where it does not, none will, and delivered is as
 * far as paybridge can tell. A refused record is not posted: Incomplete shows why.
 */
export function mmsBadge(record: Pick<PostingRecord, 'status' | 'mmsStatus' | 'batchAnswerExpected'>): MmsBadge | null {
  if (record.status !== 'posted') return null;
  if (record.mmsStatus === 'applied') return APPLIED;
  if (record.mmsStatus === 'awaiting') return record.batchAnswerExpected === false ? DELIVERED : AWAITING;
  return null;
}

/** What the MMS did with a batch's lines, for the Batches screen. */
export type BatchAnswer =
  | { kind: 'queued' }
  /** Delivered by an agent that does not report the MMS's answer. */
  | { kind: 'no_answer' }
  | { kind: 'counts'; applied: number; rejected: number; awaiting: number };

export function batchAnswer(
  batch: Pick<Batch, 'status' | 'answerExpected' | 'lineCount' | 'appliedLines' | 'rejectedLines'>,
): BatchAnswer {
  if (batch.status !== 'delivered') return { kind: 'queued' };
  // Batches delivered before the MMS answered count as applied (the migration says so): their counts still show.
  if (!batch.answerExpected && batch.appliedLines + batch.rejectedLines === 0) return { kind: 'no_answer' };
  const awaiting = Math.max(0, batch.lineCount - batch.appliedLines - batch.rejectedLines);
  return { kind: 'counts', applied: batch.appliedLines, rejected: batch.rejectedLines, awaiting };
}

/** A batch waits for the firm's credit upload while the MMS has not applied all of it. */
export function needsCreditUpload(answer: BatchAnswer): boolean {
  return answer.kind === 'no_answer' || (answer.kind === 'counts' && answer.awaiting > 0);
}

/** The batch whose delivery the MMS refused last, from the record's history. */
export function refusedInBatch(history: HistoryEvent[]): number | null {
  const refusal = history.findLast((e) => e.action === 'rejected_by_mms');
  const seq =
    refusal && typeof refusal.detail === 'object' && refusal.detail !== null
      ? (refusal.detail as { seq?: unknown }).seq
      : undefined;
  return typeof seq === 'number' ? seq : null;
}
