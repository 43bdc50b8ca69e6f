import { cents } from './money.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, type ClassifyInput } from './classify.ts';
import { INVOICE_STATUSES, REASONS, type InvoiceFacts } from './types.ts';

// A small pool of numbers so typed numbers, synced invoices and other records collide often.
const NUMBERS = ['INV-1', 'INV-2', 'INV-3', 'INV-10', 'inv-1', 'X'];
const number = fc.constantFrom(...NUMBERS);
const amount = fc.integer({ min: 0, max: 20_000 }).map((n) => cents(n));

const facts: fc.Arbitrary<Omit<InvoiceFacts, 'invoiceNumber'>> = fc.record({
  clientNumber: fc.constantFrom('C1', 'C2'),
  matterNumber: fc.constantFrom('M1', 'M2'),
  invoiceDate: fc.constantFrom('2024-12-31', '2025-01-01', '2025-06-30'),
  balanceCents: amount,
  status: fc.constantFrom(...INVOICE_STATUSES),
});

const scenario: fc.Arbitrary<ClassifyInput> = fc
  .record({
    invoices: fc.dictionary(number, facts, { maxKeys: NUMBERS.length }),
    applied: fc.dictionary(number, amount, { maxKeys: 3 }),
    typed: fc.array(fc.oneof(number, fc.constant(' INV-2 '), fc.constant('')), { maxLength: 6 }),
    receiptCents: fc.integer({ min: 1, max: 60_000 }).map((n) => cents(n)),
    clientNumber: fc.constantFrom(null, 'C1', 'C2'),
    autoApply: fc.boolean(),
  })
  .map(({ invoices, applied, typed, receiptCents, clientNumber, autoApply }) => ({
    account: 'operating',
    receiptCents,
    invoiceNumbers: typed,
    clientNumber,
    matterNumber: null,
    payerAllocations: null,
    reallocation: null,
    clientMismatchAccepted: false,
    rejectedByMms: false,
    matters: new Set<string>(),
    invoices: new Map(Object.entries(invoices).map(([key, value]) => [key, { ...value, invoiceNumber: key }])),
    appliedElsewhere: new Map(Object.entries(applied)),
    autoApply,
  }));

describe('classify properties', () => {
  it('allocations, when there are any, sum to the receipt; reasons are unique and in order', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const verdict = classify(input);
        const sum = verdict.allocations.reduce((total, allocation) => total + allocation.amountCents, 0);
        if (verdict.allocations.length > 0) expect(sum).toBe(input.receiptCents);
        expect(verdict.allocations.every((allocation) => allocation.amountCents > 0)).toBe(true);
        expect(verdict.reasons).toEqual(REASONS.filter((reason) => verdict.reasons.includes(reason)));
        expect(verdict.status).toBe(verdict.reasons.length === 0 ? 'pending' : 'incomplete');
        if (verdict.status === 'pending') expect(verdict.allocations.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('a pending verdict never applies more to an open invoice than it has available', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const verdict = classify(input);
        if (verdict.status !== 'pending') return;
        const perInvoice = new Map<string, number>();
        for (const allocation of verdict.allocations) {
          const invoiceNumber = allocation.invoiceNumber ?? '';
          perInvoice.set(invoiceNumber, (perInvoice.get(invoiceNumber) ?? 0) + allocation.amountCents);
        }
        for (const [invoiceNumber, total] of perInvoice) {
          const invoice = input.invoices.get(invoiceNumber);
          expect(invoice?.status).toBe('open');
          const available = (invoice?.balanceCents ?? 0) - (input.appliedElsewhere.get(invoiceNumber) ?? 0);
          expect(total).toBeLessThanOrEqual(available);
          if (input.clientNumber !== null) expect(invoice?.clientNumber).toBe(input.clientNumber);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('auto-apply never leaves a receipt that fits unapplied: it is pending exactly when nothing is wrong', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const typed = new Set(input.invoiceNumbers.map((text) => text.trim()).filter((text) => text !== ''));
        if (!input.autoApply || typed.size < 2 || input.clientNumber !== null) return;
        const referenced = [...typed].map((invoiceNumber) => input.invoices.get(invoiceNumber));
        const room = referenced.reduce((total, invoice) => {
          if (invoice?.status !== 'open') return total;
          return total + Math.max(0, invoice.balanceCents - (input.appliedElsewhere.get(invoice.invoiceNumber) ?? 0));
        }, 0);
        const allOpen = referenced.every((invoice) => invoice?.status === 'open');
        expect(classify(input).status === 'pending').toBe(allOpen && input.receiptCents <= room);
      }),
      { numRuns: 2000 },
    );
  });
});
