import { describe, expect, it } from 'vitest';
import {
  correctionProblem,
  correctionsOf,
  givenBackBy,
  liveRecord,
  travelsWithPartner,
  wholePairs,
  type CorrectionCandidate,
} from './corrections.ts';
import { cents } from './money.ts';

const applied: CorrectionCandidate = {
  status: 'posted',
  reversalOf: null,
  mmsStatus: 'applied',
  batchAnswerExpected: true,
  paymentStatus: 'approved',
  liveReversals: [],
};

describe('correctionProblem', () => {
  it('allows a posted record the MMS applied, or delivered where no answer comes', () => {
    expect(correctionProblem(applied)).toBeNull();
    expect(correctionProblem({ ...applied, mmsStatus: 'awaiting', batchAnswerExpected: false })).toBeNull();
  });

  it('refuses what the MMS does not have, a reversal, a reversed payment and a record reversed already', () => {
    expect(correctionProblem({ ...applied, status: 'queued', mmsStatus: null })).toMatch(/queued; only a posted/);
    expect(correctionProblem({ ...applied, mmsStatus: 'awaiting' })).toMatch(/not applied/);
    expect(correctionProblem({ ...applied, reversalOf: 'r0' })).toMatch(/is a reversal/);
    expect(correctionProblem({ ...applied, paymentStatus: 'refunded' })).toMatch(/payment is refunded/);
    expect(correctionProblem({ ...applied, liveReversals: ['r1', 'r2'] })).toMatch(/reversal \(r1; r2\)/);
  });
});

describe('the pair rule', () => {
  it('moves a half with its partner until the pair went out', () => {
    const half = { id: 'a', status: 'pending' as const, correctionId: 'c', mmsRefusals: 0 };
    expect(travelsWithPartner(half)).toBe(true);
    expect(travelsWithPartner({ ...half, status: 'removed' })).toBe(true);
    expect(travelsWithPartner({ ...half, mmsRefusals: 1 })).toBe(false);
    expect(travelsWithPartner({ ...half, status: 'posted' })).toBe(false);
    expect(travelsWithPartner({ ...half, correctionId: null })).toBe(false);
  });

  it('batches a pair only whole, and a refused half again alone', () => {
    const row = (recordId: string, correctionId: string | null, refusals = 0) => ({ recordId, correctionId, refusals });
    const rows = [
      row('o1', null),
      row('r1', 'c1'),
      row('r1', 'c1'),
      row('p1', 'c1'),
      row('r2', 'c2'),
      row('p3', 'c3', 1),
    ];
    expect(wholePairs(rows).map((r) => r.recordId)).toEqual(['o1', 'r1', 'r1', 'p1', 'p3']);
  });
});

describe('liveRecord', () => {
  it('follows replacements that are not removed from the original', () => {
    const original = { id: 'o', replaces: null, status: 'posted' as const };
    expect(liveRecord([original])).toBe(original);
    const p1 = { id: 'p1', replaces: 'o', status: 'posted' as const };
    const p2 = { id: 'p2', replaces: 'p1', status: 'pending' as const };
    expect(liveRecord([p2, original, p1])).toBe(p2);
    expect(liveRecord([original, { ...p1, status: 'removed' as const }])).toBe(original);
    expect(liveRecord([])).toBeNull();
  });
});

describe('correctionsOf', () => {
  it('pairs the halves of each correction and names the replacement standing for the record', () => {
    const halves = [
      { id: 'r1', correction_id: 'c1', reversal_of: 'o', replaces: null, status: 'removed' as const },
      { id: 'p1', correction_id: 'c1', reversal_of: null, replaces: 'o', status: 'removed' as const },
      { id: 'r2', correction_id: 'c2', reversal_of: 'o', replaces: null, status: 'pending' as const },
      { id: 'p2', correction_id: 'c2', reversal_of: null, replaces: 'o', status: 'pending' as const },
    ];
    expect(correctionsOf('o', halves)).toEqual({
      corrections: [
        { correctionId: 'c1', of: 'o', reversalId: 'r1', replacementId: 'p1', status: 'removed' },
        { correctionId: 'c2', of: 'o', reversalId: 'r2', replacementId: 'p2', status: 'pending' },
      ],
      replacedBy: 'p2',
    });
    expect(correctionsOf('p2', halves.slice(2)).replacedBy).toBeNull();
  });
});

describe('givenBackBy', () => {
  it('sums what the reversal gives back to each invoice, leaving trust lines out', () => {
    const line = (invoiceNumber: string | null, amountCents: number) => ({
      invoiceNumber,
      clientNumber: invoiceNumber ? null : 'C1',
      matterNumber: invoiceNumber ? null : 'M1',
      amountCents: cents(amountCents),
    });
    expect(givenBackBy([line('A', -600), line('B', -400), line('A', -100), line(null, -50)])).toEqual(
      new Map([
        ['A', 700],
        ['B', 400],
      ]),
    );
  });
});
