import { cents } from './money.ts';
import type { ClassifyInput } from './classify.ts';
import type { RecordTerms } from './reconcile.ts';
import type { Allocation, InvoiceFacts } from './types.ts';

/** Builders shared by the classify tests: an open invoice of C1/M1 and a 100.00 operating receipt. */
export function invoice(invoiceNumber: string, facts: Partial<InvoiceFacts> = {}): InvoiceFacts {
  return {
    invoiceNumber,
    clientNumber: 'C1',
    matterNumber: 'M1',
    invoiceDate: '2025-01-15',
    balanceCents: cents(10000),
    status: 'open',
    ...facts,
  };
}

/** What a record of a 100.00 operating receipt naming nothing gives classify, but for `overrides`. */
export function recordTerms(overrides: Partial<RecordTerms> = {}): RecordTerms {
  return {
    account: 'operating',
    receiptCents: cents(10000),
    invoiceNumbers: [],
    clientNumber: null,
    matterNumber: null,
    payerAllocations: null,
    reallocation: null,
    clientMismatchAccepted: false,
    rejectedByMms: false,
    ...overrides,
  };
}

export function input(overrides: Partial<ClassifyInput> & { invoiceList?: InvoiceFacts[] } = {}): ClassifyInput {
  const { invoiceList = [], ...rest } = overrides;
  return {
    ...recordTerms(),
    invoices: new Map(invoiceList.map((facts) => [facts.invoiceNumber, facts])),
    matters: new Set(),
    appliedElsewhere: new Map(),
    autoApply: false,
    ...rest,
  };
}

export const toInvoice = (invoiceNumber: string, amountCents: number): Allocation => ({
  invoiceNumber,
  clientNumber: null,
  matterNumber: null,
  amountCents: cents(amountCents),
});
