import { cents } from './money.ts';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  linesLeft,
  partialReversalAllocations,
  reducedAllocations,
  reversalAllocations,
  reversalEffect,
} from './reversal.ts';
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

describe('partial refunds against the lines (SPEC §3.5)', () => {
  const line = (invoiceNumber: string, amount: number): Allocation => ({
    invoiceNumber,
    clientNumber: 'C1',
    matterNumber: 'M1',
    amountCents: cents(amount),
  });
  const original = [line('INV-1', 7_000), line('INV-2', 3_000)];

  it('takes a partial reversal from the last line back, in the lines order', () => {
    expect(partialReversalAllocations(original, cents(2_000))).toEqual([line('INV-2', -2_000)]);
    expect(partialReversalAllocations(original, cents(4_500))).toEqual([line('INV-1', -1_500), line('INV-2', -3_000)]);
    expect(() => partialReversalAllocations(original, cents(10_001))).toThrow(/cannot take/);
  });

  it('reduces a record not yet queued from the last line back, dropping a line brought to zero', () => {
    expect(reducedAllocations(original, cents(1_000))).toEqual([line('INV-1', 7_000), line('INV-2', 2_000)]);
    expect(reducedAllocations(original, cents(3_000))).toEqual([line('INV-1', 7_000)]);
    expect(reducedAllocations(original, cents(5_000))).toEqual([line('INV-1', 5_000)]);
  });

  it('knows what is left of each line after earlier reversals, so the rest is reversed once', () => {
    const first = partialReversalAllocations(original, cents(4_500));
    const left = linesLeft(original, first);
    expect(left).toEqual([line('INV-1', 5_500), line('INV-2', 0)]);
    const second = partialReversalAllocations(left, cents(500));
    expect(second).toEqual([line('INV-1', -500)]);
    expect(linesLeft(original, [...first, ...second])).toEqual([line('INV-1', 5_000), line('INV-2', 0)]);
  });

  it('never reverses more than the original holds, whatever partial amounts come in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 4_000 }), { maxLength: 6 }),
        (amounts, refunds) => {
          const lines = amounts.map((a, i) => line(`INV-${i}`, a));
          const total = amounts.reduce((sum, a) => sum + a, 0);
          const reversals: Allocation[] = [];
          let refunded = 0;
          for (const refund of refunds) {
            if (refunded + refund > total) continue;
            reversals.push(...partialReversalAllocations(linesLeft(lines, reversals), cents(refund)));
            refunded += refund;
          }
          const left = linesLeft(lines, reversals);
          expect(left.reduce((sum, l) => sum + l.amountCents, 0)).toBe(total - refunded);
          left.forEach((l, i) => {
            expect(l.amountCents).toBeGreaterThanOrEqual(0);
            expect(l.amountCents).toBeLessThanOrEqual(amounts[i]!);
          });
        },
      ),
    );
  });
});
