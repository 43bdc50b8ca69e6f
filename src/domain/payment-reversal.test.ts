import { describe, expect, it } from 'vitest';
import { cents } from './money.ts';
import {
  canReverse,
  isSettled,
  refundableCents,
  refundPlan,
  REVERSAL_LABEL,
  reversalEventDecision,
  reversalRecordKind,
  REVERSED_STATUS,
  settlementDate,
  voidProblem,
} from './payment-reversal.ts';

describe('canReverse', () => {
  it('allows only an approved payment', () => {
    expect(canReverse('approved')).toBe(true);
    for (const status of ['declined', 'voided', 'refunded', 'charged_back'] as const)
      expect(canReverse(status)).toBe(false);
  });
});

describe('reversalEventDecision', () => {
  it('reverses an approved payment by the kind the event names', () => {
    expect(reversalEventDecision('payment.refunded', 'approved')).toEqual({ reverse: 'refund' });
    expect(reversalEventDecision('payment.voided', 'approved')).toEqual({ reverse: 'void' });
    expect(reversalEventDecision('payment.charged_back', 'approved')).toEqual({ reverse: 'chargeback' });
  });

  it('takes an eCheck return as a chargeback', () => {
    expect(reversalEventDecision('payment.returned', 'approved')).toEqual({ reverse: 'chargeback' });
    expect(reversalEventDecision('payment.returned', 'charged_back')).toEqual({ outcome: 'already_reversed' });
  });

  it('answers a repeat after the payment reached the status as already reversed', () => {
    expect(reversalEventDecision('payment.refunded', REVERSED_STATUS.refund)).toEqual({ outcome: 'already_reversed' });
  });

  it('ignores a payment reversed another way or never approved', () => {
    expect(reversalEventDecision('payment.refunded', 'voided')).toEqual({ outcome: 'ignored_payment_voided' });
    expect(reversalEventDecision('payment.charged_back', 'declined')).toEqual({ outcome: 'ignored_payment_declined' });
  });
});

describe('refunds, voids and labels (SPEC §3.5)', () => {
  const paid = { amountCents: cents(10_300), surchargeCents: cents(300), refundedCents: cents(0) };

  it('refunds in part from the receipt, all of what is left as a full refund, and never more', () => {
    expect(refundPlan(paid, undefined)).toEqual({ scope: 'full', amountCents: 10_300 });
    expect(refundPlan(paid, cents(10_300))).toEqual({ scope: 'full', amountCents: 10_300 });
    expect(refundPlan(paid, cents(2_500))).toEqual({ scope: 'partial', amountCents: 2_500 });
    expect(refundPlan(paid, cents(10_000))).toEqual({ scope: 'partial', amountCents: 10_000 });
    expect(refundPlan(paid, cents(10_001))).toMatchObject({ problem: expect.stringMatching(/surcharge too/) });
    expect(refundPlan(paid, cents(10_301))).toMatchObject({ problem: expect.stringMatching(/\$103\.00/) });
    expect(refundPlan(paid, cents(0))).toMatchObject({ problem: expect.stringMatching(/more than \$0\.00/) });
    const partly = { ...paid, refundedCents: cents(2_500) };
    expect(refundableCents(partly)).toBe(7_800);
    expect(refundPlan(partly, undefined)).toEqual({ scope: 'full', amountCents: 7_800 });
    expect(refundPlan(partly, cents(7_500))).toEqual({ scope: 'partial', amountCents: 7_500 });
    expect(refundPlan(partly, cents(7_501))).toHaveProperty('problem');
  });

  it("settles a payment the day after it in the firm's time zone: a void only until then", () => {
    // 03:30Z on Jan 1 is still Dec 31 in Los Angeles.
    const at = new Date('2027-01-01T03:30:00Z');
    expect(settlementDate(at, 'America/Los_Angeles')).toBe('2027-01-01');
    expect(settlementDate(at, 'America/New_York')).toBe('2027-01-01');
    expect(isSettled(at, new Date('2027-01-01T07:59:00Z'), 'America/Los_Angeles')).toBe(false);
    expect(isSettled(at, new Date('2027-01-01T08:00:00Z'), 'America/Los_Angeles')).toBe(true);
    expect(isSettled(at, new Date('2027-01-01T04:59:00Z'), 'America/New_York')).toBe(false);
    expect(isSettled(at, new Date('2027-01-02T05:00:00Z'), 'America/New_York')).toBe(true);
  });

  it('voids only an approved payment, nothing of it refunded, before it settles', () => {
    const at = new Date('2027-01-01T15:00:00Z');
    const sameDay = new Date('2027-01-01T20:00:00Z');
    const paid = { status: 'approved', refundedCents: 0, processedAt: at } as const;
    expect(voidProblem(paid, sameDay, 'America/New_York')).toBeNull();
    expect(voidProblem(paid, new Date('2027-01-02T05:00:00Z'), 'America/New_York')).toBe(
      'it settled on 2027-01-02: refund it instead',
    );
    expect(voidProblem({ ...paid, refundedCents: 100 }, sameDay, 'America/New_York')).toMatch(/refunded in part/);
    expect(voidProblem({ ...paid, status: 'refunded' }, sameDay, 'America/New_York')).toBe('it is refunded');
  });

  it('labels a reversal by what it undoes: an eCheck chargeback is a return', () => {
    expect(reversalRecordKind('refund', 'card')).toBe('refund');
    expect(reversalRecordKind('chargeback', 'card')).toBe('chargeback');
    expect(reversalRecordKind('chargeback', 'echeck')).toBe('echeck_return');
    expect(reversalRecordKind('void', 'echeck')).toBe('void');
    expect(REVERSAL_LABEL.echeck_return).toBe('eCheck return');
  });
});
