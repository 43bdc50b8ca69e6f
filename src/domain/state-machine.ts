import { invalidState, type DomainError } from './errors.ts';
import type { RecordStatus } from './types.ts';

/**
 * What can happen to a posting record. `reclassify` is a record judged again because
 * something it depends on changed (a sync, a removal, a payment taken in, a setting).
 */
export type RecordAction =
  | 'post'
  | 'remove'
  | 'move_to_pending'
  | 'edit'
  | 'acknowledge'
  | 'reverse_payment'
  | 'mms_apply'
  | 'mms_reject'
  | 'reclassify';

export const RECORD_ACTIONS = [
  'post',
  'remove',
  'move_to_pending',
  'edit',
  'acknowledge',
  'reverse_payment',
  'mms_apply',
  'mms_reject',
  'reclassify',
] as const satisfies readonly RecordAction[];

/** The caller classifies the record again and stores pending or incomplete. */
export type Reclassify = 'reclassify';

type Outcome = RecordStatus | Reclassify;

/** What a classification can make of a record. */
export type ClassifiedStatus = 'pending' | 'incomplete';

/**
 * SPEC §4 and §3.5 as a table; a missing entry is forbidden (refused as invalid_state).
 * Queued and posted records are in the MMS's hands: nothing here edits or removes them,
 * and a batch's records only ever move forward, so no record can be batched twice.
 */
const TRANSITIONS: Record<RecordStatus, Partial<Record<RecordAction, Outcome>>> = {
  pending: {
    post: 'queued',
    remove: 'removed',
    edit: 'reclassify',
    reverse_payment: 'removed',
    reclassify: 'reclassify',
  },
  incomplete: { remove: 'removed', edit: 'reclassify', reverse_payment: 'removed', reclassify: 'reclassify' },
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

declare const decided: unique symbol;

/**
 * A status change the machine allowed: only `transition` makes one, so a status write
 * that takes it (db/postings writeRecordStatuses) cannot store a change the table forbids.
 */
export interface Transition {
  readonly action: RecordAction;
  readonly from: RecordStatus;
  readonly to: RecordStatus;
  readonly [decided]: true;
}

/**
 * The machine's decision for one record: the change it allows, or null. Where the table
 * says `reclassify`, the status is the classification's (`classified`), which must be given.
 */
export function transition(from: RecordStatus, action: RecordAction, classified?: ClassifiedStatus): Transition | null {
  const outcome = nextStatus(from, action);
  if (outcome === null) return null;
  if (outcome === 'reclassify' && classified === undefined)
    throw new Error(`${action} of a ${from} record needs the status its classification gives`);
  return { action, from, to: outcome === 'reclassify' ? classified! : outcome } as Transition;
}

/** The machine's decisions for several records, all or nothing: the refused ones, or a change for each. */
export function transitionAll<R extends { id: string; status: RecordStatus }>(
  records: readonly R[],
  action: RecordAction,
  classified?: (record: R) => ClassifiedStatus,
): { refused: R[]; moves: { id: string; transition: Transition }[] } {
  const refused = records.filter((r) => !canDo(r.status, action));
  if (refused.length > 0) return { refused, moves: [] };
  return {
    refused,
    moves: records.map((r) => ({ id: r.id, transition: transition(r.status, action, classified?.(r))! })),
  };
}

/** The records the machine does not allow the action for (none: it may go ahead for all). */
export function refusedFor<R extends { id: string; status: RecordStatus }>(
  records: readonly R[],
  action: RecordAction,
): R[] {
  return records.filter((r) => !canDo(r.status, action));
}

/** What staff can do instead, per action and per status the action is refused in. */
const WHAT_TO_DO: Partial<Record<RecordAction, Partial<Record<RecordStatus, string>>>> = {
  edit: {
    queued: 'it is on its way to the MMS; once posted, change it with Correct allocation on the record',
    posted: 'it is in the MMS already; change it with Correct allocation on the record',
    removed: 'bring it back with Move to Pending first, then edit it',
  },
  remove: {
    queued: 'it is on its way to the MMS and cannot be taken back; void or refund its payment in the Payment Manager',
    posted:
      'it is in the MMS already; void or refund its payment in the Payment Manager, or change it with Correct allocation',
    removed: 'it is removed already',
  },
  move_to_pending: {
    pending: 'it is in Pending already',
    incomplete: 'it is in Incomplete already; fix it there with Edit Posting Record',
    queued: 'it is on its way to the MMS',
    posted: 'it is in the MMS already; change it with Correct allocation on the record',
  },
  post: {
    incomplete: 'fix its allocation with Edit Posting Record first',
    removed: 'bring it back with Move to Pending first',
    queued: 'it is on its way to the MMS already',
    posted: 'it is in the MMS already',
  },
};

/**
 * The refusal of an action for some records, each named in words (payer, amount, date,
 * invoices: never a raw id in the message), with what can be done instead. details keep
 * the ids and statuses for scripts.
 */
export function refusalInWords(
  verb: string,
  action: RecordAction,
  refused: readonly { id: string; status: RecordStatus; words: string }[],
  needs: string,
): DomainError {
  const parts = refused.map((r) => {
    const instead = WHAT_TO_DO[action]?.[r.status];
    return `${r.words} is ${r.status}${instead ? `: ${instead}` : ''}`;
  });
  return invalidState(`cannot ${verb}: ${parts.join('; ')} (${needs})`, {
    ids: refused.map((r) => r.id),
    statuses: Object.fromEntries(refused.map((r) => [r.id, r.status])),
  });
}

export type BatchStatus = 'queued' | 'delivered';
export type BatchAction = 'deliver';

export const BATCH_STATUSES = ['queued', 'delivered'] as const satisfies readonly BatchStatus[];
export const BATCH_ACTIONS = ['deliver'] as const satisfies readonly BatchAction[];

/** A batch is made queued; the agent's acknowledgement delivers it, once. */
const BATCH_TRANSITIONS: Record<BatchStatus, Partial<Record<BatchAction, BatchStatus>>> = {
  queued: { deliver: 'delivered' },
  delivered: {},
};

/** A batch's status change the machine allowed (see Transition). */
export interface BatchTransition {
  readonly action: BatchAction;
  readonly from: BatchStatus;
  readonly to: BatchStatus;
  readonly [decided]: true;
}

export function batchTransition(from: BatchStatus, action: BatchAction): BatchTransition | null {
  const to = BATCH_TRANSITIONS[from][action];
  return to === undefined ? null : ({ action, from, to } as BatchTransition);
}
