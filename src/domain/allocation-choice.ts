import type { Verdict } from './classify.ts';
import { DomainError, badRequest } from './errors.ts';
import { amountBoundProblem, exactSum, isBoundedAmount, safeTotal, type Cents } from './money.ts';
import type { RecordTerms } from './reconcile.ts';
import { newRecordTerms } from './terms.ts';
import { REASON_TEXT, type Allocation } from './types.ts';

/**
 * Staff's choice of invoices for an operating payment (Make A Payment, a payment link): by
 * hand, or an amount auto-applied oldest first. It is checked before anyone is charged or
 * a link is made, by the rules that will post it.
 */
export type AllocationChoice =
  | { allocations: { invoiceNumber: string; amountCents: Cents }[] }
  | { autoApply: { invoiceNumbers: string[]; amountCents: Cents } };

/**
 * The terms of the record the choice would make. An invoice chosen twice is refused, and so
 * is a sum beyond one payment's bound (bad_request, naming the field).
 */
export function choiceTerms(choice: AllocationChoice, clientNumber: string | null): RecordTerms {
  const byHand = 'allocations' in choice;
  const numbers = byHand
    ? choice.allocations.map((a) => a.invoiceNumber.trim())
    : choice.autoApply.invoiceNumbers.map((n) => n.trim());
  if (new Set(numbers).size !== numbers.length)
    throw badRequest('an invoice is chosen more than once', { field: byHand ? 'allocations' : 'invoiceNumbers' });
  const receiptCents = byHand
    ? safeTotal(exactSum(choice.allocations.map((a) => a.amountCents)))
    : choice.autoApply.amountCents;
  // The sum is one payment, bounded like any other.
  if (receiptCents === null || !isBoundedAmount(receiptCents))
    throw badRequest(amountBoundProblem('the amounts together'), { field: byHand ? 'allocations' : 'amountCents' });
  return newRecordTerms({
    account: 'operating',
    receiptCents,
    invoiceNumbers: numbers,
    clientNumber,
    matterNumber: null,
    payerAllocations: byHand
      ? choice.allocations.map((a) => ({
          invoiceNumber: a.invoiceNumber.trim(),
          clientNumber: null,
          matterNumber: null,
          amountCents: a.amountCents,
        }))
      : null,
  });
}

/**
 * The allocations of a choice the posting rules call pending. A split they would call
 * incomplete is refused (allocation_conflict, naming the reasons) rather than charged and
 * left for an accountant to untangle.
 */
export function chosenAllocations(verdict: Verdict): Allocation[] {
  if (verdict.status !== 'pending') {
    throw new DomainError(
      'allocation_conflict',
      `the payment cannot be applied as chosen: ${verdict.reasons.map((r) => REASON_TEXT[r]).join('; ')}`,
      { reasons: verdict.reasons },
    );
  }
  return verdict.allocations;
}
