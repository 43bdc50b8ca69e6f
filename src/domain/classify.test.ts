import { cents } from './money.ts';
import { describe, expect, it } from 'vitest';
import { AllocationError, classify, matterKey } from './classify.ts';
import { input, invoice, toInvoice } from './classify.test-support.ts';
import type { Allocation } from './types.ts';

describe('classify an operating receipt', () => {
  it('is incomplete with no invoice number', () => {
    expect(classify(input({ invoiceNumbers: ['  ', ''] }))).toEqual({
      status: 'incomplete',
      reasons: ['no_invoice_number'],
      allocations: [],
    });
  });

  it('applies the whole receipt to one valid invoice, naming its client and matter', () => {
    const verdict = classify(input({ invoiceNumbers: [' INV-1 ', 'INV-1'], invoiceList: [invoice('INV-1')] }));
    expect(verdict).toEqual({
      status: 'pending',
      reasons: [],
      allocations: [{ invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M1', amountCents: 10000 }],
    });
  });

  it('flags an unknown invoice but keeps the allocation for the accountant to fix', () => {
    const verdict = classify(
      input({ invoiceNumbers: ['inv-1'], clientNumber: 'C7', matterNumber: 'M7', invoiceList: [invoice('INV-1')] }),
    );
    expect(verdict.reasons).toEqual(['invalid_invoice_number']);
    expect(verdict.allocations).toEqual([
      { invoiceNumber: 'inv-1', clientNumber: 'C7', matterNumber: 'M7', amountCents: 10000 },
    ]);
  });

  it.each(['paid', 'void'] as const)('flags a %s invoice as closed', (status) => {
    const verdict = classify(
      input({ invoiceNumbers: ['INV-1'], invoiceList: [invoice('INV-1', { status, balanceCents: cents(0) })] }),
    );
    expect(verdict).toMatchObject({ status: 'incomplete', reasons: ['invoice_closed'] });
  });

  it('counts what other records already apply against the balance', () => {
    const base = { invoiceNumbers: ['INV-1'], invoiceList: [invoice('INV-1')] };
    expect(classify(input({ ...base, appliedElsewhere: new Map([['INV-1', cents(0)]]) })).status).toBe('pending');
    expect(classify(input({ ...base, appliedElsewhere: new Map([['INV-1', cents(1)]]) })).reasons).toEqual([
      'exceeds_balance',
    ]);
    expect(classify(input({ ...base, receiptCents: cents(10001) })).reasons).toEqual(['exceeds_balance']);
  });

  it("lets a correction's replacement take again what its own reversal gives back, and no more", () => {
    // The original put 100.00 on INV-1; the mirror shows it paid. Its reversal gives the
    // 100.00 back as the pair reaches the MMS together, so the replacement may take it.
    const paid = invoice('INV-1', { status: 'paid', balanceCents: cents(0) });
    const base = { invoiceNumbers: ['INV-1'], invoiceList: [paid] };
    expect(classify(input(base)).reasons).toEqual(['invoice_closed']);
    const back = new Map([['INV-1', cents(10000)]]);
    expect(classify(input({ ...base, givenBack: back })).status).toBe('pending');
    expect(classify(input({ ...base, givenBack: back, receiptCents: cents(10001) })).reasons).toEqual([
      'exceeds_balance',
    ]);
    // A void invoice stays closed: nothing of a reversal reopens it.
    const voided = invoice('INV-1', { status: 'void', balanceCents: cents(0) });
    expect(classify(input({ ...base, invoiceList: [voided], givenBack: back })).reasons).toEqual(['invoice_closed']);
    // What other records take still counts.
    const open = invoice('INV-1', { balanceCents: cents(5000) });
    expect(
      classify(
        input({
          ...base,
          invoiceList: [open],
          givenBack: new Map([['INV-1', cents(5000)]]),
          appliedElsewhere: new Map([['INV-1', cents(1)]]),
        }),
      ).reasons,
    ).toEqual(['exceeds_balance']);
  });

  it('flags an invoice of another client, and gives every reason that applies in a stable order', () => {
    const verdict = classify(
      input({
        invoiceNumbers: ['INV-1'],
        clientNumber: 'C2',
        receiptCents: cents(20000),
        invoiceList: [invoice('INV-1')],
      }),
    );
    expect(verdict.reasons).toEqual(['exceeds_balance', 'client_mismatch']);
  });

  it('without auto-apply leaves several numbers for an accountant, with what is wrong with each', () => {
    const invoices = [invoice('INV-1'), invoice('INV-2', { status: 'paid' })];
    expect(classify(input({ invoiceNumbers: ['INV-1', 'INV-2', 'INV-9'], invoiceList: invoices }))).toEqual({
      status: 'incomplete',
      reasons: ['invalid_invoice_number', 'multiple_invoice_numbers', 'invoice_closed'],
      allocations: [],
    });
    expect(
      classify(input({ invoiceNumbers: ['INV-1', 'inv-1'], invoiceList: [invoice('INV-1'), invoice('inv-1')] }))
        .reasons,
    ).toEqual(['multiple_invoice_numbers']);
  });
});

describe('explicit allocations', () => {
  const invoices = [invoice('INV-1'), invoice('INV-2', { clientNumber: 'C2', matterNumber: 'M2' })];

  it('checks the payer’s split instead of inferring one', () => {
    const verdict = classify(
      input({
        invoiceNumbers: ['IGNORED'],
        payerAllocations: [toInvoice('INV-1', 6000), toInvoice('INV-2', 4000)],
        invoiceList: invoices,
      }),
    );
    expect(verdict.status).toBe('pending');
    expect(verdict.allocations).toEqual([
      { invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M1', amountCents: 6000 },
      { invoiceNumber: 'INV-2', clientNumber: 'C2', matterNumber: 'M2', amountCents: 4000 },
    ]);
  });

  it('sums several lines to one invoice before comparing with its balance', () => {
    const verdict = classify(
      input({
        receiptCents: cents(12000),
        payerAllocations: [toInvoice('INV-1', 6000), toInvoice('INV-1', 6000)],
        invoiceList: invoices,
      }),
    );
    expect(verdict.reasons).toEqual(['exceeds_balance']);
  });

  it('flags a line of the payer’s split naming another client than its invoice’s; the file line names the invoice’s', () => {
    const verdict = classify(
      input({
        payerAllocations: [
          { invoiceNumber: 'INV-2', clientNumber: 'C1', matterNumber: 'M1', amountCents: cents(10000) },
        ],
        invoiceList: invoices,
      }),
    );
    expect(verdict).toMatchObject({ status: 'incomplete', reasons: ['client_mismatch'] });
    expect(verdict.allocations[0]).toMatchObject({ clientNumber: 'C2', matterNumber: 'M2' });
  });

  it.each([
    [[toInvoice('INV-1', 9000)], 'allocations sum to 90.00 but the receipt is 100.00'],
    [[toInvoice('INV-1', 10000), toInvoice('INV-2', 0)], 'allocation 2 amount must be more than 0.00, got 0.00'],
    [[toInvoice('INV-1', 10500), toInvoice('INV-2', -500)], 'allocation 2 amount must be more than 0.00, got -5.00'],
    [[], 'no allocations were given'],
    [[toInvoice(' ', 10000)], 'allocation 1 needs an invoice number for an operating receipt'],
  ])('refuses %j', (allocations, message) => {
    expect(() => classify(input({ payerAllocations: allocations, invoiceList: invoices }))).toThrow(AllocationError);
    expect(() => classify(input({ payerAllocations: allocations, invoiceList: invoices }))).toThrow(message);
  });

  it('refuses a fraction of a cent that got past the type (as JSON read back would)', () => {
    // Built by hand: toInvoice's cents() would refuse the fraction before classify sees it.
    const allocations = [{ ...toInvoice('INV-1', 0), amountCents: 99.5 }];
    // @ts-expect-error a fraction is not Cents; classify checks again at run time
    const fraction = () => classify(input({ payerAllocations: allocations, invoiceList: invoices }));
    expect(fraction).toThrow(AllocationError);
    expect(fraction).toThrow('allocation 1 amount must be a whole number of cents');
  });

  it('refuses a receipt that is not more than zero', () => {
    expect(() => classify(input({ receiptCents: cents(0), invoiceNumbers: ['INV-1'] }))).toThrow(
      'the receipt must be more than 0.00, got 0.00',
    );
  });

  it('carries the invalid_allocations code', () => {
    let code = '';
    try {
      classify(input({ payerAllocations: [toInvoice('INV-1', 1)] }));
    } catch (error) {
      if (error instanceof AllocationError) code = error.code;
    }
    expect(code).toBe('invalid_allocations');
  });
});

describe('classify a trust receipt', () => {
  const matters = new Set([matterKey('C1', 'M1'), matterKey('C1', 'M2'), matterKey('C2', 'M1')]);

  it('holds the money for the payment’s client and matter, ignoring invoice numbers', () => {
    expect(
      classify(
        input({ account: 'trust', invoiceNumbers: ['INV-1'], clientNumber: ' C1 ', matterNumber: 'M1', matters }),
      ),
    ).toEqual({
      status: 'pending',
      reasons: [],
      allocations: [{ invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M1', amountCents: 10000 }],
    });
  });

  it.each([
    [null, 'M1'],
    ['C1', null],
    ['C1', '  '],
  ])('is incomplete without a client and matter (%s, %s)', (clientNumber, matterNumber) => {
    expect(classify(input({ account: 'trust', clientNumber, matterNumber }))).toEqual({
      status: 'incomplete',
      reasons: ['no_matter'],
      allocations: [],
    });
  });

  it('accepts a split over matters', () => {
    const allocations: Allocation[] = [
      { invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M1', amountCents: cents(2500) },
      { invoiceNumber: '', clientNumber: 'C1', matterNumber: 'M2', amountCents: cents(7500) },
    ];
    const verdict = classify(input({ account: 'trust', payerAllocations: allocations, matters }));
    expect(verdict.status).toBe('pending');
    expect(verdict.allocations[1]?.invoiceNumber).toBeNull();
  });

  it('refuses an invoice on trust money, or a line without a matter', () => {
    const onInvoice: Allocation = {
      invoiceNumber: 'INV-1',
      clientNumber: 'C1',
      matterNumber: 'M1',
      amountCents: cents(10000),
    };
    expect(() => classify(input({ account: 'trust', payerAllocations: [onInvoice] }))).toThrow(
      /trust money is not applied to invoices/,
    );
    const noMatter: Allocation = {
      invoiceNumber: null,
      clientNumber: 'C1',
      matterNumber: null,
      amountCents: cents(10000),
    };
    expect(() => classify(input({ account: 'trust', payerAllocations: [noMatter] }))).toThrow(
      /needs a client number and a matter number/,
    );
  });

  it('never holds money for a matter the MMS does not have: unknown_matter (client 9999 / matter 001)', () => {
    expect(classify(input({ account: 'trust', clientNumber: '9999', matterNumber: '001', matters }))).toEqual({
      status: 'incomplete',
      reasons: ['unknown_matter'],
      allocations: [{ invoiceNumber: null, clientNumber: '9999', matterNumber: '001', amountCents: 10000 }],
    });
    const split: Allocation[] = [
      { invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M1', amountCents: cents(2500) },
      { invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M9', amountCents: cents(7500) },
    ];
    expect(classify(input({ account: 'trust', clientNumber: 'C1', payerAllocations: split, matters })).reasons).toEqual(
      ['unknown_matter'],
    );
  });

  it('flags trust money put on another client’s matter, unless an accountant accepted it', () => {
    const elsewhere: Allocation[] = [
      { invoiceNumber: null, clientNumber: 'C2', matterNumber: 'M1', amountCents: cents(10000) },
    ];
    expect(
      classify(input({ account: 'trust', clientNumber: 'C1', matterNumber: 'M1', reallocation: elsewhere, matters }))
        .reasons,
    ).toEqual(['client_mismatch']);
    expect(
      classify(
        input({
          account: 'trust',
          clientNumber: 'C1',
          matterNumber: 'M1',
          reallocation: elsewhere,
          clientMismatchAccepted: true,
          matters,
        }),
      ).status,
    ).toBe('pending');
  });
});

describe('one classification, whatever path asks (SPEC §3.4)', () => {
  const redwood = invoice('24-0163', { clientNumber: '1001', matterNumber: '001', balanceCents: cents(100000) });
  const bluebell = {
    invoiceNumbers: ['24-0163'],
    clientNumber: '1003',
    receiptCents: cents(50000),
    invoiceList: [redwood],
  };

  it('keeps a client mismatch when the record’s own lines are classified again (the sync bug)', () => {
    const first = classify(input(bluebell));
    expect(first).toMatchObject({ status: 'incomplete', reasons: ['client_mismatch'] });
    // The verdict's lines name the invoice's client; fed back as the accountant's lines, as
    // a sync or an unchanged save does, the payment's client still decides.
    expect(first.allocations[0]?.clientNumber).toBe('1001');
    expect(classify(input({ ...bluebell, reallocation: first.allocations }))).toEqual(first);
  });

  it('an accountant’s acceptance (a third party pays this client’s invoice) is what clears it', () => {
    expect(classify(input({ ...bluebell, clientMismatchAccepted: true }))).toMatchObject({
      status: 'pending',
      reasons: [],
    });
  });

  it('an accountant’s reallocation onto the payer’s own client’s invoice clears it', () => {
    const own = invoice('24-0200', { clientNumber: '1003', matterNumber: '002', balanceCents: cents(100000) });
    expect(
      classify(input({ ...bluebell, invoiceList: [redwood, own], reallocation: [toInvoice('24-0200', 50000)] })).status,
    ).toBe('pending');
  });

  it('an accountant’s reallocation keeps the payment’s client: no line of theirs can name another', () => {
    const onRedwood: Allocation = {
      invoiceNumber: '24-0163',
      clientNumber: '1001',
      matterNumber: '001',
      amountCents: cents(50000),
    };
    expect(classify(input({ ...bluebell, reallocation: [onRedwood] })).reasons).toEqual(['client_mismatch']);
  });

  it('the accountant’s lines replace the payer’s split', () => {
    const verdict = classify(
      input({
        ...bluebell,
        clientNumber: '1001',
        payerAllocations: [toInvoice('NOPE', 50000)],
        reallocation: [toInvoice('24-0163', 50000)],
      }),
    );
    expect(verdict.status).toBe('pending');
  });
});
