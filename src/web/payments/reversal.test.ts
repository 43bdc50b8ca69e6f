import { describe, expect, it } from 'vitest';
import type { Payment } from '../api/types.ts';
import {
  recordEffectText,
  refundedPart,
  refundedText,
  refundLeft,
  refundRequest,
  refundTerms,
  voidNote,
} from './reversal.ts';

/** A card payment of $103.00 with a $3.00 surcharge, approved and not yet settled. */
function payment(overrides: Partial<Payment> = {}): Payment {
  return {
    id: 'p1',
    processorId: 'ch_1',
    processedAt: '2026-11-01T12:00:00.000Z',
    amountCents: 10_300,
    surchargeCents: 300,
    method: 'card',
    cardBrand: 'visa',
    cardFunding: 'credit',
    last4: '4242',
    account: 'operating',
    depositAccountId: 'd1',
    depositAccountName: 'Operating',
    payerName: 'Acme AP',
    payerEmail: null,
    invoiceNumbers: ['INV-100'],
    clientNumber: 'C1',
    matterNumber: null,
    origin: 'connect',
    paymentPageId: null,
    status: 'approved',
    reversedAt: null,
    refundedCents: 0,
    settlesOn: '2026-11-02',
    voidable: true,
    postingRecordId: 'r1',
    postingStatus: 'posted',
    ...overrides,
  };
}

describe('voidNote', () => {
  it('is null while the payment can be voided, and says why not once it settled or was refunded in part', () => {
    expect(voidNote(payment())).toBeNull();
    expect(voidNote(payment({ voidable: false }))).toBe('Settled on Nov 2, 2026: refund instead');
    expect(voidNote(payment({ voidable: false, refundedCents: 2500 }))).toBe(
      'Refunded in part: refund the rest instead',
    );
  });
});

describe('refundedText', () => {
  it('tells what a payment refunded in part has had back, and nothing before or after', () => {
    expect(refundedText(payment({ refundedCents: 2500 }))).toBe('Refunded $25.00 of $103.00');
    expect(refundedPart(payment({ refundedCents: 2500 }))).toBe('$25.00 of $103.00');
    expect(refundedText(payment())).toBeNull();
    expect(refundedText(payment({ status: 'refunded', refundedCents: 10_300 }))).toBeNull();
  });
});

describe('refundTerms', () => {
  it('says how much is refundable and that the surcharge goes back only with a full refund', () => {
    expect(refundTerms(payment())).toEqual([
      'Up to $103.00 can be refunded.',
      'A partial refund returns part of the $100.00 receipt; the $3.00 surcharge goes back only with a full refund of $103.00.',
    ]);
    expect(refundTerms(payment({ refundedCents: 2500 }))[0]).toBe(
      '$25.00 was refunded already; up to $78.00 can still be refunded.',
    );
    expect(refundTerms(payment({ surchargeCents: 0 }))[1]).toBe('A partial refund returns part of the receipt.');
  });
});

describe('refundRequest', () => {
  it('sends the amount only for a refund of less than what is left', () => {
    expect(refundLeft(payment({ refundedCents: 2500 }))).toBe(7800);
    expect(refundRequest(payment(), '25')).toEqual({ cents: 2500, body: { kind: 'refund', amountCents: 2500 } });
    expect(refundRequest(payment(), '103.00')).toEqual({ cents: 10_300, body: { kind: 'refund' } });
    expect(refundRequest(payment({ refundedCents: 2500 }), '$78')).toEqual({ cents: 7800, body: { kind: 'refund' } });
  });

  it('refuses, in the rule’s own words, more than is left or a partial refund that reaches into the surcharge', () => {
    expect(refundRequest(payment(), '103.01')).toEqual({
      error: 'Only $103.00 of this payment can still be refunded.',
    });
    expect(refundRequest(payment(), '101')).toEqual({
      error:
        "A partial refund returns part of the payment's $100.00 receipt; refund all $103.00 to return the surcharge too.",
    });
    expect(refundRequest(payment(), '0').error).toMatch(/more than \$0\.00/);
    expect(refundRequest(payment(), '1.234').error).toMatch(/like 1234\.56/);
  });
});

describe('recordEffectText', () => {
  it('says what happens to the posting record as it now is, naming the reversal record it makes', () => {
    expect(recordEffectText(payment(), 'refund', true)).toBe(
      'Its posting record is posted, so a negative reversal record labelled Refund goes to Pending in Manage Postings for the MMS.',
    );
    expect(recordEffectText(payment({ method: 'echeck', postingStatus: 'queued' }), 'chargeback', false)).toMatch(
      /is queued, so a negative reversal record labelled eCheck return goes/,
    );
    expect(recordEffectText(payment({ postingStatus: 'pending' }), 'refund', true)).toBe(
      'Its pending posting record takes the refund off its receipt and is checked again.',
    );
    expect(recordEffectText(payment({ postingStatus: 'incomplete' }), 'void', false)).toMatch(
      /^Its incomplete posting record is removed/,
    );
    expect(recordEffectText(payment({ postingStatus: 'removed' }), 'refund', false)).toBe(
      'Its posting record is removed: nothing changes in Manage Postings.',
    );
    expect(recordEffectText(payment({ postingRecordId: null, postingStatus: null }), 'void', false)).toBe(
      'The payment has no posting record: nothing changes in Manage Postings.',
    );
  });
});
