import { negateCents } from './money.ts';
import type { Verdict } from './classify.ts';
import { nextStatus } from './state-machine.ts';
import type { Allocation, RecordStatus } from './types.ts';

/**
 * A reversal is not classified: it undoes lines the MMS already has, so it is pending as
 * it is, unless the MMS refused it (SPEC §5.1) and no accountant has fixed that yet.
 */
export function reversalVerdict(lines: Allocation[], rejectedByMms: boolean): Verdict {
  return rejectedByMms
    ? { status: 'incomplete', reasons: ['rejected_by_mms'], allocations: lines }
    : { status: 'pending', reasons: [], allocations: lines };
}

/**
 * SPEC §3.5: a reversal record undoes its original line by line, so the MMS sees the
 * same invoices (or matters) credited back in the same order.
 */
export function reversalAllocations(original: readonly Allocation[]): Allocation[] {
  return original.map((allocation) => ({
    ...allocation,
    amountCents: negateCents(allocation.amountCents),
  }));
}

/**
 * What a void, refund or chargeback does to the payment's record: before it is queued
 * nothing reached the MMS, so the record is simply removed (reason payment_reversed);
 * once queued or posted the MMS has it, so a negative record must follow it there.
 */
export function reversalEffect(recordStatus: RecordStatus): 'remove' | 'create_reversal' | 'none' {
  // The state machine's reverse_payment: removed where nothing reached the MMS, left as it is where it did.
  const next = nextStatus(recordStatus, 'reverse_payment');
  if (next === null || recordStatus === 'removed') return 'none';
  return next === 'removed' ? 'remove' : 'create_reversal';
}
