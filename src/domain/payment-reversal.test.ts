import { describe, expect, it } from 'vitest';
import { canReverse, REVERSED_STATUS, reversalEventDecision } from './payment-reversal.ts';

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
