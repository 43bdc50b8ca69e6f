import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountBoundProblem,
  assertCents,
  basisPointsOf,
  exactSum,
  formatCents,
  formatUsd,
  isBoundedAmount,
  MAX_AMOUNT_CENTS,
  MoneyError,
  parseMoney,
  safeTotal,
  splitCents,
  cents,
  addCents,
  subtractCents,
  negateCents,
  sumCents,
  type Cents,
} from './money.ts';

const safeInteger = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

describe('assertCents', () => {
  it('returns safe integers unchanged', () => {
    expect(assertCents(0)).toBe(0);
    expect(assertCents(-125)).toBe(-125);
    expect(assertCents(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('refuses %s', (value) => {
    expect(() => assertCents(value, 'surcharge')).toThrow(MoneyError);
    expect(() => assertCents(value, 'surcharge')).toThrow(/surcharge/);
  });

  it('carries the invalid_money code', () => {
    const error = captureMoneyError(() => assertCents(1.5));
    expect(error.code).toBe('invalid_money');
  });
});

describe('parseMoney', () => {
  it.each([
    ['0', 0],
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['-0.01', -1],
    ['0.05', 5],
    ['1234.56', 123456],
    ['-12.50', -1250],
    ['-0', 0],
    ['-0.00', 0],
    ['007.10', 710],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('reads %j as %d cents', (text, cents) => {
    expect(Object.is(parseMoney(text), cents)).toBe(true);
  });

  it.each([
    ['', /empty/],
    [' 1.00', /spaces/],
    ['1.00 ', /spaces/],
    ['   ', /spaces/],
    ['1.234', /more than two decimal/],
    ['1e3', /exponent/],
    ['1.5E2', /exponent/],
    ['NaN', /not a number/],
    ['Infinity', /not a number/],
    ['-Infinity', /not a number/],
    ['+5', /'\+' sign/],
    ['1,234.56', /comma/],
    ['90071992547409.92', /too large/],
    ['.5', /not a decimal/],
    ['5.', /not a decimal/],
    ['--1', /not a decimal/],
    ['1.2.3', /not a decimal/],
    ['0x10', /not a decimal/],
    ['١٢', /not a decimal/],
  ])('refuses %j naming the problem', (text, problem) => {
    expect(() => parseMoney(text)).toThrow(MoneyError);
    expect(() => parseMoney(text)).toThrow(problem);
  });

  it('reads back every safe integer it formats', () => {
    fc.assert(fc.property(safeInteger, (cents) => parseMoney(formatCents(cents)) === cents));
  });
});

describe('formatCents', () => {
  it.each([
    [123456, '1234.56'],
    [-1250, '-12.50'],
    [5, '0.05'],
    [-5, '-0.05'],
    [0, '0.00'],
    [100, '1.00'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
    [Number.MIN_SAFE_INTEGER, '-90071992547409.91'],
  ])('formats %d as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it('keeps the cents of large amounts that a float division would round away', () => {
    expect(formatCents(9_007_199_254_740_899)).toBe('90071992547408.99');
  });

  it('refuses a fraction of a cent', () => {
    expect(() => formatCents(1.5)).toThrow(MoneyError);
  });
});

describe('formatUsd', () => {
  it.each([
    [123456, '$1,234.56'],
    [-1250, '-$12.50'],
    [5, '$0.05'],
    [0, '$0.00'],
    [100000000, '$1,000,000.00'],
    [99999, '$999.99'],
    [-123456789, '-$1,234,567.89'],
  ])('formats %d as %s', (cents, text) => {
    expect(formatUsd(cents)).toBe(text);
  });
});

describe('splitCents', () => {
  it('spreads the remainder over the first parts', () => {
    expect(splitCents(cents(100), 3)).toEqual([34, 33, 33]);
    expect(splitCents(cents(101), 3)).toEqual([34, 34, 33]);
    expect(splitCents(cents(-100), 3)).toEqual([-34, -33, -33]);
    expect(splitCents(cents(2), 3)).toEqual([1, 1, 0]);
    expect(splitCents(cents(0), 2)).toEqual([0, 0]);
  });

  it.each([0, -1, 1.5])('refuses %s parts', (parts) => {
    expect(() => splitCents(cents(100), parts)).toThrow(MoneyError);
  });

  it('always sums to the total, with parts at most one cent apart', () => {
    fc.assert(
      fc.property(safeInteger, fc.integer({ min: 1, max: 50 }), (total, parts) => {
        const split = splitCents(cents(total), parts);
        const sum = split.reduce((a, b) => a + BigInt(b), 0n);
        const spread = Math.max(...split) - Math.min(...split);
        return split.length === parts && sum === BigInt(total) && spread <= 1 && split.every(Number.isSafeInteger);
      }),
    );
  });
});

function captureMoneyError(run: () => unknown): MoneyError {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error;
  }
  throw new Error('expected a MoneyError');
}

describe('the bound on one amount (SPEC §2)', () => {
  it('is $100,000,000.00 either side of zero', () => {
    expect(MAX_AMOUNT_CENTS).toBe(10_000_000_000);
    for (const ok of [0, 1, -1, MAX_AMOUNT_CENTS, -MAX_AMOUNT_CENTS])
      expect(isBoundedAmount(ok), String(ok)).toBe(true);
    for (const bad of [
      MAX_AMOUNT_CENTS + 1,
      -MAX_AMOUNT_CENTS - 1,
      Number.MAX_SAFE_INTEGER,
      12.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]) {
      expect(isBoundedAmount(bad), String(bad)).toBe(false);
    }
    expect(amountBoundProblem('the receipt')).toBe(
      'the receipt must be at most $100,000,000.00 (10000000000 cents) in absolute value',
    );
  });

  it('keeps any sum of up to 900,000 bounded amounts exact', () => {
    expect(safeTotal(BigInt(MAX_AMOUNT_CENTS) * 900_000n)).toBe(9_000_000_000_000_000);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -MAX_AMOUNT_CENTS, max: MAX_AMOUNT_CENTS }), { maxLength: 200 }),
        (amounts) => {
          const total = safeTotal(exactSum(amounts));
          expect(total).not.toBeNull();
          expect(BigInt(total!)).toBe(amounts.reduce((sum, a) => sum + BigInt(a), 0n));
        },
      ),
    );
  });

  it('sums exactly past the safe range, and says when a number cannot hold the total', () => {
    const huge = Number.MAX_SAFE_INTEGER;
    expect(exactSum([huge, huge])).toBe(2n * BigInt(huge));
    expect(safeTotal(exactSum([huge, huge]))).toBeNull();
    expect(safeTotal(exactSum([-huge, -huge]))).toBeNull();
    expect(safeTotal(exactSum([huge, huge, -huge]))).toBe(huge);
    expect(safeTotal(0n)).toBe(0);
    expect(() => exactSum([1.5])).toThrow(MoneyError);
  });
});

