import { addCents, negateCents, ZERO_CENTS, type Cents } from './money.ts';
import type { Allocation, PaymentStatus, RecordStatus } from './types.ts';

/**
 * SPEC §3.7: a posted record the MMS applied is corrected without refunding the client by
 * two linked records, a reversal of its lines and a replacement with new ones, that reach
 * the MMS together, in one batch, or not at all.
 */

/** What decides whether a record can be corrected now. */
export interface CorrectionCandidate {
  status: RecordStatus;
  reversalOf: string | null;
  mmsStatus: 'awaiting' | 'applied' | 'rejected' | null;
  /** Whether the agent that delivered the record's batch reports the MMS's answer (null outside a batch). */
  batchAnswerExpected: boolean | null;
  paymentStatus: PaymentStatus;
  /** The record's reversals that are not removed (refunds, an earlier correction). */
  /** Its reversals that are not removed, each in words (a refund, a void, an earlier correction). */
  liveReversals: readonly string[];
}

/**
 * Why the record cannot be corrected, or null when it can. Only what the MMS has can be
 * corrected there: a posted record it applied or, where the firm's setup gives no answer
 * from the MMS, one delivered (SPEC §3.4 counts such a record as in the MMS the same way).
 * A reversal mirrors its original and is never corrected itself, and a record already
 * reversed (refunded, or corrected before) is not the payment's live record any more.
 */
export function correctionProblem(record: CorrectionCandidate): string | null {
  if (record.reversalOf !== null) return 'it is a reversal, which keeps its original’s lines';
  if (record.status !== 'posted') return `it is ${record.status}; only a posted record can be corrected`;
  const applied =
    record.mmsStatus === 'applied' || (record.mmsStatus === 'awaiting' && record.batchAnswerExpected === false);
  if (!applied) return 'the MMS has not applied it yet';
  if (record.paymentStatus !== 'approved') return `its payment is ${record.paymentStatus}`;
  if (record.liveReversals.length > 0)
    return `it already has a reversal (${record.liveReversals.join('; ')}); correct the record that replaced it, if any`;
  return null;
}

/** A record as the pair rule reads it. */
export interface PairMember {
  id: string;
  status: RecordStatus;
  correctionId: string | null;
  mmsRefusals: number;
}

/**
 * A half of a correction that has not gone out yet moves with its partner: posted,
 * removed and moved to pending together. Once the pair went out in its batch, a half the
 * MMS refused goes out again alone (its partner reached the MMS with it the first time).
 */
export function travelsWithPartner(record: PairMember): boolean {
  return (
    record.correctionId !== null && record.mmsRefusals === 0 && record.status !== 'queued' && record.status !== 'posted'
  );
}

/**
 * The records to batch less the halves whose partner is not among them (Post All and
 * automatic posting skip a pair with a half that is not pending). Keeps the rows' order.
 */
export function wholePairs<R extends { recordId: string; correctionId: string | null; refusals: number }>(
  rows: readonly R[],
): R[] {
  const halves = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.correctionId === null || row.refusals > 0) continue;
    const ids = halves.get(row.correctionId) ?? new Set<string>();
    ids.add(row.recordId);
    halves.set(row.correctionId, ids);
  }
  return rows.filter(
    (row) => row.correctionId === null || row.refusals > 0 || halves.get(row.correctionId)!.size === 2,
  );
}

/** A payment's record that is not a reversal: its original, or a correction's replacement. */
export interface ChainLink {
  id: string;
  replaces: string | null;
  status: RecordStatus;
}

/**
 * The payment's live record: its original, or, after a correction, the replacement that
 * is not removed (a removed correction leaves the record it would have replaced live).
 * A later void, refund or chargeback reverses this record's lines.
 */
export function liveRecord<L extends ChainLink>(chain: readonly L[]): L | null {
  let current = chain.find((link) => link.replaces === null) ?? null;
  for (;;) {
    if (current === null) return null;
    const from: L = current;
    const next = chain.find((link) => link.replaces === from.id && link.status !== 'removed');
    if (next === undefined) return current;
    current = next;
  }
}

/** A half of a correction, as the record detail reads it. */
export interface CorrectionHalf {
  id: string;
  correction_id: string | null;
  reversal_of: string | null;
  replaces: string | null;
  status: RecordStatus;
}

/**
 * The corrections a record takes part in (from the halves of each, oldest first), and the
 * replacement that stands for it now: the links the UI shows between all three records.
 */
export function correctionsOf(
  recordId: string,
  halves: readonly CorrectionHalf[],
): {
  corrections: { correctionId: string; of: string; reversalId: string; replacementId: string; status: RecordStatus }[];
  replacedBy: string | null;
} {
  const byCorrection = new Map<string, { reversal?: CorrectionHalf; replacement?: CorrectionHalf }>();
  for (const half of halves) {
    if (half.correction_id === null) continue;
    const pair = byCorrection.get(half.correction_id) ?? {};
    if (half.replaces !== null) pair.replacement = half;
    else pair.reversal = half;
    byCorrection.set(half.correction_id, pair);
  }
  const corrections = [...byCorrection].flatMap(([correctionId, { reversal, replacement }]) =>
    reversal && replacement
      ? [
          {
            correctionId,
            of: replacement.replaces!,
            reversalId: reversal.id,
            replacementId: replacement.id,
            status: replacement.status,
          },
        ]
      : [],
  );
  const replacedBy =
    corrections.filter((c) => c.of === recordId && c.status !== 'removed').at(-1)?.replacementId ?? null;
  return { corrections, replacedBy };
}

/**
 * Per invoice, what a correction's reversal gives back to it (its negative lines): what its
 * replacement, posted in the same batch, may take again whatever the mirror shows yet.
 */
export function givenBackBy(reversalLines: readonly Allocation[]): Map<string, Cents> {
  const back = new Map<string, Cents>();
  for (const line of reversalLines) {
    if (line.invoiceNumber === null || line.amountCents >= 0) continue;
    back.set(line.invoiceNumber, addCents(back.get(line.invoiceNumber) ?? ZERO_CENTS, negateCents(line.amountCents)));
  }
  return back;
}
