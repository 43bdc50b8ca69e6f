import { cents } from './money.ts';
import type { RecordTerms } from './reconcile.ts';
import type { Account, Allocation } from './types.ts';

/** What a record's classification terms come from: the record's columns and its payment's, as stored. */
export interface StoredTerms {
  account: Account;
  amount_cents: number;
  reallocated: boolean;
  client_mismatch_accepted: boolean;
  mms_status: 'awaiting' | 'applied' | 'rejected' | null;
  /** The payment's, as taken in. */
  invoice_numbers: string[];
  client_number: string | null;
  matter_number: string | null;
  payer_allocations: unknown;
}

/** The payer's split as take-payment stored it (JSON of Allocation[]), or null. */
export function payerAllocationsOf(stored: unknown): Allocation[] | null {
  if (!Array.isArray(stored)) return null;
  return stored.map((line: Partial<Record<keyof Allocation, unknown>>) => ({
    invoiceNumber: typeof line.invoiceNumber === 'string' ? line.invoiceNumber : null,
    clientNumber: typeof line.clientNumber === 'string' ? line.clientNumber : null,
    matterNumber: typeof line.matterNumber === 'string' ? line.matterNumber : null,
    amountCents: cents(Number(line.amountCents), 'stored allocation'),
  }));
}

/** What classify takes from a stored record: its payment as taken in, and the accountant's choices. */
export function termsOf(row: StoredTerms, lines: Allocation[]): RecordTerms {
  return {
    account: row.account,
    receiptCents: cents(row.amount_cents, 'receipt'),
    invoiceNumbers: row.invoice_numbers,
    clientNumber: row.client_number,
    matterNumber: row.matter_number,
    payerAllocations: payerAllocationsOf(row.payer_allocations),
    reallocation: row.reallocated ? lines : null,
    clientMismatchAccepted: row.client_mismatch_accepted,
    rejectedByMms: row.mms_status === 'rejected',
  };
}

/** The terms of a record about to be made: the payment's word only, no accountant's choice yet, never refused by the MMS. */
export function newRecordTerms(
  payment: Pick<
    RecordTerms,
    'account' | 'receiptCents' | 'invoiceNumbers' | 'clientNumber' | 'matterNumber' | 'payerAllocations'
  >,
): RecordTerms {
  return { ...payment, reallocation: null, clientMismatchAccepted: false, rejectedByMms: false };
}

/** Every invoice number the terms refer to, sorted: what posting_records.refers_to holds. */
export function referencedInvoices(
  terms: Pick<RecordTerms, 'invoiceNumbers' | 'payerAllocations' | 'reallocation'>,
): string[] {
  const numbers = [
    ...terms.invoiceNumbers,
    ...[...(terms.payerAllocations ?? []), ...(terms.reallocation ?? [])].map((a) => a.invoiceNumber ?? ''),
  ];
  return [...new Set(numbers.map((n) => n.trim()).filter(Boolean))].sort();
}

/** The client/matter pairs trust terms refer to. */
export function referencedMatters(terms: RecordTerms): [string, string][] {
  if (terms.account !== 'trust') return [];
  const pairs: [string, string][] = [];
  const add = (client: string | null, matter: string | null) => {
    const c = client?.trim() ?? '';
    const m = matter?.trim() ?? '';
    if (c !== '' && m !== '') pairs.push([c, m]);
  };
  add(terms.clientNumber, terms.matterNumber);
  for (const line of [...(terms.payerAllocations ?? []), ...(terms.reallocation ?? [])])
    add(line.clientNumber, line.matterNumber);
  return pairs;
}

/** The same lines, in the same order. */
export function sameLines(a: readonly Allocation[], b: readonly Allocation[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!;
      return (
        x.invoiceNumber === y.invoiceNumber &&
        x.clientNumber === y.clientNumber &&
        x.matterNumber === y.matterNumber &&
        x.amountCents === y.amountCents
      );
    })
  );
}

/**
 * Whether an accountant's lines say what the record's lines already say: the same
 * invoices (operating) or clients and matters (trust), the same amounts, in order. An
 * operating line's client and matter are its invoice's, not the accountant's to give.
 */
export function sameTargets(lines: readonly Allocation[], current: readonly Allocation[]): boolean {
  return (
    lines.length === current.length &&
    lines.every((line, i) => {
      const now = current[i]!;
      if (line.amountCents !== now.amountCents || line.invoiceNumber !== now.invoiceNumber) return false;
      return (
        line.invoiceNumber !== null ||
        (line.clientNumber === now.clientNumber && line.matterNumber === now.matterNumber)
      );
    })
  );
}
