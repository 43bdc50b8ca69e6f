import { postingDateOf } from './dates.ts';
import { DomainError } from './errors.ts';
import { exactSum, safeTotal, type Cents } from './money.ts';
import { REVERSAL_LABEL } from './payment-reversal.ts';
import type { FileLine } from './posting-file.ts';
import type { ReversalRecordKind } from './types.ts';

/**
 * A pending record's allocation line as Post reads it, in file order: a file line but for
 * its date, which Post gives it. A record with no allocations reads as one line without a
 * line number or amount.
 */
export type PendingLine = Omit<FileLine, 'line' | 'postingDate' | 'amountCents' | 'checkNumber'> & {
  line: number | null;
  amountCents: Cents | null;
  processedAt: Date;
  /**
   * What a reversal record reverses, and of which record: its file memo says so. A
   * correction's replacement says so too (kind correction, of the record it replaces).
   */
  reversal: { kind: ReversalRecordKind; of: string } | null;
  /** The correction the record is half of: both halves go in one batch. */
  correctionId: string | null;
  /** An accountant accepted that a third party pays this client's invoice: its file memo says so. */
  thirdParty: boolean;
  /** How often the MMS has refused the record: a refused record goes out again as its next attempt. */
  refusals: number;
};

/** A batch's file lines, each line's delivery attempt, and its records in file order. */
export interface BatchLines {
  lines: FileLine[];
  attempts: number[];
  recordIds: string[];
}

/**
 * A line's memo in the file: a reversal's says what it is and which record it reverses
 * (SPEC §3.5), and a payment a third party made for the client says who paid (SPEC §3.4),
 * before whatever memo an accountant gave it, so the MMS's reader never takes a refund
 * for a payment, nor the client for the payer.
 */
export function fileMemo(
  memo: string,
  reversal: PendingLine['reversal'],
  thirdPartyPayer: string | null = null,
): string {
  const label =
    reversal !== null
      ? `${REVERSAL_LABEL[reversal.kind]} of record ${reversal.of}`
      : thirdPartyPayer !== null
        ? `Third-party payment by ${thirdPartyPayer}`
        : null;
  if (label === null) return memo;
  return memo === '' ? label : `${label}: ${memo}`;
}

/**
 * The file lines of a batch of pending records (SPEC §5): one per allocation, dated in the
 * firm's zone by the payment's time, or by `postedAt` when the firm dates by the day it
 * posts (a 7:30 pm Pacific payment on 31 December is in the old year). A record without
 * allocations cannot be posted (record_without_allocations); neither can records whose
 * total is more than a number holds exactly (batch_total_too_large: the file's trailer
 * and the API carry the total as one number).
 */
export function batchLines(pending: readonly PendingLine[], postedAt: Date | null, timeZone: string): BatchLines {
  // Built field by field, not by rest and spread: for a Post All of 100,000 records the
  // copying alone cost a few hundred milliseconds.
  const lines = pending.map((row): FileLine => {
    const { line, amountCents } = row;
    if (line === null || amountCents === null) {
      throw new DomainError(
        'record_without_allocations',
        'a pending record has no allocations; reallocate it before posting',
      );
    }
    const fileLine: FileLine = {
      recordId: row.recordId,
      paymentId: row.paymentId,
      line,
      postingDate: postingDateOf(row.processedAt, postedAt, timeZone),
      account: row.account,
      invoiceNumber: row.invoiceNumber,
      clientNumber: row.clientNumber,
      matterNumber: row.matterNumber,
      amountCents,
      surchargeCents: row.surchargeCents,
      method: row.method,
      payer: row.payer,
      memo: fileMemo(row.memo, row.reversal, row.thirdParty ? row.payer : null),
    };
    if (row.codes !== undefined) fileLine.codes = row.codes;
    return fileLine;
  });
  const recordIds = [...new Set(lines.map((l) => l.recordId))];
  if (safeTotal(exactSum(lines.map((l) => l.amountCents))) === null) {
    throw new DomainError(
      'batch_total_too_large',
      `the ${recordIds.length} records sum to more than one batch can hold exactly; post fewer of them at once with Post Selected`,
    );
  }
  return { lines, attempts: pending.map((row) => row.refusals), recordIds };
}
