import { AllocationError, checkAllocations, normalizeInvoiceNumbers } from './allocations.ts';
import { addCents, assertCents, formatCents, maxCents, subtractCents, ZERO_CENTS, type Cents } from './money.ts';
import { oldestFirst, spreadOldestFirst } from './oldest-first.ts';
import { REASONS, type Account, type Allocation, type InvoiceFacts, type Reason } from './types.ts';

export { AllocationError, checkAllocations, normalizeInvoiceNumbers } from './allocations.ts';

/**
 * SPEC §3.4: everything a record's status and reasons depend on, and nothing else.
 * The payment's fields are as it was taken in (never overwritten); the accountant's
 * choices are the only things an edit changes; the mirror is the firm's synced MMS data
 * less what other records take.
 */
export interface ClassifyInput {
  account: Account;
  /** Payment amount less surcharge; more than zero (reversals are not classified). */
  receiptCents: Cents;
  /** As the payer typed them: trimmed, blanks dropped, repeats removed (case-sensitive). */
  invoiceNumbers: readonly string[];
  /** The client the payment names, if any. */
  clientNumber: string | null;
  matterNumber: string | null;
  /** The payer's own split, taken in with the payment: checked instead of inferred. */
  payerAllocations: readonly Allocation[] | null;
  /** An accountant's allocations (Edit Posting Record): they replace the payer's terms. */
  reallocation: readonly Allocation[] | null;
  /** An accountant said a third party pays this client's invoice (or funds this matter). */
  clientMismatchAccepted: boolean;
  /** The MMS refused the record's last delivery, and no accountant has fixed it since (SPEC §5.1). */
  rejectedByMms: boolean;
  /** The firm's synced invoices the input refers to, by number. */
  invoices: ReadonlyMap<string, InvoiceFacts>;
  /** The firm's synced matters the input refers to, as matterKey(client, matter). */
  matters: ReadonlySet<string>;
  /** Per invoice number, cents OTHER records already take from it (see claims.ts). */
  appliedElsewhere: ReadonlyMap<string, Cents>;
  /**
   * A correction's replacement: per invoice number, what its own reversal gives back to it.
   * The two reach the MMS together (SPEC §3.7), so the replacement may take it again.
   */
  givenBack?: ReadonlyMap<string, Cents>;
  /** Firm setting: spread a receipt naming several invoices over them, oldest first. */
  autoApply: boolean;
}

export interface Verdict {
  status: 'pending' | 'incomplete';
  reasons: Reason[];
  allocations: Allocation[];
}

/** How a set of synced matters is keyed: a client's matter numbers are only unique within the client. */
export function matterKey(clientNumber: string, matterNumber: string): string {
  return `${clientNumber}\u0000${matterNumber}`;
}

/**
 * SPEC §3.3–3.4. A verdict, not a decision: saving it, and writing the audit event, is the
 * caller's step. Conflicts with the firm's data become reasons (the record waits for an
 * accountant or the next sync); input that could never be stored throws AllocationError.
 */
