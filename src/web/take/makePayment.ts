import { cents, formatUsd } from '../../domain/money.ts';
import { spreadOldestFirst } from '../../domain/oldest-first.ts';
import type { Invoice } from '../api/types.ts';
import { centsToDollars, dollarsToCents } from '../common/amount.ts';
import { checkDraft, type DraftCheck, type DraftLine } from '../postings/allocationDraft.ts';

/**
 * Make A Payment's lines: unlike a reallocation there is no receipt to match, the payment
 * is what the lines add up to. Each amount must still be exact, positive and on an invoice.
 */
export function checkPaymentLines(lines: DraftLine[]): DraftCheck & { totalCents: number } {
  const totalCents = lines.reduce((sum, line) => {
    const { cents } = dollarsToCents(line.amount);
    return cents !== undefined && cents > 0 ? sum + cents : sum;
  }, 0);
  return { ...checkDraft(lines, totalCents, 'operating'), totalCents };
}

/** Make A Payment's lines are invoice lines (checked as operating money): the allocations the payment takes. */
export function invoiceAllocations(
  allocations: DraftCheck['allocations'],
): { invoiceNumber: string; amountCents: number }[] {
  return allocations.flatMap((a) => ('invoiceNumber' in a ? [a] : []));
}

export type AutoApplied = { lines: DraftLine[]; unplaced: string[]; error?: undefined } | { error: string };

/**
 * Auto-apply, as the server would: the amount goes to the chosen invoices oldest first,
 * each up to what it still has available. The lines come back oldest first; invoices
 * the amount does not reach are dropped and named in `unplaced`. An amount more than the
 * invoices can take is refused here rather than sent to come back as exceeds_balance.
 */
export function autoApplyLines(
  lines: DraftLine[],
  invoices: ReadonlyMap<string, Invoice>,
  amountCents: number,
): AutoApplied {
  if (lines.length === 0) return { error: 'Add the invoices to pay first.' };
  const chosen: Invoice[] = [];
  for (const line of lines) {
    const invoice = invoices.get(line.invoiceNumber);
    if (!invoice)
      return { error: `Invoice ${line.invoiceNumber} was not found by the search; remove it and add it again.` };
    chosen.push(invoice);
  }
  // The wire's numbers become Cents here, checked, for the domain's rule.
  const spread = spreadOldestFirst(
    chosen.map((invoice) => ({ ...invoice, availableCents: cents(invoice.availableCents, 'available') })),
    cents(amountCents),
  );
  if (spread.leftoverCents > 0) {
    const room = chosen.reduce((sum, invoice) => sum + Math.max(0, invoice.availableCents), 0);
    return { error: `${formatUsd(amountCents)} is more than the ${formatUsd(room)} these invoices have open.` };
  }
  const byNumber = new Map(lines.map((line) => [line.invoiceNumber, line]));
  const placed = new Set(spread.allocations.map((a) => a.invoiceNumber));
  return {
    lines: spread.allocations.map((a) => ({
      ...byNumber.get(a.invoiceNumber)!,
      amount: centsToDollars(a.amountCents),
    })),
    unplaced: lines.map((line) => line.invoiceNumber).filter((number) => !placed.has(number)),
  };
}

/** The address a payer opens: the server answers the path, the browser knows its origin. */
export function payerUrl(origin: string, path: string): string {
  return new URL(path, origin).toString();
}
