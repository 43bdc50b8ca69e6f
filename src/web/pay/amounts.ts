import { cents } from '../../domain/money.ts';
import { surchargeCents } from '../../domain/surcharge.ts';
import { dollarsToCents } from '../common/amount.ts';
import { formatUsd } from '../common/format.ts';

/** One open invoice as the payer has it on screen: ticked or not, and the amount as typed. */
export interface InvoiceChoice {
  invoiceNumber: string;
  balanceCents: number;
  picked: boolean;
  amount: string;
}

/** What the payer will be charged, as the server computes it. */
export interface Priced {
  receiptCents: number;
  surchargeCents: number;
  /** What the card or account is charged: receipt plus surcharge. */
  totalCents: number;
}

export interface InvoicePlan extends Priced {
  allocations: { invoiceNumber: string; amountCents: number }[];
  /** What is wrong with each ticked invoice's amount, by invoice number. */
  problems: Record<string, string>;
  /** Why nothing can be paid yet, or null when the plan can be sent. */
  blocked: string | null;
}

/** The amount typed for something due: exact cents, more than zero and no more than is due. */
export function amountProblem(text: string, dueCents: number | null): { cents: number | null; problem: string | null } {
  const { cents, error } = dollarsToCents(text);
  if (error) return { cents: null, problem: error };
  if (cents === undefined) return { cents: null, problem: 'Enter the amount to pay' };
  if (cents <= 0) return { cents: null, problem: 'Enter an amount more than $0.00' };
  if (dueCents !== null && cents > dueCents)
    return { cents: null, problem: `Enter no more than the ${formatUsd(dueCents)} due` };
  return { cents, problem: null };
}

/**
 * What an operating page will charge for the ticked invoices. The surcharge comes from
 * the function the server charges with (basis points of the receipt, rounded half up),
 * so the total shown is the total charged.
 */
export function planInvoicePayment(choices: InvoiceChoice[], surchargeBps: number): InvoicePlan {
  const problems: Record<string, string> = {};
  const allocations: InvoicePlan['allocations'] = [];
  for (const choice of choices.filter((c) => c.picked)) {
    const { cents, problem } = amountProblem(choice.amount, choice.balanceCents);
    if (cents === null) problems[choice.invoiceNumber] = problem ?? 'Enter the amount to pay';
    else allocations.push({ invoiceNumber: choice.invoiceNumber, amountCents: cents });
  }
  const blocked = !choices.some((c) => c.picked)
    ? 'Choose at least one invoice to pay.'
    : Object.keys(problems).length > 0
      ? 'Fix the amounts marked in red.'
      : null;
  if (blocked) return { allocations: [], problems, blocked, ...priced(0, surchargeBps) };
  let receiptCents = 0;
  for (const a of allocations) receiptCents += a.amountCents;
  if (!Number.isSafeInteger(receiptCents))
    return { allocations: [], problems, blocked: 'The amounts are too large.', ...priced(0, surchargeBps) };
  return { allocations, problems, blocked, ...priced(receiptCents, surchargeBps) };
}

/** A trust page: one amount held for the matter looked up. */
export function planTrustPayment(
  amount: string,
  surchargeBps: number,
): Priced & { amountCents: number | null; blocked: string | null } {
  const { cents, problem } = amountProblem(amount, null);
  return { amountCents: cents, blocked: problem ? `${problem}.` : null, ...priced(cents ?? 0, surchargeBps) };
}

export function priced(receiptCents: number, surchargeBps: number): Priced {
  const surcharge = surchargeCents(cents(receiptCents, 'receipt'), surchargeBps);
  return { receiptCents, surchargeCents: surcharge, totalCents: receiptCents + surcharge };
}

/** Basis points as a person reads a rate: 300 → "3%", 250 → "2.5%", 275 → "2.75%". */
export function percentText(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}
