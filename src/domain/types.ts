// Placeholder until the domain branch lands; the domain branch's version replaces it.
export type Cents = number;
export const ACCOUNTS = ['operating', 'trust'] as const;
export type Account = (typeof ACCOUNTS)[number];
export const ORIGINS = ['connect', 'payment_page', 'enter_payment', 'payment_schedule', 'quick_link'] as const;
export type Origin = (typeof ORIGINS)[number];
export const METHODS = ['card', 'echeck'] as const;
export type Method = (typeof METHODS)[number];
export const RECORD_STATUSES = ['pending', 'incomplete', 'queued', 'posted', 'removed'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
export const PAYMENT_STATUSES = ['approved', 'declined', 'voided', 'refunded', 'charged_back'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const INVOICE_STATUSES = ['open', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const FILE_FORMATS = ['paybridge-csv', 'juris-csv'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];
export const REASONS = [
  'no_invoice_number', 'invalid_invoice_number', 'multiple_invoice_numbers', 'invoice_closed',
  'exceeds_balance', 'client_mismatch', 'payment_reversed', 'no_matter',
] as const;
export type Reason = (typeof REASONS)[number];
export interface Allocation { invoiceNumber: string | null; clientNumber: string | null; matterNumber: string | null; amountCents: Cents }
export interface InvoiceFacts { invoiceNumber: string; clientNumber: string; matterNumber: string; invoiceDate: string; balanceCents: Cents; status: InvoiceStatus }