export function classify(input: ClassifyInput): Verdict {
  assertCents(input.receiptCents, 'receipt');
  if (input.receiptCents <= 0) {
    throw new AllocationError(`the receipt must be more than 0.00, got ${formatCents(input.receiptCents)}`);
  }
  const given = input.reallocation ?? input.payerAllocations;
  const explicit = given === null ? null : checkAllocations(input.account, input.receiptCents, given);
  // A client the payer wrote on a line of their own split is theirs to name; an
  // accountant's reallocation names invoices, and the payment's client still applies.
  const linesNameClient = input.reallocation === null;
  const judged =
    input.account === 'trust' ? classifyTrust(input, explicit) : classifyOperating(input, explicit, linesNameClient);
  return input.rejectedByMms ? verdict([...judged.reasons, 'rejected_by_mms'], judged.allocations) : judged;
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

/** Whether money named for one client lands with another, unless an accountant accepted it. */
function mismatched(input: ClassifyInput, named: string | null, actual: string): boolean {
  return !input.clientMismatchAccepted && named !== null && named !== actual;
}

function classifyTrust(input: ClassifyInput, explicit: Allocation[] | null): Verdict {
  let lines = explicit;
  if (lines === null) {
    const clientNumber = present(input.clientNumber);
    const matterNumber = present(input.matterNumber);
    if (clientNumber === null || matterNumber === null) return verdict(['no_matter'], []);
    lines = [{ invoiceNumber: null, clientNumber, matterNumber, amountCents: input.receiptCents }];
  }
  const reasons: Reason[] = [];
  const named = present(input.clientNumber);
  for (const line of lines) {
    // checkAllocations and the inference above never let a trust line through without both.
    const client = line.clientNumber ?? '';
    const matter = line.matterNumber ?? '';
    // Trust money is never posted to a matter the MMS does not have.
    if (!input.matters.has(matterKey(client, matter))) reasons.push('unknown_matter');
    if (mismatched(input, named, client)) reasons.push('client_mismatch');
  }
  return verdict(reasons, lines);
}

function classifyOperating(input: ClassifyInput, explicit: Allocation[] | null, linesNameClient: boolean): Verdict {
  if (explicit !== null) return checked(input, explicit, linesNameClient, []);
  const numbers = normalizeInvoiceNumbers(input.invoiceNumbers);
  const [only] = numbers;
  if (only === undefined) return verdict(['no_invoice_number'], []);
  if (numbers.length === 1) return checked(input, [inferred(only, input.receiptCents)], false, []);
  // Each number the payer typed is checked even if auto-apply gives it nothing: a typo or
  // a paid invoice among several still needs an accountant's eye.
  const referenced = numbers.flatMap((number) => invoiceReasons(input, number, null));
  if (!input.autoApply) return verdict(['multiple_invoice_numbers', ...referenced], []);
  return checked(input, applyOldestFirst(input, numbers), false, referenced);
}

function inferred(invoiceNumber: string, amountCents: Cents): Allocation {
  return { invoiceNumber, clientNumber: null, matterNumber: null, amountCents };
}

/** Checks operating allocations, then fills in whose invoice each one is for the file. */
function checked(
  input: ClassifyInput,
  allocations: Allocation[],
  linesNameClient: boolean,
  earlier: Reason[],
): Verdict {
  const reasons = [...earlier];
  const perInvoice = new Map<string, Cents>();
  for (const allocation of allocations) {
    const number = allocation.invoiceNumber;
    if (number === null) continue; // checkAllocations and inferred() never let this through
    reasons.push(...invoiceReasons(input, number, linesNameClient ? allocation.clientNumber : null));
    perInvoice.set(number, addCents(perInvoice.get(number) ?? ZERO_CENTS, allocation.amountCents));
  }
  for (const [number, total] of perInvoice) {
    const invoice = input.invoices.get(number);
    // A paid or void invoice is already invoice_closed; its zero balance would only add noise.
    if (invoice !== undefined && isOpen(input, invoice) && total > available(input, invoice))
      reasons.push('exceeds_balance');
  }
  return verdict(
    reasons,
    allocations.map((allocation) => withParties(input, allocation)),
  );
}

function invoiceReasons(input: ClassifyInput, number: string, lineClient: string | null): Reason[] {
  const invoice = input.invoices.get(number);
  if (invoice === undefined) return ['invalid_invoice_number'];
  const reasons: Reason[] = [];
  if (!isOpen(input, invoice)) reasons.push('invoice_closed');
  if (mismatched(input, present(lineClient) ?? present(input.clientNumber), invoice.clientNumber))
    reasons.push('client_mismatch');
  return reasons;
}

/**
 * Open, or paid by money a correction's reversal gives back to it: the MMS reopens it as
 * the pair arrives, and the replacement posted with it may take that money again.
 */
function isOpen(input: ClassifyInput, invoice: InvoiceFacts): boolean {
  if (invoice.status === 'open') return true;
  return invoice.status === 'paid' && (input.givenBack?.get(invoice.invoiceNumber) ?? ZERO_CENTS) > 0;
}

/** Open balance less what other records already take, never below 0. */
function available(input: ClassifyInput, invoice: InvoiceFacts): Cents {
  const taken = input.appliedElsewhere.get(invoice.invoiceNumber) ?? ZERO_CENTS;
  const back = input.givenBack?.get(invoice.invoiceNumber) ?? ZERO_CENTS;
  return maxCents(ZERO_CENTS, addCents(subtractCents(invoice.balanceCents, taken), back));
}

/**
 * An operating line names its invoice's client and matter (the MMS file carries both);
 * for an invoice the MMS does not have, the client and matter the line or the payment
 * gave. The verdict's lines are output only: classifying again starts from the payment
 * and the accountant's choices, so filling these in can never hide a client mismatch.
 */
function withParties(input: ClassifyInput, allocation: Allocation): Allocation {
  const invoice = allocation.invoiceNumber === null ? undefined : input.invoices.get(allocation.invoiceNumber);
  if (invoice !== undefined)
    return { ...allocation, clientNumber: invoice.clientNumber, matterNumber: invoice.matterNumber };
  return {
    ...allocation,
    clientNumber: allocation.clientNumber ?? present(input.clientNumber),
    matterNumber: allocation.matterNumber ?? present(input.matterNumber),
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
  const spread = spreadOldestFirst(
    open.map((invoice) => ({ ...invoice, availableCents: available(input, invoice) })),
    input.receiptCents,
  );
  const allocations = spread.allocations.map((a) => inferred(a.invoiceNumber, a.amountCents));
  if (spread.leftoverCents > 0) {
    const last = allocations.at(-1);
    const newest = open.at(-1);
    if (last !== undefined) last.amountCents = addCents(last.amountCents, spread.leftoverCents);
    else if (newest !== undefined) allocations.push(inferred(newest.invoiceNumber, spread.leftoverCents));
  }
  return allocations;
}
