import { cents } from './money.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_SURCHARGE_BPS,
  pageSurchargeCents,
  surchargeApplies,
  surchargeCents,
  surchargeProblem,
} from './surcharge.ts';
import { CARD_FUNDINGS } from './types.ts';

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

describe('who is surcharged (SPEC §3.6)', () => {
  const credit = { method: 'card', funding: 'credit' } as const;
  const debit = { method: 'card', funding: 'debit' } as const;
  const prepaid = { method: 'card', funding: 'prepaid' } as const;
  const echeck = { method: 'echeck', funding: null } as const;
  const unreported = { method: 'card', funding: null } as const;

  it('applies to a credit card only: never a debit or prepaid card, an eCheck, or a card of unknown funding', () => {
    expect(surchargeApplies(credit)).toBe(true);
    for (const source of [debit, prepaid, echeck, unreported]) expect(surchargeApplies(source)).toBe(false);
  });

  it('a page charges its rate on a credit card, nothing on anything else, and never more than 300 bps', () => {
    expect(pageSurchargeCents(cents(10_000), 300, credit)).toBe(300);
    expect(pageSurchargeCents(cents(10_000), 300, debit)).toBe(0);
    expect(pageSurchargeCents(cents(10_000), 300, prepaid)).toBe(0);
    expect(pageSurchargeCents(cents(10_000), 300, echeck)).toBe(0);
    // A page stored above the cap before the cap existed still charges no more than it.
    expect(pageSurchargeCents(cents(10_000), 400, credit)).toBe(300);
  });

  it('refuses a surcharge taken in on an eCheck, a debit or prepaid card, or above 3% of the receipt', () => {
    expect(surchargeProblem(cents(1), cents(100), echeck)).toMatch(/eCheck/);
    expect(surchargeProblem(cents(1), cents(100), debit)).toMatch(/debit card/);
    expect(surchargeProblem(cents(1), cents(100), prepaid)).toMatch(/prepaid card/);
    expect(surchargeProblem(cents(301), cents(10_000), credit)).toMatch(/3%/);
    expect(surchargeProblem(cents(300), cents(10_000), credit)).toBeNull();
    expect(surchargeProblem(cents(300), cents(10_000), unreported)).toBeNull();
    expect(surchargeProblem(cents(0), cents(10_000), echeck)).toBeNull();
  });

  it('accepts exactly what a page at the cap charges on any receipt, and not one cent more', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000_000 }),
        fc.constantFrom(...CARD_FUNDINGS),
        (receipt, funding) => {
          const source = { method: 'card', funding } as const;
          const charged = pageSurchargeCents(cents(receipt), MAX_SURCHARGE_BPS, source);
          expect(surchargeProblem(charged, cents(receipt), source)).toBeNull();
          expect(surchargeProblem(cents(charged + 1), cents(receipt), source)).not.toBeNull();
        },
      ),
    );
  });
});
