import { cents } from './money.ts';
import { describe, expect, it } from 'vitest';
import { spreadOldestFirst } from './oldest-first.ts';

describe('spreadOldestFirst', () => {
  const invoices = [
    { invoiceNumber: 'INV-10', invoiceDate: '2025-03-01', availableCents: cents(5000) },
    { invoiceNumber: 'INV-9', invoiceDate: '2025-03-01', availableCents: cents(3000) },
    { invoiceNumber: 'INV-1', invoiceDate: '2025-01-01', availableCents: cents(4000) },
  ];
  const pairs = (r: ReturnType<typeof spreadOldestFirst>) => r.allocations.map((a) => [a.invoiceNumber, a.amountCents]);

  it('fills the oldest invoice first, then by invoice number in natural order', () => {
    const spread = spreadOldestFirst(invoices, cents(8000));
    expect(pairs(spread)).toEqual([
      ['INV-1', 4000],
      ['INV-9', 3000],
      ['INV-10', 1000],
    ]);
    expect(spread.leftoverCents).toBe(0);
  });

  it('gives nothing to invoices the receipt does not reach, nor to those without room', () => {
    expect(pairs(spreadOldestFirst(invoices, cents(4000)))).toEqual([['INV-1', 4000]]);
    const full = invoices.map((i) => (i.invoiceNumber === 'INV-1' ? { ...i, availableCents: cents(-200) } : i));
    expect(pairs(spreadOldestFirst(full, cents(4000)))).toEqual([
      ['INV-9', 3000],
      ['INV-10', 1000],
    ]);
  });

  it('answers what the invoices cannot take instead of placing it', () => {
    const spread = spreadOldestFirst(invoices, cents(12_345));
    expect(pairs(spread)).toEqual([
      ['INV-1', 4000],
      ['INV-9', 3000],
      ['INV-10', 5000],
    ]);
    expect(spread.leftoverCents).toBe(345);
  });

  it('leaves the input order alone', () => {
    const before = invoices.map((i) => i.invoiceNumber);
    spreadOldestFirst(invoices, cents(100));
    expect(invoices.map((i) => i.invoiceNumber)).toEqual(before);
  });
});
