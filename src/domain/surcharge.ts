import { assertCents, basisPointsOf, MoneyError, type Cents } from './money.ts';
import type { CardFunding, Method } from './types.ts';

/**
 * The most a surcharge may be, in basis points of the receipt: card-network rules cap a
 * credit card surcharge at 3%, and a payment page set above it is refused.
 */
export const MAX_SURCHARGE_BPS = 300;

/**
 * A payment page's surcharge on a receipt, in basis points (300 = 3%), in whole cents
 * rounded half up (basisPointsOf).
 */
export function surchargeCents(receiptCents: Cents, bps: number): Cents {
  assertCents(receiptCents, 'receipt');
  if (receiptCents < 0) throw new MoneyError(`a surcharge is charged on a positive receipt, not ${receiptCents}`);
  if (!Number.isSafeInteger(bps) || bps < 0 || bps > 10_000)
    throw new MoneyError(`surcharge basis points must be 0 to 10000, not ${bps}`);
  return basisPointsOf(receiptCents, bps);
}

/** What the processor says of the card or account paid with. */
export interface FundingSource {
  method: Method;
  /** A card's funding; null for an eCheck, or where the origin did not report it. */
  funding: CardFunding | null;
}

/**
 * SPEC §3.6: a surcharge is charged on a credit card only, never on a debit or prepaid
 * card or an eCheck. A card whose funding nobody reported is not surcharged either: a
 * page cannot know it may.
 */
export function surchargeApplies(source: FundingSource): boolean {
  return source.method === 'card' && source.funding === 'credit';
}

/** The surcharge a payment page charges on a receipt paid from this source. */
export function pageSurchargeCents(receiptCents: Cents, bps: number, source: FundingSource): Cents {
  return surchargeCents(receiptCents, surchargeApplies(source) ? Math.min(bps, MAX_SURCHARGE_BPS) : 0);
}

/**
 * Why a surcharge reported with a payment taken in (POST /payments, the processor's
 * event) cannot be accepted, or null when it can. A card whose funding the origin did not
 * report is taken at its word, within the cap; one it reports as debit or prepaid is not.
 */
export function surchargeProblem(surcharge: Cents, receiptCents: Cents, source: FundingSource): string | null {
  if (surcharge === 0) return null;
  if (source.method === 'echeck') return 'an eCheck payment carries no surcharge: only a credit card may be surcharged';
  if (source.funding !== null && source.funding !== 'credit')
    return `a ${source.funding} card carries no surcharge: only a credit card may be surcharged`;
  if (receiptCents <= 0 || surcharge > surchargeCents(receiptCents, MAX_SURCHARGE_BPS))
    return `the surcharge is more than ${MAX_SURCHARGE_BPS / 100}% of the payment less the surcharge`;
  return null;
}
