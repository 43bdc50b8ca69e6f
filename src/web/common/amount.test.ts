import { describe, expect, it } from 'vitest';
import { amountLabel, requiredAmount } from './amount.ts';

describe('requiredAmount', () => {
  it('reads dollars as exact cents, forgiving a $ and thousands commas', () => {
    expect(requiredAmount('1500')).toEqual({ cents: 150_000 });
    expect(requiredAmount('$1,234.5')).toEqual({ cents: 123_450 });
    expect(requiredAmount(' 0.29 ')).toEqual({ cents: 29 });
  });

  it('says what is wrong with an empty, zero, negative or inexact amount', () => {
    expect(requiredAmount('').error).toBe('Enter the amount.');
    expect(requiredAmount('0.00').error).toMatch(/more than \$0\.00/);
    expect(requiredAmount('-5').error).toMatch(/more than \$0\.00/);
    expect(requiredAmount('1.005').error).toMatch(/like 1234\.56/);
    expect(requiredAmount('1e3').error).toMatch(/like 1234\.56/);
  });
});

describe('amountLabel', () => {
  it('formats a valid amount and falls back otherwise', () => {
    expect(amountLabel('1234.5')).toBe('$1,234.50');
    expect(amountLabel('abc', 'payment')).toBe('payment');
  });
});
