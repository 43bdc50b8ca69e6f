import { describe, expect, it } from 'vitest';
import { luhnValid, routingNumberValid, TEST_CARDS, TEST_ROUTING_NUMBER } from './test-numbers.ts';

describe('sandbox test numbers', () => {
  it('are all valid card numbers', () => {
    for (const card of TEST_CARDS) expect(luhnValid(card.number), card.number).toBe(true);
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
