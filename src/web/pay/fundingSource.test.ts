import { describe, expect, it } from 'vitest';
import { appliedBps, binOf, surchargeNote } from './fundingSource.ts';

describe("the payer's surcharge as the card number says it", () => {
  it('reads the BIN once six digits are typed, spaces and dashes aside', () => {
    expect(binOf('4242 4')).toBeNull();
    expect(binOf('4242 42')).toBe('424242');
    expect(binOf('4000-0566-5566-5556')).toBe('400005');
    expect(binOf('42x242')).toBeNull();
  });

  it("charges the page's rate on a credit card only", () => {
    expect(appliedBps(300, { method: 'card', funding: 'credit' })).toBe(300);
    expect(appliedBps(300, { method: 'card', funding: 'debit' })).toBe(0);
    expect(appliedBps(300, { method: 'card', funding: 'prepaid' })).toBe(0);
    expect(appliedBps(300, { method: 'echeck', funding: null })).toBe(0);
    expect(appliedBps(300, null)).toBe(0);
  });

  it('says whether a surcharge applies: before the card is known, for credit, debit, prepaid and eCheck', () => {
    expect(surchargeNote(0, null)).toBeNull();
    expect(surchargeNote(300, null)).toMatch(/3% is added to credit card payments.*none on a debit or prepaid/);
    expect(surchargeNote(300, { method: 'card', funding: 'credit' })).toBe(
      'A surcharge of 3% is added to this credit card payment.',
    );
    expect(surchargeNote(250, { method: 'card', funding: 'debit' })).toBe('No surcharge on a debit card.');
    expect(surchargeNote(250, { method: 'card', funding: 'prepaid' })).toBe('No surcharge on a prepaid card.');
    expect(surchargeNote(250, { method: 'echeck', funding: null })).toBe('No surcharge on an eCheck.');
  });
});
