import { cents } from './money.ts';
import { describe, expect, it } from 'vitest';
import { reversalAllocations, reversalEffect } from './reversal.ts';
import type { Allocation } from './types.ts';

describe('reversalAllocations', () => {
  it('flips every sign and keeps the order and parties', () => {
    const original: Allocation[] = [
      { invoiceNumber: 'INV-2', clientNumber: 'C1', matterNumber: 'M1', amountCents: cents(7000) },
      { invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M2', amountCents: cents(3000) },
    ];
    expect(reversalAllocations(original)).toEqual([
      { invoiceNumber: 'INV-2', clientNumber: 'C1', matterNumber: 'M1', amountCents: -7000 },
      { invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M2', amountCents: -3000 },
    ]);
    expect(original[0]?.amountCents).toBe(7000);
  });

  it('reverses a trust deposit to the same matter', () => {
    const trust: Allocation = {
      invoiceNumber: null,
      clientNumber: 'C9',
      matterNumber: 'M9',
      amountCents: cents(50000),
    };
    expect(reversalAllocations([trust])).toEqual([{ ...trust, amountCents: -50000 }]);
  });
});

describe('reversalEffect', () => {
  it.each([
    ['pending', 'remove'],
    ['incomplete', 'remove'],
    ['queued', 'create_reversal'],
    ['posted', 'create_reversal'],
    ['removed', 'none'],
  ] as const)('%s → %s', (status, effect) => {
    expect(reversalEffect(status)).toBe(effect);
  });
});
