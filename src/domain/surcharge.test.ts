import { cents } from './money.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { surchargeCents } from './surcharge.ts';

describe('surchargeCents', () => {
  it('rounds half up to whole cents', () => {
    expect(surchargeCents(cents(10_000), 300)).toBe(300);
    expect(surchargeCents(cents(10_001), 300)).toBe(300); // 300.03
    expect(surchargeCents(cents(10_017), 300)).toBe(301); // 300.51
    expect(surchargeCents(cents(50), 100)).toBe(1); // 0.5 rounds up
    expect(surchargeCents(cents(49), 100)).toBe(0); // 0.49 rounds down
    expect(surchargeCents(cents(12_345), 0)).toBe(0);
    expect(surchargeCents(cents(0), 300)).toBe(0);
  });

  it('is exact for amounts a float would round', () => {
    expect(surchargeCents(cents(Number.MAX_SAFE_INTEGER), 1000)).toBe(900_719_925_474_099);
  });

  it('refuses fractions, negatives and out-of-range rates', () => {
    // @ts-expect-error a plain number is not Cents; surchargeCents still checks at run time
    expect(() => surchargeCents(10.5, 300)).toThrow(/whole number/);
    expect(() => surchargeCents(cents(-1), 300)).toThrow(/positive/);
    expect(() => surchargeCents(cents(100), 10_001)).toThrow(/basis points/);
  });

  it('matches half-up rounding of the exact fraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 1000 }), (receipt, bps) => {
        const exact = receipt * bps; // below 2^53 here
        const expected = Math.floor(exact / 10_000) + (exact % 10_000 >= 5_000 ? 1 : 0);
        expect(surchargeCents(cents(receipt), bps)).toBe(expected);
      }),
    );
  });
});
