import { describe, expect, it } from 'vitest';
import { approvedNotRecorded, declined } from './charges.ts';

describe('declined', () => {
  it('says which was declined and why, and that nothing was kept', () => {
    const card = declined({ method: 'card', declineReason: 'insufficient funds' });
    expect(card.code).toBe('card_declined');
    expect(card.message).toBe('The card was declined (insufficient funds). No payment was made; try another card.');
    expect(card.details).toEqual({ declineReason: 'insufficient funds' });
    // The processor's bare "card declined" is not repeated: the sentence says it already.
    const bare = declined({ method: 'card', declineReason: 'card declined' });
    expect(bare.message).toBe('The card was declined. No payment was made; try another card.');
    expect(bare.details).toEqual({ declineReason: 'card declined' });
    const echeck = declined({ method: 'echeck' });
    expect(echeck.code).toBe('echeck_declined');
    expect(echeck.message).toBe('The bank account was declined. No payment was made; try another bank account.');
    expect(echeck.details).toEqual({ declineReason: null });
  });
});

describe('approvedNotRecorded', () => {
  it('tells the payer to send the same request again, which charges nothing more', () => {
    const error = approvedNotRecorded({ processorId: 'ch_1' }, 12345);
    expect(error.code).toBe('payment_not_recorded');
    expect(error.message).toContain('The payment of $123.45 was approved');
    expect(error.message).toContain('it will not be charged twice');
    expect(error.details).toEqual({ retryable: true, processorId: 'ch_1' });
  });
});
