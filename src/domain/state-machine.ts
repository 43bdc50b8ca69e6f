import type { RecordStatus } from './types.ts';

export type RecordAction = 'post' | 'remove' | 'move_to_pending' | 'edit' | 'acknowledge' | 'reverse_payment' | 'mms_apply' | 'mms_reject';

export const RECORD_ACTIONS = [
  'post',
  'remove',
  'move_to_pending',
  'edit',
  'acknowledge',
  'reverse_payment',
  'mms_apply',
  'mms_reject',
] as const satisfies readonly RecordAction[];

/** The caller classifies the record again and stores pending or incomplete. */
export type Reclassify = 'reclassify';

type Outcome = RecordStatus | Reclassify;

/**
 * SPEC §4 and §3.5 as a table; a missing entry is forbidden (refused as invalid_state).
 * Queued and posted records are in the MMS's hands: nothing here edits or removes them,
 * and a batch's records only ever move forward, so no record can be batched twice.
 */
const TRANSITIONS: Record<RecordStatus, Partial<Record<RecordAction, Outcome>>> = {
  pending: { post: 'queued', remove: 'removed', edit: 'reclassify', reverse_payment: 'removed' },
  incomplete: { remove: 'removed', edit: 'reclassify', reverse_payment: 'removed' },
  // A reversal of a queued or posted payment leaves it alone: the caller adds a negative
  // record instead (see reversal.ts), because what reached the MMS must be undone there.
  queued: { acknowledge: 'posted', reverse_payment: 'queued' },
  // The MMS's answer (SPEC §5.1): applied keeps it posted; refused, it goes back to be fixed
  // and is classified again (incomplete, rejected_by_mms).
  posted: { reverse_payment: 'posted', mms_apply: 'posted', mms_reject: 'reclassify' },
  removed: { move_to_pending: 'reclassify', reverse_payment: 'removed' },
};

export function nextStatus(status: RecordStatus, action: RecordAction): Outcome | null {
  return TRANSITIONS[status][action] ?? null;
}

export function canDo(status: RecordStatus, action: RecordAction): boolean {
  return nextStatus(status, action) !== null;
}
