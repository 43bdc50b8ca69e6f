import { describe, expect, it } from 'vitest';
import { EMPTY_PAYMENT_METHOD, parseExpiry, paymentMethodProblem, tokenForAttempts } from './paymentMethod.ts';

describe('parseExpiry', () => {
  it('reads MM/YY and MM/YYYY', () => {
    expect(parseExpiry('04/29')).toEqual({ expMonth: 4, expYear: 2029 });
    expect(parseExpiry(' 4 / 2031 ')).toEqual({ expMonth: 4, expYear: 2031 });
  });
  it('refuses a month out of range or another shape', () => {
    expect(parseExpiry('13/29')).toBeNull();
    expect(parseExpiry('00/29')).toBeNull();
    expect(parseExpiry('0429')).toBeNull();
    expect(parseExpiry('04/291')).toBeNull();
  });
});

describe('paymentMethodProblem', () => {
  const card = { ...EMPTY_PAYMENT_METHOD, cardNumber: '4242 4242 4242 4242', expiry: '12/30', cvc: '123' };
  it('accepts a complete card and a complete bank account', () => {
    expect(paymentMethodProblem(card)).toBeNull();
    expect(
      paymentMethodProblem({
        ...EMPTY_PAYMENT_METHOD,
        method: 'echeck',
        routingNumber: '110000000',
        accountNumber: '000123456789',
      }),
    ).toBeNull();
  });
  it('names the field that is missing or malformed', () => {
    expect(paymentMethodProblem({ ...card, cardNumber: '4242' })).toMatch(/card number/);
    expect(paymentMethodProblem({ ...card, expiry: '1230' })).toMatch(/expiry/);
    expect(paymentMethodProblem({ ...card, cvc: '12' })).toMatch(/security code/);
    expect(
      paymentMethodProblem({
        ...EMPTY_PAYMENT_METHOD,
        method: 'echeck',
        routingNumber: '11000000',
        accountNumber: '000123456789',
      }),
    ).toMatch(/routing/);
    expect(
      paymentMethodProblem({
        ...EMPTY_PAYMENT_METHOD,
        method: 'echeck',
        routingNumber: '110000000',
        accountNumber: '12',
      }),
    ).toMatch(/account number/);
  });
});

describe('tokenForAttempts', () => {
  const card = { ...EMPTY_PAYMENT_METHOD, cardNumber: '4242 4242 4242 4242', expiry: '12/30', cvc: '123' };
  it('answers the same token for the same details and request, a new one when either changes', async () => {
    let made = 0;
    const tokenFor = tokenForAttempts(async (draft) => ({
      token: `tok_${(made += 1)}`,
      brand: 'visa',
      last4: draft.cardNumber.slice(-4),
      method: 'card',
      funding: 'credit',
    }));
    const first = await tokenFor(card, { allocations: [['INV-1', 100]] });
    expect(await tokenFor(card, { allocations: [['INV-1', 100]] })).toBe(first);
    expect((await tokenFor(card, { allocations: [['INV-1', 200]] })).token).toBe('tok_2');
    expect(
      (await tokenFor({ ...card, cardNumber: '5555 5555 5555 4444' }, { allocations: [['INV-1', 200]] })).token,
    ).toBe('tok_3');
  });
  it('tries the tokenizer again after it failed', async () => {
    let calls = 0;
    const tokenFor = tokenForAttempts(async () => {
      calls += 1;
      if (calls === 1) throw new Error('offline');
      return { token: 'tok', brand: 'visa', last4: '4242', method: 'card', funding: 'credit' };
    });
    await expect(tokenFor(card, {})).rejects.toThrow('offline');
    expect((await tokenFor(card, {})).token).toBe('tok');
  });
});
