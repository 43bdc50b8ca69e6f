import { describe, expect, it } from 'vitest';
import type { Invoice } from '../api/types.ts';
import { draftLine } from '../postings/allocationDraft.ts';
import { autoApplyLines, checkPaymentLines, payerUrl } from './makePayment.ts';

function invoice(invoiceNumber: string, invoiceDate: string, availableCents: number): Invoice {
  return {
    invoiceNumber,
    invoiceDate,
    availableCents,
    balanceCents: availableCents,
    totalCents: availableCents,
    clientNumber: 'C1',
    clientName: 'Acme',
    matterNumber: 'M1',
    matterDescription: 'Lease',
    status: 'open',
  };
}

const known = new Map([
  ['INV-101', invoice('INV-101', '2026-02-05', 100_000)],
  ['INV-100', invoice('INV-100', '2026-01-05', 60_000)],
  ['INV-102', invoice('INV-102', '2026-03-05', 100_000)],
]);
const line = (invoiceNumber: string, amountCents = 0) => draftLine({ invoiceNumber, amountCents });

describe('checkPaymentLines', () => {
  it('totals the lines: the payment is what they add up to', () => {
    const check = checkPaymentLines([line('INV-100', 60_000), line('INV-101', 12_345)]);
    expect(check).toMatchObject({ totalCents: 72_345, leftCents: 0, problems: [] });
    expect(check.allocations).toEqual([
      { invoiceNumber: 'INV-100', amountCents: 60_000 },
      { invoiceNumber: 'INV-101', amountCents: 12_345 },
    ]);
  });

  it('names a line without a valid amount, and an empty choice', () => {
    expect(checkPaymentLines([]).problems).toEqual(['Add at least one line.']);
    const bad = checkPaymentLines([line('INV-100', 500), { ...line('INV-101'), amount: '12.345' }]);
    expect(bad.totalCents).toBe(500);
    expect(bad.problems).toEqual(['Line 2: Enter an amount like 1234.56.']);
    expect(checkPaymentLines([line('INV-100', 0)]).problems).toEqual(['Line 1: the amount must be more than $0.00.']);
  });
});

describe('autoApplyLines', () => {
  it('fills the oldest invoice first, each up to what it has available, and keeps the lines', () => {
    const lines = [line('INV-101'), line('INV-100')];
    const applied = autoApplyLines(lines, known, 150_000);
    if (applied.error !== undefined) throw new Error(applied.error);
    expect(applied.lines.map((l) => [l.invoiceNumber, l.amount])).toEqual([
      ['INV-100', '600.00'],
      ['INV-101', '900.00'],
    ]);
    expect(applied.lines.map((l) => l.key)).toEqual([lines[1]!.key, lines[0]!.key]);
    expect(applied.unplaced).toEqual([]);
  });

  it('drops and names the invoices the amount does not reach', () => {
    const applied = autoApplyLines([line('INV-102'), line('INV-100'), line('INV-101')], known, 50_000);
    if (applied.error !== undefined) throw new Error(applied.error);
    expect(applied.lines.map((l) => [l.invoiceNumber, l.amount])).toEqual([['INV-100', '500.00']]);
    expect(applied.unplaced).toEqual(['INV-102', 'INV-101']);
  });

  it('refuses more than the invoices have open, and an empty choice', () => {
    expect(autoApplyLines([line('INV-100'), line('INV-101')], known, 160_001)).toEqual({
      error: '$1,600.01 is more than the $1,600.00 these invoices have open.',
    });
    expect(autoApplyLines([], known, 100).error).toMatch(/Add the invoices/);
    expect(autoApplyLines([line('INV-999')], known, 100).error).toMatch(/INV-999/);
  });
});

describe('payerUrl', () => {
  it('puts the path the server answered on this origin', () => {
    expect(payerUrl('https://pay.example.com', '/pay/link/pl_abc')).toBe('https://pay.example.com/pay/link/pl_abc');
    expect(payerUrl('http://127.0.0.1:8080', '/pay/quick/ql_x-y_z')).toBe('http://127.0.0.1:8080/pay/quick/ql_x-y_z');
  });
});
