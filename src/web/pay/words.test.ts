import { describe, expect, it } from 'vitest';
import { endSentence, paidWithText } from './words.ts';

describe('paidWithText', () => {
  it('names the card brand and the last 4, or the bank account', () => {
    expect(paidWithText('card', 'visa', '4242')).toBe('Visa ending in 4242');
    expect(paidWithText('card', 'amex', '0005')).toBe('American Express ending in 0005');
    expect(paidWithText('card', 'jcb', '0000')).toBe('Jcb ending in 0000');
    expect(paidWithText('echeck', 'bank', '6789')).toBe('eCheck from the bank account ending in 6789');
  });
});

describe('endSentence', () => {
  it('adds a period unless the text already ends a sentence', () => {
    expect(endSentence('Ana Ruiz')).toBe('Ana Ruiz.');
    expect(endSentence('Harold Finney Jr.')).toBe('Harold Finney Jr.');
    expect(endSentence('Done! ')).toBe('Done!');
  });
});
