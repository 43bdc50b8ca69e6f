import { describe, expect, it } from 'vitest';
import { centsToDollars, dollarsToCents } from '../common/amount.ts';
import { checkDraft, draftLine, namesAnotherClient, reversalDraft, splitEvenly } from './allocationDraft.ts';

describe('Reallocate Payment draft', () => {
  const line = (invoiceNumber: string, amount: string) => ({ ...draftLine({ invoiceNumber, amountCents: 0 }), amount });

  it('balances only when the lines sum to the receipt exactly', () => {
    expect(checkDraft([line('INV-1', '100.00'), line('INV-2', '150.00')], 25000, 'operating')).toMatchObject({
      leftCents: 0,
      problems: [],
    });
    expect(checkDraft([line('INV-1', '100.00')], 25000, 'operating')).toMatchObject({
      leftCents: 15000,
      problems: ['Allocate the rest of the payment.'],
    });
    expect(checkDraft([line('INV-1', '250.01')], 25000, 'operating').problems).toEqual([
      'More than the payment is allocated.',
    ]);
  });

  it('names every line that cannot be saved', () => {
    const check = checkDraft([line('', '10'), line('INV-2', '1.234'), line('INV-3', '0')], 1000, 'operating');
    expect(check.problems).toEqual([
      'Line 1: choose an invoice.',
      'Line 2: Enter an amount like 1234.56.',
      'Line 3: the amount must be more than $0.00.',
    ]);
    expect(checkDraft([], 1000, 'operating').problems).toEqual(['Add at least one line.']);
    const trust = checkDraft([{ ...line('', '10.00'), clientNumber: 'C1' }], 1000, 'trust');
    expect(trust.problems).toEqual(['Line 1: enter the client and the matter.']);
  });

  it('splits evenly with the odd cents on the first lines', () => {
    const lines = splitEvenly([line('A', ''), line('B', ''), line('C', '')], 10000);
    expect(lines.map((l) => l.amount)).toEqual(['33.34', '33.33', '33.33']);
    expect(checkDraft(lines, 10000, 'operating').leftCents).toBe(0);
  });

  it('turns typed dollars into exact cents and back, without floats', () => {
    expect(dollarsToCents('$1,234.5')).toEqual({ cents: 123450 });
    expect(dollarsToCents('0.1')).toEqual({ cents: 10 });
    expect(dollarsToCents('  ')).toEqual({});
    expect(dollarsToCents('1e3').error).toBeDefined();
    expect(dollarsToCents('12.345').error).toBeDefined();
    expect(centsToDollars(5)).toBe('0.05');
    expect(centsToDollars(-12345)).toBe('-123.45');
    expect(centsToDollars(900719925474099)).toBe('9007199254740.99');
  });

  it('sees a line that names another client than the payer named, and none when the payer named no client', () => {
    const to = (clientNumber: string) => draftLine({ invoiceNumber: 'INV-1', clientNumber, amountCents: 100 });
    expect(namesAnotherClient([to('C1'), to('C2')], 'C1')).toBe(true);
    expect(namesAnotherClient([to('C1'), to(' C1 ')], ' C1')).toBe(false);
    expect(namesAnotherClient([to(''), to('C1')], 'C1')).toBe(false);
    expect(namesAnotherClient([to('C2')], null)).toBe(false);
    expect(namesAnotherClient([to('C2')], '  ')).toBe(false);
  });
});

describe('a reversal’s Save', () => {
  it('sends its lines unchanged, each as the amount it takes back, with nothing left to allocate', () => {
    const check = reversalDraft([
      { invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M1', amountCents: -15_000 },
      { invoiceNumber: 'INV-2', clientNumber: 'C1', matterNumber: 'M1', amountCents: -5_000 },
    ]);
    expect(check).toEqual({
      allocatedCents: -20_000,
      leftCents: 0,
      problems: [],
      allocations: [
        { invoiceNumber: 'INV-1', amountCents: 15_000 },
        { invoiceNumber: 'INV-2', amountCents: 5_000 },
      ],
    });
    expect(
      reversalDraft([{ invoiceNumber: null, clientNumber: 'C3', matterNumber: 'M9', amountCents: -2_500 }]).allocations,
    ).toEqual([{ clientNumber: 'C3', matterNumber: 'M9', amountCents: 2_500 }]);
  });
});
