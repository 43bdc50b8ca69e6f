import { describe, expect, it } from 'vitest';
import { invoiceKey, oldestFirstSuggestion, suggestAllocations, type OpenInvoice } from './invoice-match.ts';

const invoice = (invoiceNumber: string, invoiceDate: string, availableCents: number, clientNumber = 'C1') =>
  ({ invoiceNumber, clientNumber, matterNumber: 'M1', invoiceDate, availableCents }) satisfies OpenInvoice;

describe('invoiceKey', () => {
  it('ignores case, spaces, dashes and leading zeros', () => {
    for (const typed of ['INV-0042', 'inv 42', 'Inv42', ' INV--042 ', 'inv_0042'])
      expect(invoiceKey(typed)).toBe('INV42');
    expect(invoiceKey('0042')).toBe('42');
    expect(invoiceKey('2024-0042')).toBe(invoiceKey('2024 42'));
  });

  it('keeps what tells invoices apart', () => {
    expect(invoiceKey('INV-420')).not.toBe(invoiceKey('INV-42'));
    expect(invoiceKey('20240042')).not.toBe(invoiceKey('2024-42'));
    expect(invoiceKey('0')).toBe('0');
    expect(invoiceKey('INV-100')).toBe('INV100');
  });
});

describe('suggestAllocations', () => {
  const open = [
    invoice('INV-0042', '2026-03-01', 10_000),
    invoice('INV-0007', '2026-01-15', 5_000),
    invoice('INV-0050', '2026-02-01', 8_000),
    invoice('X-9', '2025-12-01', 9_000, 'C2'),
  ];

  it('takes the typed invoices as typed, oldest first, with high confidence', () => {
    const s = suggestAllocations({
      typed: ['INV-0042', 'INV-0007'],
      clientNumber: 'C1',
      receiptCents: 12_000,
      invoices: open,
    });
    expect(s).toMatchObject({ basis: 'typed', confidence: 'high', leftoverCents: 0 });
    expect(s?.allocations).toEqual([
      { invoiceNumber: 'INV-0007', clientNumber: 'C1', matterNumber: 'M1', amountCents: 5_000 },
      { invoiceNumber: 'INV-0042', clientNumber: 'C1', matterNumber: 'M1', amountCents: 7_000 },
    ]);
  });

  it('finds numbers typed another way, with medium confidence saying why', () => {
    const s = suggestAllocations({
      typed: ['inv 42', 'NOPE-1'],
      clientNumber: 'C1',
      receiptCents: 4_000,
      invoices: open,
    });
    expect(s).toMatchObject({ basis: 'typed', confidence: 'medium', leftoverCents: 0 });
    expect(s?.allocations.map((a) => a.invoiceNumber)).toEqual(['INV-0042']);
    expect(s?.why).toMatch(/ignoring case.*1 typed number matches no open invoice/);
  });

  it('says when the typed invoices cannot take it all, or are another client’s', () => {
    const s = suggestAllocations({ typed: ['x9'], clientNumber: 'C1', receiptCents: 10_000, invoices: open });
    expect(s).toMatchObject({ confidence: 'medium', leftoverCents: 1_000 });
    expect(s?.why).toMatch(/not client C1's.*cannot take the whole payment/);
  });

  it("falls back to the client's open invoices oldest first, with low confidence", () => {
    const s = suggestAllocations({ typed: ['NOPE-1'], clientNumber: 'C1', receiptCents: 15_000, invoices: open });
    expect(s).toMatchObject({ basis: 'oldest_first', confidence: 'low', leftoverCents: 0 });
    expect(s?.allocations.map((a) => [a.invoiceNumber, a.amountCents])).toEqual([
      ['INV-0007', 5_000],
      ['INV-0050', 8_000],
      ['INV-0042', 2_000],
    ]);
  });

  it('skips invoices with no room and suggests nothing without a match or a client', () => {
    const full = [invoice('INV-1', '2026-01-01', 0), invoice('INV-2', '2026-02-01', 500)];
    expect(oldestFirstSuggestion(1_000, 'C1', full)?.allocations).toEqual([
      { invoiceNumber: 'INV-2', clientNumber: 'C1', matterNumber: 'M1', amountCents: 500 },
    ]);
    expect(
      suggestAllocations({ typed: ['INV-1'], clientNumber: null, receiptCents: 1_000, invoices: full }),
    ).toBeNull();
    expect(oldestFirstSuggestion(1_000, 'C9', full)).toBeNull();
  });
});
