import { describe, expect, it } from 'vitest';
import {
  BIN_LENGTH,
  binFacts,
  luhnValid,
  routingNumberValid,
  TEST_CARDS,
  TEST_ROUTING_NUMBER,
} from './test-numbers.ts';

describe('sandbox test numbers', () => {
  it('are all valid card numbers', () => {
    for (const card of TEST_CARDS) expect(luhnValid(card.number), card.number).toBe(true);
  });

  it('has credit, debit and prepaid cards, and one BIN names one brand and funding', () => {
    expect(new Set(TEST_CARDS.map((c) => c.funding))).toEqual(new Set(['credit', 'debit', 'prepaid']));
    for (const card of TEST_CARDS) {
      expect(binFacts(card.number.slice(0, BIN_LENGTH))).toEqual({ brand: card.brand, funding: card.funding });
      expect(binFacts(card.number)).toEqual({ brand: card.brand, funding: card.funding });
    }
    expect(binFacts('40000')).toBeNull(); // too few digits to say
    expect(binFacts('999999')).toBeNull();
  });

  it('refuses a number whose check digit is wrong, or that is not a card number', () => {
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('4242')).toBe(false);
    expect(luhnValid('4242 4242 4242 4242')).toBe(false); // spaces are removed before, not here
  });

  it('checks routing numbers with the ABA 3-7-1 weights', () => {
    expect(routingNumberValid(TEST_ROUTING_NUMBER)).toBe(true);
    expect(routingNumberValid('021000021')).toBe(true);
    expect(routingNumberValid('110000001')).toBe(false);
    expect(routingNumberValid('11000000')).toBe(false);
  });
});
