import { describe, expect, it } from 'vitest';
import { refusalOf } from './errors.test-support.ts';
import { intakeOf, pageRefusal, type PaymentTerms } from './intake.ts';
import { cents } from './money.ts';

const payment = (overrides: Partial<PaymentTerms> = {}): PaymentTerms => ({
  origin: 'connect',
  amountCents: cents(10300),
  method: 'card',
  account: 'operating',
  payerName: '  Ada Payer ',
  ...overrides,
});

describe('intakeOf', () => {
  it('keeps the payment trimmed, and gives its record the receipt: the amount less the surcharge', () => {
    const intake = intakeOf(
      payment({
        surchargeCents: cents(300),
        invoiceNumbers: [' INV-1 ', '', 'INV-2'],
        clientNumber: 'C1',
        allocations: [{ invoiceNumber: 'INV-1', clientNumber: null, matterNumber: null, amountCents: cents(10000) }],
      }),
    );
    expect(intake.surchargeCents).toBe(300);
    expect(intake.payerName).toBe('Ada Payer');
    expect(intake.invoiceNumbers).toEqual(['INV-1', 'INV-2']);
    expect(intake.terms).toEqual({
      account: 'operating',
      receiptCents: 10000,
      invoiceNumbers: ['INV-1', 'INV-2'],
      clientNumber: 'C1',
      matterNumber: null,
      payerAllocations: [{ invoiceNumber: 'INV-1', clientNumber: null, matterNumber: null, amountCents: 10000 }],
      reallocation: null,
      clientMismatchAccepted: false,
      rejectedByMms: false,
    });
  });

  it('takes no surcharge as none', () => {
    expect(intakeOf(payment()).terms.receiptCents).toBe(10300);
    expect(intakeOf(payment()).surchargeCents).toBe(0);
  });

  it('refuses a surcharge of the whole amount or more', () => {
    expect(refusalOf(() => intakeOf(payment({ surchargeCents: cents(10300) })))).toEqual({
      code: 'bad_request',
      details: { field: 'surchargeCents' },
    });
    // Less than the amount, and within 3% of the receipt: 300 on 10,000.
    expect(refusalOf(() => intakeOf(payment({ surchargeCents: cents(10299) })))).toEqual({
      code: 'bad_request',
      details: { field: 'surchargeCents' },
    });
    expect(refusalOf(() => intakeOf(payment({ surchargeCents: cents(300) })))).toBeNull();
  });

  it('refuses a surcharge on an eCheck or a card reported debit or prepaid, and a funding said of an eCheck', () => {
    const refused = { code: 'bad_request', details: { field: 'surchargeCents' } };
    const surcharged = { surchargeCents: cents(300) };
    expect(refusalOf(() => intakeOf(payment({ ...surcharged, method: 'echeck' })))).toEqual(refused);
    expect(refusalOf(() => intakeOf(payment({ ...surcharged, cardFunding: 'debit' })))).toEqual(refused);
    expect(refusalOf(() => intakeOf(payment({ ...surcharged, cardFunding: 'prepaid' })))).toEqual(refused);
    expect(refusalOf(() => intakeOf(payment({ ...surcharged, cardFunding: 'credit' })))).toBeNull();
    expect(refusalOf(() => intakeOf(payment({ method: 'echeck', cardFunding: 'credit' })))).toEqual({
      code: 'bad_request',
      details: { field: 'cardFunding' },
    });
  });

  it('wants a payment page named by a payment_page payment, and by no other', () => {
    const pageless = { code: 'bad_request', details: { field: 'paymentPageId' } };
    expect(refusalOf(() => intakeOf(payment({ origin: 'payment_page' })))).toEqual(pageless);
    expect(refusalOf(() => intakeOf(payment({ origin: 'connect', paymentPageId: 'p1' })))).toEqual(pageless);
    expect(refusalOf(() => intakeOf(payment({ origin: 'payment_page', paymentPageId: 'p1' })))).toBeNull();
  });
});

describe('pageRefusal', () => {
  const named = { paymentPageId: 'p1', account: 'operating' as const };
  const page = { name: 'Retainers', depositAccountName: 'Main operating', depositAccountId: 'd1' };

  it("refuses a page that is not the firm's as not found", () => {
    const refused = pageRefusal(named, undefined);
    expect(refused?.code).toBe('not_found');
    expect(refused?.details).toEqual({ field: 'paymentPageId', id: 'p1' });
    expect(refused?.message).not.toContain('p1');
  });

  it('refuses a payment claiming another account than its page deposits to', () => {
    const refused = pageRefusal(named, { ...page, account: 'trust' });
    expect(refused?.message).toBe(
      'this payment is for the operating account but payment page "Retainers" deposits to the trust account; take it as trust, or without the page',
    );
    expect(refused?.details).toEqual({ field: 'account', paymentPageId: 'p1' });
  });

  it('refuses a payment naming another deposit account than its page deposits to', () => {
    const refused = pageRefusal({ ...named, depositAccountId: 'd2' }, { ...page, account: 'operating' });
    expect(refused?.message).toBe(
      'this payment names another deposit account than payment page "Retainers" deposits to ("Main operating"); leave the deposit account out and the page\'s is used',
    );
    expect(refused?.details).toEqual({
      field: 'depositAccountId',
      paymentPageId: 'p1',
      depositAccountId: 'd2',
      pageDepositAccountId: 'd1',
    });
  });

  it('takes a payment into the account its page deposits to', () => {
    expect(pageRefusal(named, { ...page, account: 'operating' })).toBeNull();
    expect(pageRefusal({ ...named, depositAccountId: 'd1' }, { ...page, account: 'operating' })).toBeNull();
  });
});
