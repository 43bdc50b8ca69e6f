import { assertCents, cents, MoneyError, type Cents } from './money.ts';

/**
 * A payment page's surcharge on a receipt, in basis points (300 = 3%), in whole cents
 * rounded half up: 0.5 cent and more rounds up, less rounds down. Computed in BigInt so
 * no float ever holds the amount: 10,001 cents at 300 bps is 300.03 → 300 cents;
 * 50 cents at 100 bps is 0.5 → 1 cent.
 */
export function surchargeCents(receiptCents: Cents, bps: number): Cents {
  assertCents(receiptCents, 'receipt');
  if (receiptCents < 0) throw new MoneyError(`a surcharge is charged on a positive receipt, not ${receiptCents}`);
  if (!Number.isSafeInteger(bps) || bps < 0 || bps > 10_000)
    throw new MoneyError(`surcharge basis points must be 0 to 10000, not ${bps}`);
  const scaled = BigInt(receiptCents) * BigInt(bps);
  return cents(Number((scaled + 5_000n) / 10_000n), 'surcharge');
}
