import type { z } from 'zod';
import type { sandboxTokenOut } from '../../contract/sandbox.ts';
import { call } from '../api/call.ts';

/** What the processor's tokenizer answers: the only trace of the card or account we keep. */
export type PaymentToken = z.output<typeof sandboxTokenOut>;
export type PaymentMethod = PaymentToken['method'];

/**
 * The card or bank details as typed. They live in the browser only: `tokenize` sends them
 * to the processor's tokenizer and every paybridge route gets the token instead.
 */
export interface PaymentMethodDraft {
  method: PaymentMethod;
  cardNumber: string;
  expiry: string;
  cvc: string;
  routingNumber: string;
  accountNumber: string;
}

export const EMPTY_PAYMENT_METHOD: PaymentMethodDraft = {
  method: 'card',
  cardNumber: '',
  expiry: '',
  cvc: '',
  routingNumber: '',
  accountNumber: '',
};

/** Says what is missing or malformed before anything is sent, or null when the draft can be tokenized. */
export function paymentMethodProblem(draft: PaymentMethodDraft): string | null {
  if (draft.method === 'card') {
    const digits = draft.cardNumber.replace(/[\s-]/g, '');
    if (!/^\d{12,19}$/.test(digits)) return 'Enter the card number: 12 to 19 digits.';
    if (!parseExpiry(draft.expiry)) return 'Enter the expiry date as MM/YY.';
    if (!/^\d{3,4}$/.test(draft.cvc.trim())) return 'Enter the 3 or 4 digit security code.';
    return null;
  }
  if (!/^\d{9}$/.test(draft.routingNumber.trim())) return 'Enter the 9 digit routing number.';
  if (!/^\d{4,17}$/.test(draft.accountNumber.trim())) return 'Enter the account number: 4 to 17 digits.';
  return null;
}

/** `MM/YY` or `MM/YYYY` to a month and a four-digit year; null when it is neither. */
export function parseExpiry(text: string): { expMonth: number; expYear: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return null;
  const expMonth = Number(match[1]);
  const year = Number(match[2]);
  if (expMonth < 1 || expMonth > 12) return null;
  return { expMonth, expYear: match[2]!.length === 2 ? 2000 + year : year };
}

/** Sends the details to the processor's tokenizer (the sandbox here) and answers its token. */
export async function tokenize(draft: PaymentMethodDraft): Promise<PaymentToken> {
  const problem = paymentMethodProblem(draft);
  if (problem) throw new Error(problem);
  const body =
    draft.method === 'card'
      ? { cardNumber: draft.cardNumber.trim(), ...parseExpiry(draft.expiry)!, cvc: draft.cvc.trim() }
      : { routingNumber: draft.routingNumber.trim(), accountNumber: draft.accountNumber.trim() };
  return call('POST /sandbox/tokens', { body });
}

/**
 * Tokens for one form's payment attempts: the same token while the card or bank details
 * and the rest of the request stay the same, so pressing Pay again after an answer that
 * may come after a charge (a dropped connection, or 503 payment_not_recorded: approved
 * but not yet recorded) charges at most once, since the server keys the charge by the
 * token. Changing either makes a new token.
 */
export function tokenForAttempts(tokenizer: (draft: PaymentMethodDraft) => Promise<PaymentToken> = tokenize) {
  let last: { key: string; token: PaymentToken } | null = null;
  return async (draft: PaymentMethodDraft, request: unknown): Promise<PaymentToken> => {
    const key = JSON.stringify([draft, request]);
    if (last?.key !== key) last = { key, token: await tokenizer(draft) };
    return last.token;
  };
}
