import type { Cents } from './money.ts';

/**
 * The vocabulary shared by the domain, the database schema and the API. Each union has
 * its values as a const array so runtime schemas (zod, SQL checks) are built from one list.
 */
export const ACCOUNTS = ['operating', 'trust'] as const;
export type Account = (typeof ACCOUNTS)[number];

export const ORIGINS = ['connect', 'payment_page', 'enter_payment', 'payment_schedule', 'quick_link'] as const;
export type Origin = (typeof ORIGINS)[number];

export const METHODS = ['card', 'echeck'] as const;
export type Method = (typeof METHODS)[number];

/** How a card is funded, as the processor reports it from the card number (its BIN). */
export const CARD_FUNDINGS = ['credit', 'debit', 'prepaid'] as const;
export type CardFunding = (typeof CARD_FUNDINGS)[number];

export const RECORD_STATUSES = ['pending', 'incomplete', 'queued', 'posted', 'removed'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const PAYMENT_STATUSES = ['approved', 'declined', 'voided', 'refunded', 'charged_back'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * What a reversal record undoes, as lists, exports and the file memo label it: the firm's
 * void or refund, the card holder's chargeback, the bank's eCheck return, or the reversal
 * half of a correction (SPEC §3.5, §3.7).
 */
export const REVERSAL_KINDS = ['void', 'refund', 'chargeback', 'echeck_return', 'correction'] as const;
export type ReversalRecordKind = (typeof REVERSAL_KINDS)[number];

export const INVOICE_STATUSES = ['open', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** A firm's code: it names the firm's batch files (PB_<CODE>_000001.csv), so only these characters. */
export const FIRM_CODE = /^[A-Z0-9_]{1,20}$/;

/** The roles of a firm's users, weakest first. */
export const ROLES = ['viewer', 'accountant', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A bearer token acts for a user (scripts) or for the firm's Connect agent. */
export const TOKEN_KINDS = ['user', 'agent'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export const FILE_FORMATS = ['paybridge-csv', 'juris-csv'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** paybridge-csv versions: 2 adds each line's deposit account codes (juris-csv has one version). */
export const FILE_FORMAT_VERSIONS = [1, 2] as const;
export type FileFormatVersion = (typeof FILE_FORMAT_VERSIONS)[number];

/** A version as the database's smallint holds it (its check allows 1 and 2 only). */
export function fileFormatVersion(value: number): FileFormatVersion {
  const found = FILE_FORMAT_VERSIONS.find((version) => version === value);
  if (found === undefined)
    throw new Error(`file format version ${value} is not one of ${FILE_FORMAT_VERSIONS.join(', ')}`);
  return found;
}

/** Where an agent reads billing data from, and where it delivers batches (its config's source and sink). */
export const AGENT_SOURCES = ['postgres', 'ledes', 'none'] as const;
export type AgentSource = (typeof AGENT_SOURCES)[number];
export const AGENT_SINKS = ['file-drop', 'procedure'] as const;
export type AgentSink = (typeof AGENT_SINKS)[number];

/** In the order an accountant should read them; verdicts list reasons in this order. */
export const REASONS = [
  'no_invoice_number',
  'invalid_invoice_number',
  'multiple_invoice_numbers',
  'invoice_closed',
  'exceeds_balance',
  'client_mismatch',
  'no_matter',
  'unknown_matter',
  'rejected_by_mms',
  'payment_reversed',
] as const;
export type Reason = (typeof REASONS)[number];

export const REASON_TEXT: Record<Reason, string> = {
  no_invoice_number: 'No invoice number was given',
  invalid_invoice_number: 'The invoice number is not among the invoices synced from the MMS',
  multiple_invoice_numbers: 'Several invoice numbers were given; choose how to apply the payment',
  invoice_closed: 'The invoice is already paid or void',
  exceeds_balance: 'The payment is more than the open balance of the invoice',
  client_mismatch: 'The invoice or matter belongs to a different client than the payment names',
  no_matter: 'No client and matter were given for this trust deposit',
  unknown_matter: 'The client and matter are not among the matters synced from the MMS',
  rejected_by_mms: 'The MMS refused this record when it was delivered',
  payment_reversed: 'The payment was voided, refunded or charged back',
};

/**
 * Where part of a receipt goes: an invoice for operating money, a client and matter for
 * trust money (held for the matter, never applied to an invoice).
 */
export interface Allocation {
  invoiceNumber: string | null;
  clientNumber: string | null;
  matterNumber: string | null;
  amountCents: Cents;
}

/** What the domain needs to know of a synced MMS invoice. */
export interface InvoiceFacts {
  invoiceNumber: string;
  clientNumber: string;
  matterNumber: string;
  /** YYYY-MM-DD */
  invoiceDate: string;
  balanceCents: Cents;
  status: InvoiceStatus;
}

/** Whether a string from outside (a select, a row) is one of a union's values, narrowing it to the union. */
export function isOneOf<T extends string>(values: readonly T[], value: string | null | undefined): value is T {
  return value !== null && value !== undefined && (values as readonly string[]).includes(value);
}
