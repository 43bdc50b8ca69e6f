import { maxCents, minCents, subtractCents, ZERO_CENTS, type Cents } from './money.ts';

/** An open invoice as auto-apply sees it: how old it is and how much it can still take. */
export interface RoomOnInvoice {
  invoiceNumber: string;
  /** YYYY-MM-DD */
  invoiceDate: string;
  /** The open balance less what other records already apply; never below 0 here. */
  availableCents: Cents;
}

const naturalOrder = new Intl.Collator('en', { numeric: true });

/** Oldest invoice date first; natural order of the number (INV-9 before INV-10) breaks a tie, code units any left. */
export function oldestFirst(
  a: { invoiceNumber: string; invoiceDate: string },
  b: { invoiceNumber: string; invoiceDate: string },
): number {
  if (a.invoiceDate !== b.invoiceDate) return a.invoiceDate < b.invoiceDate ? -1 : 1;
  const natural = naturalOrder.compare(a.invoiceNumber, b.invoiceNumber);
  if (natural !== 0) return natural;
  return a.invoiceNumber < b.invoiceNumber ? -1 : a.invoiceNumber > b.invoiceNumber ? 1 : 0;
}

/**
 * The auto-apply rule (SPEC §3.3, firm setting and Make A Payment alike): oldest invoice
 * first, each up to its available balance; an invoice with no room gets nothing. What
 * the invoices cannot take comes back as `leftoverCents` for the caller to deal with.
 */
export function spreadOldestFirst(
  invoices: readonly RoomOnInvoice[],
  receiptCents: Cents,
): { allocations: { invoiceNumber: string; amountCents: Cents }[]; leftoverCents: Cents } {
  const allocations: { invoiceNumber: string; amountCents: Cents }[] = [];
  let remaining = receiptCents;
  for (const invoice of [...invoices].sort(oldestFirst)) {
    const amount = minCents(remaining, maxCents(ZERO_CENTS, invoice.availableCents));
    if (amount <= 0) continue;
    allocations.push({ invoiceNumber: invoice.invoiceNumber, amountCents: amount });
    remaining = subtractCents(remaining, amount);
  }
  return { allocations, leftoverCents: remaining };
}
