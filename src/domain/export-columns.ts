import { REVERSAL_LABEL } from './payment-reversal.ts';
import { firmDayCell, paymentMethodText, type XlsxColumn } from './spreadsheet.ts';
import { REASON_TEXT, type Reason, type ReversalRecordKind } from './types.ts';

/** The Excel exports' columns (SPEC §9): what each shows, in which order, how wide. */

/** What both exports show of the money taken in, a payment's or its posting record's alike. */
interface Taken {
  id: string;
  processedAt: string;
  payerName: string;
  invoiceNumbers: readonly string[];
  clientNumber: string | null;
  matterNumber: string | null;
  amountCents: number;
  surchargeCents: number;
  method: string;
  cardBrand: string | null;
  last4: string | null;
  account: string;
  origin: string;
  status: string;
}

/** A payment of the Payment Manager, as its export reads it. */
export interface ExportedPayment extends Taken {
  payerEmail: string | null;
  postingStatus: string | null;
  processorId: string;
  postingRecordId: string | null;
}

/** A posting record of Manage Postings, as its export reads it. */
export interface ExportedRecord extends Taken {
  postingDate: string;
  allocations: readonly { invoiceNumber: string | null; clientNumber: string | null; matterNumber: string | null }[];
  reasons: readonly Reason[];
  memo: string;
  batchSeq: number | null;
  reversalOf: string | null;
  reversalKind: ReversalRecordKind | null;
  /** A correction's replacement: the record it replaces (SPEC §3.7). */
  replaces: string | null;
}

/** The day the money came in, in the firm's time zone. */
const takenOn = <T extends Taken>(timeZone: string): XlsxColumn<T> => ({
  header: 'Date',
  width: 12,
  kind: 'date',
  value: (r) => firmDayCell(r.processedAt, timeZone),
});

/** The amount, surcharge, method, account and origin, the same in both exports. */
const terms = <T extends Taken>(): XlsxColumn<T>[] => [
  { header: 'Amount', width: 14, kind: 'money', value: (r) => r.amountCents },
  { header: 'Surcharge', width: 12, kind: 'money', value: (r) => r.surchargeCents },
  { header: 'Method', width: 18, kind: 'text', value: paymentMethodText },
  { header: 'Account', width: 11, kind: 'text', value: (r) => r.account },
  { header: 'Origin', width: 15, kind: 'text', value: (r) => r.origin },
];

/** The columns of a payments export; its dates are days in the firm's time zone. */
export const paymentColumns = (timeZone: string): readonly XlsxColumn<ExportedPayment>[] => [
  takenOn(timeZone),
  { header: 'Payer', width: 28, kind: 'text', value: (p) => p.payerName },
  { header: 'Payer email', width: 28, kind: 'text', value: (p) => p.payerEmail },
  { header: 'Invoice(s)', width: 20, kind: 'text', value: (p) => p.invoiceNumbers.join(', ') },
  { header: 'Client', width: 12, kind: 'text', value: (p) => p.clientNumber },
  { header: 'Matter', width: 12, kind: 'text', value: (p) => p.matterNumber },
  ...terms<ExportedPayment>(),
  { header: 'Status', width: 12, kind: 'text', value: (p) => p.status },
  { header: 'Posting status', width: 14, kind: 'text', value: (p) => p.postingStatus },
  { header: 'Processor id', width: 28, kind: 'text', value: (p) => p.processorId },
  { header: 'Payment id', width: 38, kind: 'text', value: (p) => p.id },
  { header: 'Posting record id', width: 38, kind: 'text', value: (p) => p.postingRecordId },
];

/** The distinct values, in the order first met, empty ones left out, as one cell's text. */
export const distinctText = (values: readonly (string | null)[]): string =>
  [...new Set(values.filter((v): v is string => Boolean(v)))].join(', ');

/** What a record applies to: its allocations once it has them, else what the payer typed. */
export const recordInvoices = (r: ExportedRecord): string =>
  distinctText(r.allocations.length ? r.allocations.map((a) => a.invoiceNumber) : r.invoiceNumbers);
export const recordClients = (r: ExportedRecord): string =>
  distinctText(r.allocations.some((a) => a.clientNumber) ? r.allocations.map((a) => a.clientNumber) : [r.clientNumber]);
export const recordMatters = (r: ExportedRecord): string =>
  distinctText(r.allocations.some((a) => a.matterNumber) ? r.allocations.map((a) => a.matterNumber) : [r.matterNumber]);

/** The columns of a postings export; its dates are days in the firm's time zone. */
export const recordColumns = (timeZone: string): readonly XlsxColumn<ExportedRecord>[] => [
  takenOn(timeZone),
  { header: 'Posting date', width: 12, kind: 'date', value: (r) => new Date(`${r.postingDate}T00:00:00.000Z`) },
  { header: 'Payer', width: 28, kind: 'text', value: (r) => r.payerName },
  { header: 'Invoice(s)', width: 20, kind: 'text', value: recordInvoices },
  { header: 'Client', width: 12, kind: 'text', value: recordClients },
  { header: 'Matter', width: 12, kind: 'text', value: recordMatters },
  ...terms<ExportedRecord>(),
  { header: 'Status', width: 11, kind: 'text', value: (r) => r.status },
  {
    header: 'Reverses',
    width: 14,
    kind: 'text',
    // Both halves of a correction say so: the reversal by its kind, the replacement as one.
    value: (r) =>
      r.reversalKind !== null
        ? REVERSAL_LABEL[r.reversalKind]
        : r.replaces !== null
          ? `${REVERSAL_LABEL.correction} (replacement)`
          : null,
  },
  {
    header: 'Reasons',
    width: 50,
    kind: 'text',
    value: (r) => r.reasons.map((reason) => REASON_TEXT[reason]).join('; '),
  },
  { header: 'Memo', width: 30, kind: 'text', value: (r) => r.memo },
  { header: 'Batch seq', width: 10, kind: 'number', value: (r) => r.batchSeq },
  { header: 'Record id', width: 38, kind: 'text', value: (r) => r.id },
  { header: 'Reversal of', width: 38, kind: 'text', value: (r) => r.reversalOf ?? r.replaces },
];
