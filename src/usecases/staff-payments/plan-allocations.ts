import type { AllocationChoice } from '../../contract/staff-payments.ts';
import { amountBoundProblem, exactSum, isBoundedAmount, safeTotal } from '../../domain/money.ts';
import { REASON_TEXT, type Allocation } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { DomainError, badRequest } from '../../domain/errors.ts';
import { classifyAgainst, readMirror, referencedInvoices } from '../postings/classify-record.ts';
import type { RecordTerms } from '../../domain/reconcile.ts';

/**
 * Staff's choice of invoices for an operating payment, by hand or auto-applied oldest
 * first (the same rule as the firm setting), checked against the synced invoices before
 * anyone is charged: a split the posting rules would call incomplete is refused (allocation_conflict)
 * rather than charged and left for an accountant to untangle.
 */
export async function planAllocations(
  db: Db,
  firmId: string,
  choice: AllocationChoice,
  clientNumber: string | null = null,
): Promise<Allocation[]> {
  const byHand = 'allocations' in choice;
  const numbers = byHand
    ? choice.allocations.map((a) => a.invoiceNumber.trim())
    : choice.autoApply.invoiceNumbers.map((n) => n.trim());
  if (new Set(numbers).size !== numbers.length)
    throw badRequest('an invoice is chosen more than once', { field: byHand ? 'allocations' : 'invoiceNumbers' });
  const receiptCents = byHand
    ? safeTotal(exactSum(choice.allocations.map((a) => a.amountCents)))
    : choice.autoApply.amountCents;
  // Checked before anything is charged or a link is made: the sum is one payment, bounded like any other.
  if (receiptCents === null || !isBoundedAmount(receiptCents))
    throw badRequest(amountBoundProblem('the amounts together'), { field: byHand ? 'allocations' : 'amountCents' });
  const terms: RecordTerms = {
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
    reallocation: null,
    clientMismatchAccepted: false,
    rejectedByMms: false,
  };
  const mirror = await readMirror(db, firmId, {
    invoices: referencedInvoices(terms),
    matters: [],
    exclude: [],
    lock: false,
  });
  // Staff asked for the oldest-first spread here, whatever the firm's setting.
  const verdict = classifyAgainst({ ...mirror, autoApply: true }, terms);
  if (verdict.status !== 'pending') {
    throw new DomainError(
      'allocation_conflict',
      `the payment cannot be applied as chosen: ${verdict.reasons.map((r) => REASON_TEXT[r]).join('; ')}`,
      {
        reasons: verdict.reasons,
      },
    );
  }
  return verdict.allocations;
}
