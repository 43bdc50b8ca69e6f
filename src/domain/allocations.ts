import { DomainError } from './errors.ts';
import { formatCents, type Cents } from './money.ts';
import type { Account, Allocation } from './types.ts';

/**
 * Allocations that cannot be stored at all (wrong sum, a zero line, an invoice on trust
 * money). Unlike a conflict reason this is bad input: it is refused and nothing is kept,
 * rather than saving an incomplete record.
 */
export class AllocationError extends DomainError {
  declare readonly code: 'invalid_allocations';

  constructor(message: string) {
    super('invalid_allocations', message);
    this.name = 'AllocationError';
  }
}

/** Trims, drops blanks and repeats; case is kept because MMS invoice numbers are exact. */
export function normalizeInvoiceNumbers(typed: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const raw of typed) {
    const number = raw.trim();
    if (number !== '') seen.add(number);
  }
  return [...seen];
}

function blankToNull(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/**
 * Checks that explicit allocations (the payer's split or an accountant's reallocation)
 * are well formed for the account and sum to the receipt, and returns them trimmed.
 * Whether they fit the firm's invoices is classify's business, not this function's.
 */
export function checkAllocations(
  account: Account,
  receiptCents: Cents,
  allocations: readonly Allocation[],
): Allocation[] {
  if (allocations.length === 0) throw new AllocationError('no allocations were given');
  let sum = 0;
  const checked = allocations.map((allocation, index): Allocation => {
    const which = `allocation ${index + 1}`;
    const amount = allocation.amountCents;
    if (!Number.isSafeInteger(amount)) {
      throw new AllocationError(`${which} amount must be a whole number of cents, got ${String(amount)}`);
    }
    if (amount <= 0) {
      throw new AllocationError(`${which} amount must be more than 0.00, got ${formatCents(amount)}`);
    }
    sum += amount;
    if (!Number.isSafeInteger(sum)) throw new AllocationError('allocations sum to more than can be held exactly');
    const normalized: Allocation = {
      invoiceNumber: blankToNull(allocation.invoiceNumber),
      clientNumber: blankToNull(allocation.clientNumber),
      matterNumber: blankToNull(allocation.matterNumber),
      amountCents: amount,
    };
    checkShape(account, which, normalized);
    return normalized;
  });
  if (sum !== receiptCents) {
    throw new AllocationError(`allocations sum to ${formatCents(sum)} but the receipt is ${formatCents(receiptCents)}`);
  }
  return checked;
}

function checkShape(account: Account, which: string, allocation: Allocation): void {
  if (account === 'trust') {
    // Trust money is held for a matter; applying it to an invoice would move client funds.
    if (allocation.invoiceNumber !== null) {
      throw new AllocationError(
        `${which} names invoice ${allocation.invoiceNumber}, but trust money is not applied to invoices`,
      );
    }
    if (allocation.clientNumber === null || allocation.matterNumber === null) {
      throw new AllocationError(`${which} needs a client number and a matter number for a trust deposit`);
    }
  } else if (allocation.invoiceNumber === null) {
    throw new AllocationError(`${which} needs an invoice number for an operating receipt`);
  }
}
