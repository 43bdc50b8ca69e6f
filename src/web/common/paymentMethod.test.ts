import { describe, expect, it } from 'vitest';
import { EMPTY_PAYMENT_METHOD, parseExpiry, paymentMethodProblem } from './paymentMethod.ts';

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
    expect(paymentMethodProblem({ ...EMPTY_PAYMENT_METHOD, method: 'echeck', routingNumber: '110000000', accountNumber: '000123456789' })).toBeNull();
  });
  it('names the field that is missing or malformed', () => {
    expect(paymentMethodProblem({ ...card, cardNumber: '4242' })).toMatch(/card number/);
    expect(paymentMethodProblem({ ...card, expiry: '1230' })).toMatch(/expiry/);
    expect(paymentMethodProblem({ ...card, cvc: '12' })).toMatch(/security code/);
    expect(paymentMethodProblem({ ...EMPTY_PAYMENT_METHOD, method: 'echeck', routingNumber: '11000000', accountNumber: '000123456789' })).toMatch(/routing/);
    expect(paymentMethodProblem({ ...EMPTY_PAYMENT_METHOD, method: 'echeck', routingNumber: '110000000', accountNumber: '12' })).toMatch(/account number/);
  });
});
