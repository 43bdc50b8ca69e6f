import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { linkClosedText, loadProblem, paymentProblem, sentence, WAIT_A_MINUTE } from './problems.ts';

const apiError = (status: number, code: string, message: string) => new ApiError(status, code, message, null);

describe('paymentProblem', () => {
  it("shows a decline in the processor's words", () => {
    const problem = paymentProblem(
      apiError(402, 'card_declined', 'The card was declined. No payment was made; try another card.'),
      'payment',
    );
    expect(problem).toEqual({
      title: 'Payment declined',
      message: 'The card was declined. No payment was made; try another card.',
    });
  });
  it('asks to wait a minute after a 429, whatever was being done', () => {
    expect(paymentProblem(apiError(429, 'rate_limited', 'rate limit'), 'details').message).toBe(WAIT_A_MINUTE);
    expect(paymentProblem(apiError(429, 'rate_limited', 'rate limit'), 'payment').message).toBe(WAIT_A_MINUTE);
    expect(loadProblem(apiError(429, 'rate_limited', 'rate limit')).message).toBe(WAIT_A_MINUTE);
  });
  it('asks to check the details when the tokenizer or the form refuses them', () => {
    expect(paymentProblem(apiError(400, 'bad_request', 'the card has expired'), 'details')).toEqual({
      title: 'Check the payment details',
      message: 'The card has expired.',
    });
    expect(paymentProblem(new Error('Enter the 3 or 4 digit security code.'), 'details').message).toBe(
      'Enter the 3 or 4 digit security code.',
    );
  });
  it('says a closed link cannot be paid, and that a dropped connection never charges twice', () => {
    expect(paymentProblem(apiError(409, 'link_paid', 'this payment link has already been paid'), 'payment')).toEqual({
      title: 'This link cannot be paid',
      message: 'This payment link has already been paid.',
    });
    expect(
      paymentProblem(
        apiError(409, 'link_in_progress', 'a payment on this link is in progress; try again in a few minutes'),
        'payment',
      ).title,
    ).toBe('A payment is already under way');
    expect(paymentProblem(new TypeError('Failed to fetch'), 'payment').message).toMatch(/never charged twice/);
    expect(paymentProblem(apiError(500, 'internal', 'boom'), 'payment').message).not.toContain('boom');
  });
  it('says a payment approved but not yet recorded was charged, and that pressing Pay again finishes it', () => {
    const message =
      'The payment of $300.00 was approved, but so many payments arrived at the same moment that it could not be recorded yet. Press Pay again with the same details to finish: it will not be charged twice.';
    const problem = paymentProblem(apiError(503, 'payment_not_recorded', message), 'payment');
    expect(problem).toEqual({ title: 'Payment approved, not yet recorded', message });
    expect(paymentProblem(apiError(503, 'busy_try_again', 'x'), 'payment').message).toMatch(/nothing was charged/);
  });
});

describe('linkClosedText', () => {
  it('names each reason a link cannot be paid in words', () => {
    expect(linkClosedText(apiError(410, 'link_expired', 'x'), 'quick link')?.title).toBe('This quick link has expired');
    expect(linkClosedText(apiError(410, 'link_cancelled', 'x'), 'quick link')?.title).toBe(
      'This quick link was cancelled',
    );
    expect(linkClosedText(apiError(409, 'link_paid', 'x'), 'payment link')?.title).toBe(
      'This payment link has already been paid',
    );
    expect(linkClosedText(apiError(404, 'not_found', 'x'), 'payment link')?.title).toBe(
      'This payment link does not exist',
    );
    expect(linkClosedText(apiError(500, 'internal', 'x'), 'payment link')).toBeNull();
  });
});

describe('sentence', () => {
  it('capitalises and ends with a full stop once', () => {
    expect(sentence('the card has expired')).toBe('The card has expired.');
    expect(sentence('Done.')).toBe('Done.');
    expect(sentence('')).toBe('');
  });
});
