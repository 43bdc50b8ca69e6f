import { AllocationError, checkAllocations, normalizeInvoiceNumbers } from './allocations.ts';
import { assertCents, formatCents, type Cents } from './money.ts';
import { oldestFirst, spreadOldestFirst } from './oldest-first.ts';
import { REASONS, type Account, type Allocation, type InvoiceFacts, type Reason } from './types.ts';

export { AllocationError, checkAllocations, normalizeInvoiceNumbers } from './allocations.ts';

export interface ClassifyInput {
  account: Account;
  /** Payment amount less surcharge; more than zero (reversals are not classified). */
  receiptCents: Cents;
  /** As the payer typed them: trimmed, blanks dropped, repeats removed (case-sensitive). */
  invoiceNumbers: string[];
  /** The client the payment names, if any. */
  clientNumber: string | null;
  matterNumber: string | null;
  /** The payer's own split, or an accountant's reallocation: checked instead of inferred. */
  allocations: Allocation[] | null;
  /** The firm's synced invoices the input refers to, by number. */
  invoices: ReadonlyMap<string, InvoiceFacts>;
  /** Per invoice number, cents already applied by OTHER pending or queued records. */
  appliedElsewhere: ReadonlyMap<string, Cents>;
  /** Firm setting: spread a receipt naming several invoices over them, oldest first. */
  autoApply: boolean;
}

export interface Verdict {
  status: 'pending' | 'incomplete';
  reasons: Reason[];
  allocations: Allocation[];
}

/**
 * SPEC §3.3. A verdict, not a decision: saving it, and writing the audit event, is the
 * caller's step. Conflicts with the firm's data become reasons (the record waits for an
 * accountant or the next sync); input that could never be stored throws AllocationError.
 */
export function classify(input: ClassifyInput): Verdict {
  assertCents(input.receiptCents, 'receipt');
  if (input.receiptCents <= 0) {
    throw new AllocationError(`the receipt must be more than 0.00, got ${formatCents(input.receiptCents)}`);
  }
  const explicit =
    input.allocations === null ? null : checkAllocations(input.account, input.receiptCents, input.allocations);
  return input.account === 'trust' ? classifyTrust(input, explicit) : classifyOperating(input, explicit);
}

function verdict(reasons: Iterable<Reason>, allocations: Allocation[]): Verdict {
  const found = new Set(reasons);
  const ordered = REASONS.filter((reason) => found.has(reason));
  return { status: ordered.length === 0 ? 'pending' : 'incomplete', reasons: ordered, allocations };
}

function present(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function classifyTrust(input: ClassifyInput, explicit: Allocation[] | null): Verdict {
  if (explicit !== null) return verdict([], explicit);
  const clientNumber = present(input.clientNumber);
  const matterNumber = present(input.matterNumber);
  if (clientNumber === null || matterNumber === null) return verdict(['no_matter'], []);
  return verdict([], [{ invoiceNumber: null, clientNumber, matterNumber, amountCents: input.receiptCents }]);
}

function classifyOperating(input: ClassifyInput, explicit: Allocation[] | null): Verdict {
  if (explicit !== null) return checked(input, explicit, []);
  const numbers = normalizeInvoiceNumbers(input.invoiceNumbers);
  const [only] = numbers;
  if (only === undefined) return verdict(['no_invoice_number'], []);
  if (numbers.length === 1) return checked(input, [inferred(only, input.receiptCents)], []);
  // Each number the payer typed is checked even if auto-apply gives it nothing: a typo or
  // a paid invoice among several still needs an accountant's eye.
  const referenced = numbers.flatMap((number) => invoiceReasons(input, number, null));
  if (!input.autoApply) return verdict(['multiple_invoice_numbers', ...referenced], []);
  return checked(input, applyOldestFirst(input, numbers), referenced);
}

function inferred(invoiceNumber: string, amountCents: Cents): Allocation {
  return { invoiceNumber, clientNumber: null, matterNumber: null, amountCents };
}

/** Checks operating allocations, then fills in whose invoice each one is for the file. */
function checked(input: ClassifyInput, allocations: Allocation[], earlier: Reason[]): Verdict {
  const reasons = [...earlier];
  const perInvoice = new Map<string, Cents>();
  for (const allocation of allocations) {
    const number = allocation.invoiceNumber;
    if (number === null) continue; // checkAllocations and inferred() never let this through
    reasons.push(...invoiceReasons(input, number, allocation.clientNumber));
    perInvoice.set(number, (perInvoice.get(number) ?? 0) + allocation.amountCents);
  }
  for (const [number, total] of perInvoice) {
    const invoice = input.invoices.get(number);
    // A paid or void invoice is already invoice_closed; its zero balance would only add noise.
    if (invoice?.status === 'open' && total > available(input, invoice)) reasons.push('exceeds_balance');
  }
  return verdict(reasons, allocations.map((allocation) => withParties(input, allocation)));
}

function invoiceReasons(input: ClassifyInput, number: string, allocationClient: string | null): Reason[] {
  const invoice = input.invoices.get(number);
  if (invoice === undefined) return ['invalid_invoice_number'];
  const reasons: Reason[] = [];
  if (invoice.status !== 'open') reasons.push('invoice_closed');
  const named = present(allocationClient) ?? present(input.clientNumber);
  if (named !== null && named !== invoice.clientNumber) reasons.push('client_mismatch');
  return reasons;
}

/** Open balance less what other pending or queued records already apply, never below 0. */
function available(input: ClassifyInput, invoice: InvoiceFacts): Cents {
  return Math.max(0, invoice.balanceCents - (input.appliedElsewhere.get(invoice.invoiceNumber) ?? 0));
}

/**
 * An allocation names the client and matter it was given, else its invoice's (the file
 * carries both), else the payment's. A given client is kept even when it differs from
 * the invoice's, so the client_mismatch survives re-classification.
 */
function withParties(input: ClassifyInput, allocation: Allocation): Allocation {
  if (allocation.clientNumber !== null) return allocation;
  const invoice = allocation.invoiceNumber === null ? undefined : input.invoices.get(allocation.invoiceNumber);
  return {
    ...allocation,
    clientNumber: invoice?.clientNumber ?? present(input.clientNumber),
    matterNumber: invoice?.matterNumber ?? present(input.matterNumber),
  };
}

/**
 * Auto-apply: each open invoice, oldest first, takes up to its available balance. What is
 * left over goes on the last allocation so the lines still sum to the receipt, and the
 * balance check then marks it exceeds_balance for an accountant to place.
 */
function applyOldestFirst(input: ClassifyInput, numbers: string[]): Allocation[] {
  const open = numbers
    .map((number) => input.invoices.get(number))
    .filter((invoice): invoice is InvoiceFacts => invoice?.status === 'open')
    .sort(oldestFirst);
  const spread = spreadOldestFirst(open.map((invoice) => ({ ...invoice, availableCents: available(input, invoice) })), input.receiptCents);
  const allocations = spread.allocations.map((a) => inferred(a.invoiceNumber, a.amountCents));
  if (spread.leftoverCents > 0) {
    const last = allocations.at(-1);
    const newest = open.at(-1);
    if (last !== undefined) last.amountCents += spread.leftoverCents;
    else if (newest !== undefined) allocations.push(inferred(newest.invoiceNumber, spread.leftoverCents));
  }
  return allocations;
}
