import { badRequest } from './errors.ts';
import { addCents, amountBoundProblem, exactSum, isBoundedAmount, safeTotal, type Cents } from './money.ts';
import { pageSurchargeCents, type FundingSource } from './surcharge.ts';
import type { Account, Allocation } from './types.ts';

/**
 * Paying on a public page (SPEC §3.3). The payer proves who they pay for with two things
 * the firm sent them (a client number and one of its invoice or matter numbers), then pays
 * only what that lookup found: open invoices of that client, no more than is due on each,
 * or an amount held in trust for the matter.
 */

/** What a payer types to find their invoices, trimmed. */
export interface LookupKeys {
  clientNumber: string;
  invoiceNumber: string | null;
  matterNumber: string | null;
}

/** The lookup's keys: a client number with an invoice number or a matter number (a trust page: a matter), never both. */
export function lookupKeys(
  account: Account,
  input: { clientNumber: string; invoiceNumber?: string | undefined; matterNumber?: string | undefined },
): LookupKeys {
  const invoiceNumber = input.invoiceNumber?.trim() || null;
  const matterNumber = input.matterNumber?.trim() || null;
  if ((invoiceNumber === null) === (matterNumber === null))
    throw badRequest('give an invoice number or a matter number with the client number', { field: 'invoiceNumber' });
  if (account === 'trust' && matterNumber === null)
    throw badRequest('a trust payment page looks up a client and matter number', { field: 'matterNumber' });
  return { clientNumber: input.clientNumber.trim(), invoiceNumber, matterNumber };
}

/** What the lookup found: the client, the matter if one was named, and the client's open invoices with what is still due. */
export interface Found {
  clientNumber: string;
  matterNumber: string | null;
  invoices: readonly { invoiceNumber: string; matterNumber: string; balanceCents: number }[];
}

/**
 * The allocations of a page payment: on a trust page, the amount for the matter found; on
 * an operating page, each chosen invoice once, one of those found, for no more than is
 * due on it. Anything else is bad_request naming the field.
 */
export function pageAllocations(
  account: Account,
  input: {
    amountCents?: Cents | undefined;
    allocations?: readonly { invoiceNumber: string; amountCents: Cents }[] | undefined;
  },
  found: Found,
): Allocation[] {
  if (account === 'trust') {
    if (input.allocations !== undefined || input.amountCents === undefined)
      throw badRequest('a trust page takes amountCents, not allocations', { field: 'amountCents' });
    return [
      {
        invoiceNumber: null,
        clientNumber: found.clientNumber,
        matterNumber: found.matterNumber,
        amountCents: input.amountCents,
      },
    ];
  }
  if (input.amountCents !== undefined || !input.allocations?.length)
    throw badRequest('choose at least one invoice and the amount to pay on it', { field: 'allocations' });
  const open = new Map(found.invoices.map((invoice) => [invoice.invoiceNumber, invoice]));
  const seen = new Set<string>();
  return input.allocations.map((chosen, index) => {
    const number = chosen.invoiceNumber.trim();
    const invoice = open.get(number);
    if (!invoice)
      throw badRequest(`invoice ${number} is not one of this client's open invoices`, {
        field: `allocations.${index}.invoiceNumber`,
      });
    if (seen.has(number))
      throw badRequest(`invoice ${number} is chosen twice`, { field: `allocations.${index}.invoiceNumber` });
    seen.add(number);
    if (chosen.amountCents > invoice.balanceCents) {
      throw badRequest(`the amount for invoice ${number} is more than the ${invoice.balanceCents} cents due`, {
        field: `allocations.${index}.amountCents`,
      });
    }
    return {
      invoiceNumber: number,
      clientNumber: found.clientNumber,
      matterNumber: invoice.matterNumber,
      amountCents: chosen.amountCents,
    };
  });
}

/**
 * What a page payment charges: the receipt (what the allocations apply), the page's
 * surcharge on it (a credit card's only, SPEC §3.6), and the two together. Checked before
 * the charge: what is charged is one payment, bounded like any other (bad_request otherwise).
 */
export function pageCharge(
  account: Account,
  allocations: readonly Allocation[],
  surchargeBps: number,
  source: FundingSource,
): { receiptCents: Cents; surchargeCents: Cents; amountCents: Cents } {
  const field = account === 'trust' ? 'amountCents' : 'allocations';
  const receiptCents = safeTotal(exactSum(allocations.map((a) => a.amountCents)));
  if (receiptCents === null || !isBoundedAmount(receiptCents))
    throw badRequest(amountBoundProblem('the receipt'), { field });
  const surcharge = pageSurchargeCents(receiptCents, surchargeBps, source);
  const amountCents = addCents(receiptCents, surcharge);
  if (!isBoundedAmount(amountCents)) throw badRequest(amountBoundProblem('the payment with its surcharge'), { field });
  return { receiptCents, surchargeCents: surcharge, amountCents };
}
