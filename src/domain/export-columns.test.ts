import { describe, expect, it } from 'vitest';
import {
  distinctText,
  paymentColumns,
  recordClients,
  recordColumns,
  recordInvoices,
  recordMatters,
  type ExportedPayment,
  type ExportedRecord,
} from './export-columns.ts';
import type { XlsxColumn } from './spreadsheet.ts';

const taken = {
  id: 'id-1',
  processedAt: '2026-03-02T04:30:00.000Z',
  payerName: 'Ada Payer',
  invoiceNumbers: ['INV-1', 'INV-2'],
  clientNumber: 'C1',
  matterNumber: null,
  amountCents: 12345,
  surchargeCents: 370,
  method: 'card',
  cardBrand: 'visa',
  last4: '4242',
  account: 'operating',
  origin: 'payment_page',
  status: 'approved',
};
const payment: ExportedPayment = {
  ...taken,
  payerEmail: 'ada@example.com',
  postingStatus: 'pending',
  processorId: 'ch_1',
  postingRecordId: 'rec-1',
};
const record: ExportedRecord = {
  ...taken,
  status: 'incomplete',
  postingDate: '2026-03-01',
  allocations: [],
  reasons: ['no_invoice_number', 'unknown_matter'],
  memo: 'memo',
  batchSeq: null,
  reversalOf: null,
  reversalKind: null,
  replaces: null,
};

/** Each column's header and the value it takes from `row`. */
function cells<T>(columns: readonly XlsxColumn<T>[], row: T): [string, unknown][] {
  return columns.map((c) => [c.header, c.value(row)]);
}

describe('paymentColumns', () => {
  it("shows a payment in the Payment Manager's columns, dated by the firm's day", () => {
    expect(cells(paymentColumns('America/Chicago'), payment)).toEqual([
      ['Date', new Date('2026-03-01T00:00:00.000Z')],
      ['Payer', 'Ada Payer'],
      ['Payer email', 'ada@example.com'],
      ['Invoice(s)', 'INV-1, INV-2'],
      ['Client', 'C1'],
      ['Matter', null],
      ['Amount', 12345],
      ['Surcharge', 370],
      ['Method', 'visa ending 4242'],
      ['Account', 'operating'],
      ['Origin', 'payment_page'],
      ['Status', 'approved'],
      ['Posting status', 'pending'],
      ['Processor id', 'ch_1'],
      ['Payment id', 'id-1'],
      ['Posting record id', 'rec-1'],
    ]);
  });
});

describe('recordColumns', () => {
  it("shows a record in Manage Postings' columns, its reasons in words", () => {
    expect(cells(recordColumns('America/Chicago'), record)).toEqual([
      ['Date', new Date('2026-03-01T00:00:00.000Z')],
      ['Posting date', new Date('2026-03-01T00:00:00.000Z')],
      ['Payer', 'Ada Payer'],
      ['Invoice(s)', 'INV-1, INV-2'],
      ['Client', 'C1'],
      ['Matter', ''],
      ['Amount', 12345],
      ['Surcharge', 370],
      ['Method', 'visa ending 4242'],
      ['Account', 'operating'],
      ['Origin', 'payment_page'],
      ['Status', 'incomplete'],
      ['Reverses', null],
      ['Reasons', 'No invoice number was given; The client and matter are not among the matters synced from the MMS'],
      ['Memo', 'memo'],
      ['Batch seq', null],
      ['Record id', 'id-1'],
      ['Reversal of', null],
    ]);
  });

  it('labels a reversal with what it reverses, and names its original', () => {
    const refund: ExportedRecord = {
      ...record,
      amountCents: -2_500,
      reversalOf: 'rec-0',
      reversalKind: 'echeck_return',
    };
    const row = new Map(cells(recordColumns('America/Chicago'), refund));
    expect(row.get('Reverses')).toBe('eCheck return');
    expect(row.get('Reversal of')).toBe('rec-0');
    expect(row.get('Amount')).toBe(-2_500);
  });

  it("labels both halves of a correction and names the corrected record, the replacement's too", () => {
    const reversal = new Map(
      cells(recordColumns('UTC'), { ...record, reversalOf: 'rec-0', reversalKind: 'correction', replaces: null }),
    );
    expect([reversal.get('Reverses'), reversal.get('Reversal of')]).toEqual(['Correction', 'rec-0']);
    const replacement = new Map(cells(recordColumns('UTC'), { ...record, replaces: 'rec-0' }));
    expect([replacement.get('Reverses'), replacement.get('Reversal of')]).toEqual([
      'Correction (replacement)',
      'rec-0',
    ]);
  });

  it('gives what the record applies to from its allocations once it has them, else what the payer typed', () => {
    const allocated: ExportedRecord = {
      ...record,
      allocations: [
        { invoiceNumber: 'INV-9', clientNumber: 'C2', matterNumber: 'M2' },
        { invoiceNumber: 'INV-8', clientNumber: 'C2', matterNumber: null },
        { invoiceNumber: 'INV-9', clientNumber: 'C3', matterNumber: 'M3' },
      ],
    };
    expect([recordInvoices(allocated), recordClients(allocated), recordMatters(allocated)]).toEqual([
      'INV-9, INV-8',
      'C2, C3',
      'M2, M3',
    ]);
    expect([recordInvoices(record), recordClients(record), recordMatters(record)]).toEqual(['INV-1, INV-2', 'C1', '']);
  });

  it("takes the record's own client and matter when no allocation names one (a line on a bare invoice)", () => {
    const bare: ExportedRecord = {
      ...record,
      matterNumber: 'M1',
      allocations: [{ invoiceNumber: 'INV-1', clientNumber: null, matterNumber: null }],
    };
    expect([recordInvoices(bare), recordClients(bare), recordMatters(bare)]).toEqual(['INV-1', 'C1', 'M1']);
  });
});

describe('distinctText', () => {
  it('keeps the first of each value in order and drops the empty ones', () => {
    expect(distinctText(['b', null, 'a', '', 'b'])).toBe('b, a');
    expect(distinctText([null])).toBe('');
  });
});
