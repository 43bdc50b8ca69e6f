import { cents } from './money.ts';
import { describe, expect, it } from 'vitest';
import { classify } from './classify.ts';
import { input, invoice } from './classify.test-support.ts';

describe('auto-apply', () => {
  const invoices = [
    invoice('INV-10', { invoiceDate: '2025-03-01', balanceCents: cents(5000) }),
    invoice('INV-9', { invoiceDate: '2025-03-01', balanceCents: cents(3000) }),
    invoice('INV-1', { invoiceDate: '2025-01-01', balanceCents: cents(4000) }),
  ];
  const typed = ['INV-10', 'INV-9', 'INV-1'];

  it('applies oldest first, then by invoice number, each up to its balance', () => {
    const verdict = classify(
      input({ autoApply: true, invoiceNumbers: typed, receiptCents: cents(8000), invoiceList: invoices }),
    );
    expect(verdict.status).toBe('pending');
    expect(verdict.allocations.map((a) => [a.invoiceNumber, a.amountCents])).toEqual([
      ['INV-1', 4000],
      ['INV-9', 3000],
      ['INV-10', 1000],
    ]);
  });

  it('puts a remainder on the last allocation and flags it', () => {
    const verdict = classify(
      input({ autoApply: true, invoiceNumbers: typed, receiptCents: cents(12500), invoiceList: invoices }),
    );
    expect(verdict.reasons).toEqual(['exceeds_balance']);
    expect(verdict.allocations.map((a) => [a.invoiceNumber, a.amountCents])).toEqual([
      ['INV-1', 4000],
      ['INV-9', 3000],
      ['INV-10', 5500],
    ]);
  });

  it('skips invoices other records have used up', () => {
    const verdict = classify(
      input({
        autoApply: true,
        invoiceNumbers: typed,
        receiptCents: cents(6000),
        invoiceList: invoices,
        appliedElsewhere: new Map([
          ['INV-1', cents(9999)],
          ['INV-9', cents(1000)],
        ]),
      }),
    );
    expect(verdict.status).toBe('pending');
    expect(verdict.allocations.map((a) => [a.invoiceNumber, a.amountCents])).toEqual([
      ['INV-9', 2000],
      ['INV-10', 4000],
    ]);
  });

  it('puts the whole receipt on the newest open invoice when none has room', () => {
    const full = invoices.map((facts) => ({ ...facts, balanceCents: cents(0) }));
    const verdict = classify(
      input({ autoApply: true, invoiceNumbers: typed, receiptCents: cents(700), invoiceList: full }),
    );
    expect(verdict).toMatchObject({ status: 'incomplete', reasons: ['exceeds_balance'] });
    expect(verdict.allocations.map((a) => [a.invoiceNumber, a.amountCents])).toEqual([['INV-10', 700]]);
  });

  it('flags unknown and closed numbers among several even when the rest absorb the receipt', () => {
    const list = [...invoices, invoice('INV-5', { status: 'void' })];
    const verdict = classify(
      input({
        autoApply: true,
        invoiceNumbers: [...typed, 'INV-5', 'NOPE'],
        receiptCents: cents(1000),
        invoiceList: list,
      }),
    );
    expect(verdict.reasons).toEqual(['invalid_invoice_number', 'invoice_closed']);
    expect(verdict.allocations).toEqual([
      { invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M1', amountCents: 1000 },
    ]);
  });

  it('makes no allocation when no number is an open invoice', () => {
    const verdict = classify(
      input({ autoApply: true, invoiceNumbers: ['X', 'Y'], invoiceList: [invoice('Y', { status: 'paid' })] }),
    );
    expect(verdict).toEqual({
      status: 'incomplete',
      reasons: ['invalid_invoice_number', 'invoice_closed'],
      allocations: [],
    });
  });
});
