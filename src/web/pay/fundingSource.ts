import { surchargeApplies, type FundingSource } from '../../domain/surcharge.ts';
import { call } from '../api/call.ts';
import type { PaymentMethodDraft } from '../common/paymentMethod.ts';
import { percentText } from './amounts.ts';
import { useLoad } from './useAsync.ts';

/** The first six digits of a card number as typed: its BIN, which says the card's funding. */
export function binOf(cardNumber: string): string | null {
  const digits = cardNumber.replace(/[\s-]/g, '');
  return /^\d{6}/.test(digits) ? digits.slice(0, 6) : null;
}

/**
 * What the processor says of the card or account typed so far: an eCheck at once, a card
 * once its first six digits are in (the processor's BIN lookup). `source` is null while
 * that is not known; `checking` while the lookup is under way.
 */
export function useFundingSource(draft: PaymentMethodDraft): { source: FundingSource | null; checking: boolean } {
  const bin = draft.method === 'card' ? binOf(draft.cardNumber) : null;
  const lookup = useLoad(bin, () => call('GET /sandbox/bins/:bin', { params: { bin: bin! } }));
  if (draft.method === 'echeck') return { source: { method: 'echeck', funding: null }, checking: false };
  if (bin === null || lookup.status === 'failed') return { source: null, checking: false };
  if (lookup.status === 'pending') return { source: null, checking: true };
  return { source: { method: 'card', funding: lookup.data.funding }, checking: false };
}

/** The basis points a page charges on this source: its rate on a credit card, nothing on anything else. */
export function appliedBps(pageBps: number, source: FundingSource | null): number {
  return source !== null && surchargeApplies(source) ? pageBps : 0;
}

/** What the payer reads about the page's surcharge, as far as the card or account typed says. */
export function surchargeNote(pageBps: number, source: FundingSource | null): string | null {
  if (pageBps === 0) return null;
  const rate = percentText(pageBps);
  if (source === null)
    return `A surcharge of ${rate} is added to credit card payments. There is none on a debit or prepaid card or an eCheck.`;
  if (source.method === 'echeck') return 'No surcharge on an eCheck.';
  if (surchargeApplies(source)) return `A surcharge of ${rate} is added to this credit card payment.`;
  return `No surcharge on a ${source.funding ?? 'debit'} card.`;
}
