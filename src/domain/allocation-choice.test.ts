import { describe, expect, it } from 'vitest';
import { choiceTerms, chosenAllocations } from './allocation-choice.ts';
import { refusalOf } from './errors.test-support.ts';
import { cents, MAX_AMOUNT_CENTS } from './money.ts';

describe('choiceTerms', () => {
  it("makes staff's split by hand the payer's allocations of an operating record for its sum", () => {
    const terms = choiceTerms(
      {
        allocations: [
          { invoiceNumber: ' INV-1 ', amountCents: cents(1000) },
          { invoiceNumber: 'INV-2', amountCents: cents(250) },
        ],
      },
      'C1',
    );
    expect(terms).toEqual({
      account: 'operating',
      receiptCents: 1250,
      invoiceNumbers: ['INV-1', 'INV-2'],
      clientNumber: 'C1',
      matterNumber: null,
      payerAllocations: [
        { invoiceNumber: 'INV-1', clientNumber: null, matterNumber: null, amountCents: 1000 },
        { invoiceNumber: 'INV-2', clientNumber: null, matterNumber: null, amountCents: 250 },
      ],
      reallocation: null,
      clientMismatchAccepted: false,
      rejectedByMms: false,
    });
  });

  it('leaves an auto-applied amount to be spread over the invoices named', () => {
    const terms = choiceTerms({ autoApply: { invoiceNumbers: ['INV-2 ', 'INV-1'], amountCents: cents(900) } }, null);
    expect([terms.receiptCents, terms.invoiceNumbers, terms.payerAllocations]).toEqual([900, ['INV-2', 'INV-1'], null]);
  });

  it('refuses an invoice chosen twice', () => {
    expect(
      refusalOf(() =>
        choiceTerms(
          {
            allocations: [
              { invoiceNumber: 'INV-1', amountCents: cents(1) },
              { invoiceNumber: 'INV-1 ', amountCents: cents(2) },
            ],
          },
          null,
        ),
      ),
    ).toEqual({ code: 'bad_request', details: { field: 'allocations' } });
    expect(
      refusalOf(() => choiceTerms({ autoApply: { invoiceNumbers: ['A', 'A'], amountCents: cents(1) } }, null)),
    ).toEqual({ code: 'bad_request', details: { field: 'invoiceNumbers' } });
  });

  it("refuses amounts that together are more than one payment's bound", () => {
    const half = cents(MAX_AMOUNT_CENTS / 2);
    const split = (last: number) => ({
      allocations: [
        { invoiceNumber: 'INV-1', amountCents: half },
        { invoiceNumber: 'INV-2', amountCents: cents(last) },
      ],
    });
    expect(refusalOf(() => choiceTerms(split(half + 1), null))).toEqual({
      code: 'bad_request',
      details: { field: 'allocations' },
    });
    expect(refusalOf(() => choiceTerms(split(half), null))).toBeNull();
  });
});

describe('chosenAllocations', () => {
  const lines = [{ invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M1', amountCents: cents(100) }];

  it('gives the allocations of a choice the rules call pending', () => {
    expect(chosenAllocations({ status: 'pending', reasons: [], allocations: lines })).toEqual(lines);
  });

  it('refuses one they would call incomplete, naming the reasons in words', () => {
    const refused = refusalOf(() =>
      chosenAllocations({ status: 'incomplete', reasons: ['exceeds_balance'], allocations: lines }),
    );
    expect(refused).toEqual({ code: 'allocation_conflict', details: { reasons: ['exceeds_balance'] } });
    expect(() => chosenAllocations({ status: 'incomplete', reasons: ['exceeds_balance'], allocations: [] })).toThrow(
      'the payment cannot be applied as chosen: The payment is more than the open balance of the invoice',
    );
  });
});
