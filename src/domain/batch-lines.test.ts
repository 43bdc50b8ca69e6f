import { describe, expect, it } from 'vitest';
import { batchLines, fileMemo, type PendingLine } from './batch-lines.ts';
import { refusalOf } from './errors.test-support.ts';
import { cents } from './money.ts';

const pending = (recordId: string, line: number | null, amount: number | null, refusals = 0): PendingLine => ({
  recordId,
  paymentId: `pay-${recordId}`,
  refusals,
  line,
  // 7:30 pm Pacific on 31 December: already 1 January in UTC.
  processedAt: new Date('2027-01-01T03:30:00Z'),
  account: 'operating',
  invoiceNumber: 'INV-1',
  clientNumber: 'C1',
  matterNumber: 'M1',
  amountCents: amount === null ? null : cents(amount),
  surchargeCents: cents(300),
  method: 'card',
  payer: 'Ada Payer',
  memo: '',
  reversal: null,
  correctionId: null,
  thirdParty: false,
});

describe('batchLines', () => {
  it('makes a file line of each allocation, dated by the payment in the firm zone, with its attempt and its record once', () => {
    const made = batchLines(
      [pending('r1', 1, 1000), pending('r1', 2, 500), pending('r2', 1, 700, 2)],
      null,
      'America/Los_Angeles',
    );
    expect(made.lines.map((l) => [l.recordId, l.line, l.amountCents, l.postingDate])).toEqual([
      ['r1', 1, 1000, '2026-12-31'],
      ['r1', 2, 500, '2026-12-31'],
      ['r2', 1, 700, '2026-12-31'],
    ]);
    expect(made.lines[0]).toEqual({
      recordId: 'r1',
      paymentId: 'pay-r1',
      line: 1,
      postingDate: '2026-12-31',
      account: 'operating',
      invoiceNumber: 'INV-1',
      clientNumber: 'C1',
      matterNumber: 'M1',
      amountCents: 1000,
      surchargeCents: 300,
      method: 'card',
      payer: 'Ada Payer',
      memo: '',
    });
    expect(made.attempts).toEqual([0, 0, 2]);
    expect(made.recordIds).toEqual(['r1', 'r2']);
  });

  it('dates every line by the day of posting when the firm dates so', () => {
    const made = batchLines([pending('r1', 1, 1000)], new Date('2027-02-10T12:00:00Z'), 'America/Los_Angeles');
    expect(made.lines[0]!.postingDate).toBe('2027-02-10');
  });

  it('refuses a record without allocations', () => {
    expect(refusalOf(() => batchLines([pending('r1', 1, 1000), pending('r2', null, null)], null, 'UTC'))?.code).toBe(
      'record_without_allocations',
    );
  });

  it('refuses records whose total a number cannot hold exactly', () => {
    const half = Math.ceil(Number.MAX_SAFE_INTEGER / 2);
    expect(refusalOf(() => batchLines([pending('r1', 1, half), pending('r2', 1, half)], null, 'UTC'))?.code).toBe(
      'batch_total_too_large',
    );
    expect(refusalOf(() => batchLines([pending('r1', 1, half), pending('r2', 1, half - 1)], null, 'UTC'))).toBeNull();
  });
});

describe('fileMemo', () => {
  it("labels a reversal's line with what it reverses and of which record, before the accountant's memo", () => {
    expect(fileMemo('paid by cheque', null)).toBe('paid by cheque');
    expect(fileMemo('', { kind: 'refund', of: 'rec-1' })).toBe('Refund of record rec-1');
    // Both halves of a correction: the reversal and the replacement name the corrected record.
    expect(fileMemo('moved to INV-2', { kind: 'correction', of: 'rec-1' })).toBe(
      'Correction of record rec-1: moved to INV-2',
    );
    expect(fileMemo('client asked', { kind: 'echeck_return', of: 'rec-1' })).toBe(
      'eCheck return of record rec-1: client asked',
    );
    expect(fileMemo('', { kind: 'chargeback', of: 'rec-2' })).toBe('Chargeback of record rec-2');
  });

  it('says who paid when an accountant accepted a third party paying the client', () => {
    expect(fileMemo('', null, 'Ada Payer')).toBe('Third-party payment by Ada Payer');
    expect(fileMemo('for her son', null, 'Ada Payer')).toBe('Third-party payment by Ada Payer: for her son');
    const [line] = batchLines([{ ...pending('r3', 1, 700), thirdParty: true }], null, 'America/New_York').lines;
    expect(line!.memo).toBe('Third-party payment by Ada Payer');
  });

  it('puts the label in the file line of a reversal', () => {
    const [line] = batchLines(
      [{ ...pending('r9', 1, -700), reversal: { kind: 'refund', of: 'r1' } }],
      null,
      'America/New_York',
    ).lines;
    expect(line!.memo).toBe('Refund of record r1');
  });
});
