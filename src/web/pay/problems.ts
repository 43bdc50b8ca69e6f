import { ApiError } from '../api/client.ts';

/** What went wrong, for a payer: a heading and a sentence, never a code. */
export interface Problem {
  title: string;
  message: string;
}

/** "the card has expired" → "The card has expired." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export const WAIT_A_MINUTE = 'Too many requests came from this connection. Wait a minute, then try again.';

/**
 * Why a payment did not go through. `stage` says whether the card or bank details were
 * being checked (the processor's tokenizer, or the form itself) or the payment was being
 * made, since "check the card number" and "the card was declined" ask different things.
 */
export function paymentProblem(error: unknown, stage: 'details' | 'payment'): Problem {
  if (error instanceof ApiError) {
    if (error.status === 429) return { title: 'Please wait a minute', message: WAIT_A_MINUTE };
    if (error.status === 402) return { title: 'Payment declined', message: sentence(error.message) };
    // Approved at the processor but not yet recorded: the same Pay press finishes it, uncharged again.
    if (error.code === 'payment_not_recorded')
      return { title: 'Payment approved, not yet recorded', message: sentence(error.message) };
    if (error.status >= 500)
      return {
        title: 'The payment could not be made',
        message: 'Something went wrong on our side and nothing was charged. Try again in a few minutes.',
      };
    if (stage === 'details') return { title: 'Check the payment details', message: sentence(error.message) };
    if (error.code === 'link_in_progress')
      return { title: 'A payment is already under way', message: sentence(error.message) };
    if (error.status === 409 || error.status === 410)
      return { title: 'This link cannot be paid', message: sentence(error.message) };
    return { title: 'The payment could not be made', message: sentence(error.message) };
  }
  if (error instanceof TypeError) {
    return {
      title: 'No connection',
      message:
        'The payment service could not be reached. Check your connection and press Pay again: the same payment is never charged twice.',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    title: stage === 'details' ? 'Check the payment details' : 'The payment could not be made',
    message: sentence(message),
  };
}

/** Why a lookup or a page's loading failed, in the same plain words. */
export function loadProblem(error: unknown): Problem {
  if (error instanceof ApiError) {
    if (error.status === 429) return { title: 'Please wait a minute', message: WAIT_A_MINUTE };
    if (error.status >= 500)
      return {
        title: 'Something went wrong',
        message: 'Something went wrong on our side. Try again in a few minutes.',
      };
    return {
      title: error.status === 404 ? 'Nothing found' : 'Check what you entered',
      message: sentence(error.message),
    };
  }
  if (error instanceof TypeError)
    return {
      title: 'No connection',
      message: 'The payment service could not be reached. Check your connection and try again.',
    };
  return { title: 'Something went wrong', message: sentence(error instanceof Error ? error.message : String(error)) };
}

/** Why a payment or quick link cannot be opened, from the server's refusal. */
export function linkClosedText(
  error: unknown,
  what: 'payment link' | 'quick link',
): { title: string; message: string } | null {
  if (!(error instanceof ApiError)) return null;
  switch (error.code) {
    case 'link_expired':
      return {
        title: `This ${what} has expired`,
        message: 'It can no longer be paid. Ask the firm to send you a new one.',
      };
    case 'link_cancelled':
      return {
        title: `This ${what} was cancelled`,
        message: 'The firm cancelled it, so it can no longer be paid. Contact the firm if you still want to pay.',
      };
    case 'link_paid':
      return { title: `This ${what} has already been paid`, message: 'Nothing more is due on it.' };
    case 'not_found':
      return {
        title: `This ${what} does not exist`,
        message: 'Check the address in the email or message the firm sent you.',
      };
    default:
      return null;
  }
}
