import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../api/types.ts';
import { batchAnswer, mmsBadge, needsCreditUpload, refusedInBatch } from './mmsAnswer.ts';

describe("the MMS's answer on screen", () => {
  it('badges a posted record Awaiting MMS, Applied in MMS, or Delivered where no answer will come', () => {
    expect(mmsBadge({ status: 'posted', mmsStatus: 'awaiting', batchAnswerExpected: true })?.label).toBe(
      'Awaiting MMS',
    );
    expect(mmsBadge({ status: 'posted', mmsStatus: 'applied', batchAnswerExpected: true })?.label).toBe(
      'Applied in MMS',
    );
    expect(mmsBadge({ status: 'posted', mmsStatus: 'awaiting', batchAnswerExpected: false })?.label).toBe('Delivered');
    // Posted before the MMS answered anything: the migration counted those applied.
    expect(mmsBadge({ status: 'posted', mmsStatus: 'applied', batchAnswerExpected: false })?.label).toBe(
      'Applied in MMS',
    );
  });

  it('gives no badge to a record that is not posted, a refused one included', () => {
    expect(mmsBadge({ status: 'queued', mmsStatus: null, batchAnswerExpected: false })).toBeNull();
    expect(mmsBadge({ status: 'incomplete', mmsStatus: 'rejected', batchAnswerExpected: null })).toBeNull();
    expect(mmsBadge({ status: 'pending', mmsStatus: null, batchAnswerExpected: null })).toBeNull();
  });

  it("counts a batch's applied, refused and awaiting lines once it is delivered", () => {
    const batch = {
      status: 'delivered' as const,
      answerExpected: true,
      lineCount: 6,
      appliedLines: 3,
      rejectedLines: 1,
    };
    expect(batchAnswer(batch)).toEqual({ kind: 'counts', applied: 3, rejected: 1, awaiting: 2 });
    expect(batchAnswer({ ...batch, status: 'queued' })).toEqual({ kind: 'queued' });
    expect(batchAnswer({ ...batch, answerExpected: false, appliedLines: 0, rejectedLines: 0 })).toEqual({
      kind: 'no_answer',
    });
    // Delivered before answers existed: applied in full.
    expect(batchAnswer({ ...batch, answerExpected: false, appliedLines: 6, rejectedLines: 0 })).toEqual({
      kind: 'counts',
      applied: 6,
      rejected: 0,
      awaiting: 0,
    });
  });

  it('asks for the credit upload only while the MMS has not taken the whole batch', () => {
    expect(needsCreditUpload({ kind: 'counts', applied: 3, rejected: 1, awaiting: 2 })).toBe(true);
    expect(needsCreditUpload({ kind: 'counts', applied: 5, rejected: 1, awaiting: 0 })).toBe(false);
    expect(needsCreditUpload({ kind: 'no_answer' })).toBe(true);
    expect(needsCreditUpload({ kind: 'queued' })).toBe(false);
  });

  it('finds the batch of the last refusal in the history', () => {
    const event = (action: string, detail: unknown): HistoryEvent => ({
      at: '2026-11-30T12:00:00Z',
      actor: 'agent',
      actorKind: 'agent',
      action,
      from: null,
      to: null,
      detail,
    });
    expect(
      refusedInBatch([
        event('posted', { seq: 2 }),
        event('rejected_by_mms', { seq: 2, message: 'x' }),
        event('rejected_by_mms', { seq: 5, message: 'y' }),
      ]),
    ).toBe(5);
    expect(refusedInBatch([event('posted', { seq: 2 })])).toBeNull();
    expect(refusedInBatch([event('rejected_by_mms', null)])).toBeNull();
  });
});