describe('the Cents brand', () => {
  it.each([1.5, Number.NaN, 2 ** 53])('the guard refuses %s', (value) => {
    expect(() => cents(value)).toThrow(MoneyError);
    expect(() => assertCents(value, 'receipt')).toThrow(/receipt must be a whole number of cents/);
  });

  it('is checked at compile time: a plain number is not Cents', () => {
    const takesCents = (amount: Cents): Cents => amount;
    const plain: number = 125;
    // @ts-expect-error a plain number must go through cents() or assertCents() first
    expect(takesCents(plain)).toBe(125);
    expect(takesCents(cents(plain))).toBe(125);
    // Arithmetic gives a plain number back; the checked helpers give Cents.
    // @ts-expect-error the sum of two Cents is a number until checked
    takesCents(cents(1) + cents(2));
    expect(takesCents(addCents(cents(1), cents(2)))).toBe(3);
  });

  it('the checked helpers return Cents and throw outside the safe range', () => {
    expect(subtractCents(cents(5), cents(7))).toBe(-2);
    expect(Object.is(negateCents(cents(0)), 0)).toBe(true);
    expect(negateCents(cents(12))).toBe(-12);
    expect(sumCents([cents(1), cents(2), cents(3)])).toBe(6);
    expect(() => addCents(cents(Number.MAX_SAFE_INTEGER), cents(1))).toThrow(MoneyError);
    expect(() => sumCents([cents(Number.MAX_SAFE_INTEGER), cents(Number.MAX_SAFE_INTEGER)])).toThrow(MoneyError);
  });
});

describe('basisPointsOf', () => {
  it('takes a rate in whole cents, rounded half up', () => {
    expect(basisPointsOf(cents(10_000), 290)).toBe(290);
    expect(basisPointsOf(cents(50), 100)).toBe(1);
    expect(basisPointsOf(cents(49), 100)).toBe(0);
  });

  it('refuses a negative amount and a rate out of range', () => {
    expect(() => basisPointsOf(cents(-1), 100)).toThrow(/positive/);
    expect(() => basisPointsOf(cents(1), 10_001)).toThrow(/basis points/);
  });
});
