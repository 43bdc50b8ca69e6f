import {
  addCents,
  formatCents,
  minCents,
  MoneyError,
  negateCents,
  subtractCents,
  ZERO_CENTS,
  type Cents,
} from './money.ts';
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

function lineKey(line: Allocation): string {
  return [line.invoiceNumber ?? '', line.clientNumber ?? '', line.matterNumber ?? ''].join('\u0000');
}

/**
 * What is left of each of the original's lines once its reversals so far (negative lines,
 * each against one of the original's) are taken off, from the last line back as they were
 * made. Lines with nothing left are kept at zero, so the positions stay the original's.
 */
export function linesLeft(original: readonly Allocation[], reversals: readonly Allocation[]): Allocation[] {
  const reversed = new Map<string, Cents>();
  for (const line of reversals)
    reversed.set(lineKey(line), addCents(reversed.get(lineKey(line)) ?? ZERO_CENTS, negateCents(line.amountCents)));
  const left = original.map((line) => ({ ...line }));
  for (let i = left.length - 1; i >= 0; i--) {
    const line = left[i]!;
    const key = lineKey(line);
    const taken = minCents(line.amountCents, reversed.get(key) ?? ZERO_CENTS);
    line.amountCents = subtractCents(line.amountCents, taken);
    reversed.set(key, subtractCents(reversed.get(key) ?? ZERO_CENTS, taken));
  }
  return left;
}

/** `amount` taken from the lines from the last line back: what is taken of each line, in the lines' order. */
function takeFromLastLine(lines: readonly Allocation[], amount: Cents): Cents[] {
  const taken = lines.map(() => ZERO_CENTS);
  let rest = amount;
  for (let i = lines.length - 1; i >= 0 && rest > 0; i--) {
    const take = minCents(lines[i]!.amountCents, rest);
    if (take > 0) {
      taken[i] = take;
      rest = subtractCents(rest, take);
    }
  }
  if (rest > 0) throw new MoneyError(`cannot take ${formatCents(amount)} from lines holding less`);
  return taken;
}

/**
 * SPEC §3.5: a partial refund once the record is queued or posted is a negative record for
 * its amount, against the original's lines (what is left of them) from the last line back.
 */
export function partialReversalAllocations(left: readonly Allocation[], amount: Cents): Allocation[] {
  const taken = takeFromLastLine(left, amount);
  return left.flatMap((line, i) => (taken[i]! > 0 ? [{ ...line, amountCents: negateCents(taken[i]!) }] : []));
}

/**
 * SPEC §3.5: a partial refund before the record is queued lowers its receipt: the lines
 * give up the amount from the last line back, and a line brought to zero is dropped.
 */
export function reducedAllocations(lines: readonly Allocation[], amount: Cents): Allocation[] {
  const taken = takeFromLastLine(lines, amount);
  return lines.flatMap((line, i) => {
    const amountCents = subtractCents(line.amountCents, taken[i]!);
    return amountCents > 0 ? [{ ...line, amountCents }] : [];
  });
}
