import { cents, splitCents } from '../../domain/money.ts';
import type { AllocationView } from '../api/types.ts';
import { centsToDollars, dollarsToCents } from '../common/amount.ts';

/** One line of the Reallocate Payment editor as typed: the amount stays text until saved. */
export interface DraftLine {
  key: number;
  invoiceNumber: string;
  clientNumber: string;
  matterNumber: string;
  amount: string;
}

let nextKey = 1;

export function draftLine(from: Partial<AllocationView> & { amountCents: number }): DraftLine {
  return {
    key: nextKey++,
    invoiceNumber: from.invoiceNumber ?? '',
    clientNumber: from.clientNumber ?? '',
    matterNumber: from.matterNumber ?? '',
    amount: centsToDollars(from.amountCents),
  };
}

export interface DraftCheck {
  allocatedCents: number;
  leftCents: number;
  problems: string[];
  allocations: (
    { invoiceNumber: string; amountCents: number } | { clientNumber: string; matterNumber: string; amountCents: number }
  )[];
}

/** Whether the lines can be saved: every amount exact and positive, every target named, and the sum the receipt. */
export function checkDraft(lines: DraftLine[], receiptCents: number, account: 'operating' | 'trust'): DraftCheck {
  const problems: string[] = [];
  let allocatedCents = 0;
  const allocations: DraftCheck['allocations'] = [];
  if (lines.length === 0) problems.push('Add at least one line.');
  for (const [index, line] of lines.entries()) {
    const { cents, error } = dollarsToCents(line.amount);
    if (error || cents === undefined) problems.push(`Line ${index + 1}: ${error ?? 'enter an amount'}.`);
    else if (cents <= 0) problems.push(`Line ${index + 1}: the amount must be more than $0.00.`);
    else allocatedCents += cents;
    const amountCents = cents ?? 0;
    if (account === 'operating') {
      if (!line.invoiceNumber.trim()) problems.push(`Line ${index + 1}: choose an invoice.`);
      allocations.push({ invoiceNumber: line.invoiceNumber.trim(), amountCents });
    } else {
      if (!line.clientNumber.trim() || !line.matterNumber.trim())
        problems.push(`Line ${index + 1}: enter the client and the matter.`);
      allocations.push({ clientNumber: line.clientNumber.trim(), matterNumber: line.matterNumber.trim(), amountCents });
    }
  }
  const leftCents = receiptCents - allocatedCents;
  if (problems.length === 0 && leftCents !== 0)
    problems.push(leftCents > 0 ? 'Allocate the rest of the payment.' : 'More than the payment is allocated.');
  return { allocatedCents, leftCents, problems, allocations };
}

/** Split evenly: the remainder goes cent by cent to the first lines, so the parts sum to the receipt. */
export function splitEvenly(lines: DraftLine[], receiptCents: number): DraftLine[] {
  if (lines.length === 0) return lines;
  const parts = splitCents(cents(receiptCents, 'receipt'), lines.length);
  return lines.map((line, i) => ({ ...line, amount: centsToDollars(parts[i] ?? 0) }));
}

/**
 * Whether a line names a client other than the one the payer named: saving it would be a
 * client mismatch (the server decides), so Edit offers the third-party box before saving.
 */
export function namesAnotherClient(lines: DraftLine[], namedClient: string | null): boolean {
  const named = namedClient?.trim() ?? '';
  return named !== '' && lines.some((line) => line.clientNumber.trim() !== '' && line.clientNumber.trim() !== named);
}

/**
 * What Save sends for a reversal (SPEC §3.5): the lines it has, unchanged, since only its
 * memo can change. Its lines are negative and a request's amounts are more than zero, so
 * each goes as the amount it takes back from the original's line.
 */
export function reversalDraft(lines: readonly AllocationView[]): DraftCheck {
  const allocations: DraftCheck['allocations'] = lines.map((line) =>
    line.invoiceNumber !== null
      ? { invoiceNumber: line.invoiceNumber, amountCents: -line.amountCents }
      : {
          clientNumber: line.clientNumber ?? '',
          matterNumber: line.matterNumber ?? '',
          amountCents: -line.amountCents,
        },
  );
  const allocatedCents = lines.reduce((sum, line) => sum + line.amountCents, 0);
  return { allocatedCents, leftCents: 0, problems: [], allocations };
}
