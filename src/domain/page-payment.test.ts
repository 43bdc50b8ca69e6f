import { describe, expect, it } from 'vitest';
import { refusalOf } from './errors.test-support.ts';
import { cents, MAX_AMOUNT_CENTS } from './money.ts';
import { lookupKeys, pageAllocations, pageCharge, type Found } from './page-payment.ts';

describe('lookupKeys', () => {
  it('takes a client number with an invoice number or a matter number, trimmed', () => {
    expect(lookupKeys('operating', { clientNumber: ' C1 ', invoiceNumber: ' INV-1 ' })).toEqual({
      clientNumber: 'C1',
      invoiceNumber: 'INV-1',
      matterNumber: null,
    });
    expect(lookupKeys('trust', { clientNumber: 'C1', matterNumber: 'M1', invoiceNumber: ' ' })).toEqual({
      clientNumber: 'C1',
      invoiceNumber: null,
      matterNumber: 'M1',
    });
  });

  it('refuses both or neither, and a trust lookup without a matter', () => {
    const neither = { code: 'bad_request', details: { field: 'invoiceNumber' } };
    expect(refusalOf(() => lookupKeys('operating', { clientNumber: 'C1' }))).toEqual(neither);
    expect(
      refusalOf(() => lookupKeys('operating', { clientNumber: 'C1', invoiceNumber: 'I', matterNumber: 'M' })),
    ).toEqual(neither);
    expect(refusalOf(() => lookupKeys('trust', { clientNumber: 'C1', invoiceNumber: 'INV-1' }))).toEqual({
      code: 'bad_request',
      details: { field: 'matterNumber' },
    });
  });
});

const found: Found = {
  clientNumber: 'C1',
  matterNumber: 'M9',
  invoices: [
    { invoiceNumber: 'INV-1', matterNumber: 'M1', balanceCents: 1000 },
    { invoiceNumber: 'INV-2', matterNumber: 'M2', balanceCents: 500 },
  ],
};
const chose = (...lines: [string, number][]) => ({
  allocations: lines.map(([invoiceNumber, amount]) => ({ invoiceNumber, amountCents: cents(amount) })),
});

describe('pageAllocations', () => {
  it("pays the chosen open invoices of the client found, each on the invoice's own matter", () => {
    expect(pageAllocations('operating', chose([' INV-2', 500], ['INV-1', 1]), found)).toEqual([
      { invoiceNumber: 'INV-2', clientNumber: 'C1', matterNumber: 'M2', amountCents: 500 },
      { invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M1', amountCents: 1 },
    ]);
  });

  it('holds a trust amount for the matter found', () => {
    expect(pageAllocations('trust', { amountCents: cents(2500) }, found)).toEqual([
      { invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M9', amountCents: 2500 },
    ]);
  });

  it.each([
    ['an invoice not found', chose(['INV-3', 1]), 'allocations.0.invoiceNumber'],
    ['an invoice twice', chose(['INV-1', 1], ['INV-1 ', 1]), 'allocations.1.invoiceNumber'],
    ['more than is due', chose(['INV-1', 1], ['INV-2', 501]), 'allocations.1.amountCents'],
    ['no invoice', { allocations: [] }, 'allocations'],
    ['an amount instead', { amountCents: cents(1) }, 'allocations'],
  ])('refuses %s on an operating page', (_, input, field) => {
    expect(refusalOf(() => pageAllocations('operating', input, found))).toEqual({
      code: 'bad_request',
      details: { field },
    });
  });

  it('refuses allocations, or no amount, on a trust page', () => {
    const refused = { code: 'bad_request', details: { field: 'amountCents' } };
    expect(refusalOf(() => pageAllocations('trust', chose(['INV-1', 1]), found))).toEqual(refused);
    expect(refusalOf(() => pageAllocations('trust', {}, found))).toEqual(refused);
  });
});

describe('pageCharge', () => {
  const line = (amount: number) => ({
    invoiceNumber: 'INV-1',
    clientNumber: 'C1',
    matterNumber: 'M1',
    amountCents: cents(amount),
  });

  const credit = { method: 'card', funding: 'credit' } as const;

  it("charges the receipt with the page's surcharge on it, rounded half up, on a credit card only", () => {
    expect(pageCharge('operating', [line(1000), line(50)], 300, credit)).toEqual({
      receiptCents: 1050,
      surchargeCents: 32,
      amountCents: 1082,
    });
    for (const source of [
      { method: 'card', funding: 'debit' },
      { method: 'card', funding: 'prepaid' },
      { method: 'echeck', funding: null },
    ] as const)
      expect(pageCharge('operating', [line(1000), line(50)], 300, source)).toEqual({
        receiptCents: 1050,
        surchargeCents: 0,
        amountCents: 1050,
      });
  });

  it('refuses a receipt, or a receipt with its surcharge, beyond one payment', () => {
    expect(refusalOf(() => pageCharge('trust', [line(MAX_AMOUNT_CENTS), line(1)], 0, credit))).toEqual({
      code: 'bad_request',
      details: { field: 'amountCents' },
    });
    expect(refusalOf(() => pageCharge('operating', [line(MAX_AMOUNT_CENTS)], 100, credit))).toEqual({
      code: 'bad_request',
      details: { field: 'allocations' },
    });
    expect(pageCharge('operating', [line(MAX_AMOUNT_CENTS)], 0, credit).amountCents).toBe(MAX_AMOUNT_CENTS);
  });
});
