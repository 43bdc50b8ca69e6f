import { describe, expect, it } from 'vitest';
import { planAnswer, type BatchMember } from './mms-answer.ts';

const B = 'batch-1';
const member = (id: string, over: Partial<BatchMember> = {}): BatchMember => ({
  id,
  status: 'posted',
  batch_id: B,
  mms_status: 'awaiting',
  ...over,
});
const none = new Set<string>();

describe('planAnswer', () => {
  it('applies or refuses the whole file, the refusal with the MMS words', () => {
    const members = [member('a'), member('b')];
    const applied = planAnswer(B, members, none, { outcome: 'applied' });
    expect(applied).toMatchObject({ refused: null, toApply: members, toReject: [] });
    const rejected = planAnswer(B, members, none, { outcome: 'rejected', message: 'bad file' });
    expect(rejected).toMatchObject({ refused: null, toApply: [], toReject: members });
    if (rejected.refused === null)
      expect(rejected.wanted.get('a')).toEqual({ outcome: 'rejected', message: 'bad file' });
  });

  it('answers record by record, a refusal without words given some', () => {
    const plan = planAnswer(B, [member('a'), member('b'), member('c')], none, {
      records: [
        { recordId: 'a', outcome: 'applied' },
        { recordId: 'b', outcome: 'rejected', message: '  ' },
      ],
    });
    expect(plan.refused).toBeNull();
    if (plan.refused !== null) return;
    expect(plan.toApply.map((m) => m.id)).toEqual(['a']);
    expect(plan.toReject.map((m) => m.id)).toEqual(['b']);
    expect(plan.wanted.get('b')?.message).toBe('refused by the MMS (no reason given)');
  });

  it('names records the batch does not hold', () => {
    expect(planAnswer(B, [member('a')], none, { records: [{ recordId: 'z', outcome: 'applied' }] })).toEqual({
      refused: 'strangers',
      ids: ['z'],
    });
  });

  it('the same answer again changes nothing; another answer is a conflict', () => {
    const applied = member('a', { mms_status: 'applied' });
    const refusedHere = member('b', { status: 'incomplete', batch_id: null, mms_status: 'rejected' });
    const again = planAnswer(B, [applied, refusedHere], new Set(['b']), {
      records: [
        { recordId: 'a', outcome: 'applied' },
        { recordId: 'b', outcome: 'rejected' },
      ],
    });
    expect(again).toMatchObject({ refused: null, open: [], toApply: [], toReject: [] });
    const refusedFile = planAnswer(B, [applied, refusedHere], new Set(['b']), { outcome: 'rejected', message: 'no' });
    expect(refusedFile).toEqual({ refused: 'conflicts', members: [{ member: applied, answered: 'applied' }] });
    const appliedFile = planAnswer(B, [applied, refusedHere], new Set(['b']), { outcome: 'applied' });
    expect(appliedFile).toEqual({ refused: 'conflicts', members: [{ member: refusedHere, answered: 'rejected' }] });
  });

  it('refuses to answer for a record no longer posted in this batch', () => {
    const moved = member('a', { status: 'queued', batch_id: 'batch-2', mms_status: null });
    expect(planAnswer(B, [moved], none, { outcome: 'applied' })).toEqual({ refused: 'not_posted', members: [moved] });
  });
});
