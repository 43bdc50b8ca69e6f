import { cents } from './money.ts';
import { oldestFirst, spreadOldestFirst } from './oldest-first.ts';
import { plural } from './plural.ts';

/**
 * An invoice number as a payer might type it, reduced to what identifies it: upper case,
 * no leading zeros in a run of digits, and nothing but letters and digits, so "inv 0042",
 * "INV-42" and "Inv42" are one invoice. Zeros go first, while the runs are still apart:
 * "2024-0042" and "2024-42" match, "20240042" stays a number of its own.
 */
export function invoiceKey(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/(^|[^0-9])0+(?=[0-9])/g, '$1')
    .replace(/[^A-Z0-9]/g, '');
}

/** An open invoice the suggestion may use: who it belongs to, how old it is and what it can still take. */
export interface OpenInvoice {
  invoiceNumber: string;
  clientNumber: string;
  matterNumber: string;
  /** YYYY-MM-DD */
  invoiceDate: string;
  availableCents: number;
}

export type Confidence = 'high' | 'medium' | 'low';

export interface Suggestion {
  basis: 'typed' | 'oldest_first';
  confidence: Confidence;
  /** Why this confidence, in a sentence for the accountant. */
  why: string;
  allocations: { invoiceNumber: string; clientNumber: string; matterNumber: string; amountCents: number }[];
  /** What the invoices could not take: the accountant places it by hand. */
  leftoverCents: number;
}

function spread(invoices: readonly OpenInvoice[], receiptCents: number) {
  const byNumber = new Map(invoices.map((i) => [i.invoiceNumber, i]));
  const result = spreadOldestFirst(
    invoices.map((i) => ({ ...i, availableCents: cents(Math.max(0, i.availableCents), 'available') })),
    cents(receiptCents, 'receipt'),
  );
  return {
    allocations: result.allocations.map((a) => {
      const invoice = byNumber.get(a.invoiceNumber)!;
      return {
        invoiceNumber: a.invoiceNumber,
        clientNumber: invoice.clientNumber,
        matterNumber: invoice.matterNumber,
        amountCents: a.amountCents,
      };
    }),
    leftoverCents: result.leftoverCents,
  };
}

/**
 * Apply oldest first: the receipt spread over the client's open invoices, oldest first,
 * each up to what it can still take. Null without a client or an invoice with room.
 */
export function oldestFirstSuggestion(
  receiptCents: number,
  clientNumber: string | null,
  invoices: readonly OpenInvoice[],
): Suggestion | null {
  if (!clientNumber) return null;
  const own = invoices.filter((i) => i.clientNumber === clientNumber && i.availableCents > 0);
  const { allocations, leftoverCents } = spread(own, receiptCents);
  if (allocations.length === 0) return null;
  return {
    basis: 'oldest_first',
    confidence: 'low',
    why: `The payer named no invoice that is open; these are client ${clientNumber}'s open invoices, oldest first.`,
    allocations,
    leftoverCents,
  };
}

/**
 * The match Reallocate Payment offers (one click to take it): the open invoices the payer
 * typed, found whatever the case, spaces, dashes or leading zeros, the receipt spread over
 * them oldest first; else the client's open invoices oldest first. High confidence when
 * every typed number is an open invoice as typed, of the client named, and the receipt
 * fits; medium when the numbers had to be normalized, some were not found, the invoices
 * are another client's or cannot take it all; low for the client's oldest invoices.
 */
export function suggestAllocations(input: {
  typed: readonly string[];
  clientNumber: string | null;
  receiptCents: number;
  invoices: readonly OpenInvoice[];
}): Suggestion | null {
  const byKey = new Map<string, OpenInvoice>();
  // Two invoices with one key (INV-1 and INV-01): the older is taken, as auto-apply would.
  for (const invoice of [...input.invoices].sort(oldestFirst)) {
    const key = invoiceKey(invoice.invoiceNumber);
    if (!byKey.has(key)) byKey.set(key, invoice);
  }
  const typed = [...new Set(input.typed.map((t) => t.trim()).filter((t) => t !== ''))];
  const found = new Map<string, OpenInvoice>();
  let normalized = false;
  let unmatched = 0;
  for (const number of typed) {
    const invoice = byKey.get(invoiceKey(number));
    if (!invoice || invoice.availableCents <= 0) {
      unmatched += 1;
      continue;
    }
    found.set(invoice.invoiceNumber, invoice);
    if (invoice.invoiceNumber !== number) normalized = true;
  }
  if (found.size === 0) return oldestFirstSuggestion(input.receiptCents, input.clientNumber, input.invoices);
  const { allocations, leftoverCents } = spread([...found.values()], input.receiptCents);
  const doubts: string[] = [];
  if (normalized) doubts.push('the numbers were matched ignoring case, spaces, dashes or leading zeros');
  if (unmatched > 0) doubts.push(`${plural(unmatched, 'typed number matches', 'typed numbers match')} no open invoice`);
  if (input.clientNumber && [...found.values()].some((i) => i.clientNumber !== input.clientNumber))
    doubts.push(`an invoice is not client ${input.clientNumber}'s`);
  if (leftoverCents > 0) doubts.push('the invoices cannot take the whole payment');
  return {
    basis: 'typed',
    confidence: doubts.length === 0 ? 'high' : 'medium',
    why:
      doubts.length === 0
        ? 'The payer typed these open invoices exactly.'
        : `The payer typed these invoices, but ${doubts.join('; ')}.`,
    allocations,
    leftoverCents,
  };
}
