import { cents } from './money.ts';
import { describe, expect, it } from 'vitest';
import {
  newRecordTerms,
  payerAllocationsOf,
  referencedInvoices,
  referencedMatters,
  sameLines,
  sameTargets,
  termsOf,
  type StoredTerms,
} from './terms.ts';
import type { Allocation } from './types.ts';

const line = (
  invoiceNumber: string | null,
  amountCents: number,
  clientNumber: string | null = 'C1',
  matterNumber: string | null = 'M1',
): Allocation => ({
  invoiceNumber,
  clientNumber,
  matterNumber,
  amountCents: cents(amountCents),
});

const stored: StoredTerms = {
  account: 'operating',
  amount_cents: 5000,
  reallocated: false,
  client_mismatch_accepted: false,
  mms_status: null,
  invoice_numbers: ['INV-2', 'INV-1'],
  client_number: 'C1',
  matter_number: null,
  payer_allocations: null,
};

describe('payerAllocationsOf', () => {
  it('reads a stored split and nothing else', () => {
    expect(payerAllocationsOf(null)).toBeNull();
    expect(payerAllocationsOf({ invoiceNumber: 'INV-1' })).toBeNull();
    expect(payerAllocationsOf([{ invoiceNumber: 'INV-1', clientNumber: 7, amountCents: '250' }])).toEqual([
      { invoiceNumber: 'INV-1', clientNumber: null, matterNumber: null, amountCents: 250 },
    ]);
  });
});

describe('termsOf', () => {
  it('takes the payment as taken in, and the lines only when an accountant reallocated', () => {
    const lines = [line('INV-1', 5000)];
    expect(termsOf(stored, lines)).toEqual({
      account: 'operating',
      receiptCents: 5000,
      invoiceNumbers: ['INV-2', 'INV-1'],
      clientNumber: 'C1',
      matterNumber: null,
      payerAllocations: null,
      reallocation: null,
      clientMismatchAccepted: false,
      rejectedByMms: false,
    });
    const terms = termsOf(
      { ...stored, reallocated: true, mms_status: 'rejected', client_mismatch_accepted: true },
      lines,
    );
    expect(terms.reallocation).toBe(lines);
    expect(terms.rejectedByMms).toBe(true);
    expect(terms.clientMismatchAccepted).toBe(true);
  });
});

describe('referencedInvoices', () => {
  it('lists every invoice typed, split or reallocated, trimmed, once, sorted', () => {
    expect(
      referencedInvoices({
        invoiceNumbers: [' INV-3', 'INV-1', ''],
        payerAllocations: [line('INV-2', 1)],
        reallocation: [line('INV-1', 1), line(null, 1)],
      }),
    ).toEqual(['INV-1', 'INV-2', 'INV-3']);
  });
});

describe('referencedMatters', () => {
  it('lists the trust terms’ client/matter pairs that are complete', () => {
    const terms = termsOf(
      {
        ...stored,
        account: 'trust',
        matter_number: 'M9',
        payer_allocations: [line(null, 1, 'C2', 'M2'), line(null, 1, 'C3', ' ')],
      },
      [],
    );
    expect(referencedMatters(terms)).toEqual([
      ['C1', 'M9'],
      ['C2', 'M2'],
    ]);
    expect(referencedMatters(termsOf(stored, []))).toEqual([]);
  });
});

describe('sameLines and sameTargets', () => {
  it('sameLines compares every field in order', () => {
    expect(sameLines([line('A', 1)], [line('A', 1)])).toBe(true);
    expect(sameLines([line('A', 1)], [line('A', 1, 'C2')])).toBe(false);
    expect(sameLines([line('A', 1), line('B', 2)], [line('B', 2), line('A', 1)])).toBe(false);
  });

  it('sameTargets ignores an operating line’s client and matter, not a trust line’s', () => {
    expect(sameTargets([line('A', 1, null, null)], [line('A', 1)])).toBe(true);
    expect(sameTargets([line(null, 1, 'C1', 'M1')], [line(null, 1)])).toBe(true);
    expect(sameTargets([line(null, 1, 'C1', 'M2')], [line(null, 1)])).toBe(false);
    expect(sameTargets([line('A', 2)], [line('A', 1)])).toBe(false);
    expect(sameTargets([], [line('A', 1)])).toBe(false);
  });
});

describe('newRecordTerms', () => {
  it("holds the payment's word only: no accountant's choice, no refusal by the MMS", () => {
    const payment = {
      account: 'operating' as const,
      receiptCents: cents(100),
      invoiceNumbers: ['A'],
      clientNumber: 'C1',
      matterNumber: null,
      payerAllocations: null,
    };
    expect(newRecordTerms(payment)).toEqual({
      ...payment,
      reallocation: null,
      clientMismatchAccepted: false,
      rejectedByMms: false,
    });
  });
});
