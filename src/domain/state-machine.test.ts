import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BATCH_ACTIONS,
  BATCH_STATUSES,
  batchTransition,
  canDo,
  nextStatus,
  RECORD_ACTIONS,
  refusalInWords,
  refusedFor,
  transition,
  transitionAll,
  type RecordAction,
} from './state-machine.ts';
import { RECORD_STATUSES, type RecordStatus } from './types.ts';

type Outcome = ReturnType<typeof nextStatus>;

// Every status × action, written out in full so a change to the table is a change here.
const EXPECTED: Record<RecordStatus, Record<RecordAction, Outcome>> = {
  pending: {
    post: 'queued',
    remove: 'removed',
    move_to_pending: null,
    edit: 'reclassify',
    acknowledge: null,
    reverse_payment: 'removed',
    mms_apply: null,
    mms_reject: null,
    reclassify: 'reclassify',
  },
  incomplete: {
    post: null,
    remove: 'removed',
    move_to_pending: null,
    edit: 'reclassify',
    acknowledge: null,
    reverse_payment: 'removed',
    mms_apply: null,
    mms_reject: null,
    reclassify: 'reclassify',
  },
  queued: {
    post: null,
    remove: null,
    move_to_pending: null,
    edit: null,
    acknowledge: 'posted',
    reverse_payment: 'queued',
    mms_apply: null,
    mms_reject: null,
    reclassify: null,
  },
  posted: {
    post: null,
    remove: null,
    move_to_pending: null,
    edit: null,
    acknowledge: null,
    reverse_payment: 'posted',
    mms_apply: 'posted',
    mms_reject: 'reclassify',
    reclassify: null,
  },
  removed: {
    post: null,
    remove: null,
    move_to_pending: 'reclassify',
    edit: null,
    acknowledge: null,
    reverse_payment: 'removed',
    mms_apply: null,
    mms_reject: null,
    reclassify: null,
  },
};

describe('nextStatus', () => {
  const cases = RECORD_STATUSES.flatMap((status) => RECORD_ACTIONS.map((action) => [status, action] as const));

  it('covers all 45 pairs', () => {
    expect(cases).toHaveLength(45);
  });

  it.each(cases)('%s + %s', (status, action) => {
    expect(nextStatus(status, action)).toBe(EXPECTED[status][action]);
    expect(canDo(status, action)).toBe(EXPECTED[status][action] !== null);
  });
});

describe('transition', () => {
  const cases = RECORD_STATUSES.flatMap((status) => RECORD_ACTIONS.map((action) => [status, action] as const));

  it.each(cases)('%s + %s: the change allowed, or none', (status, action) => {
    const expected = EXPECTED[status][action];
    if (expected === null) {
      expect(transition(status, action, 'pending')).toBeNull();
    } else if (expected === 'reclassify') {
      expect(() => transition(status, action)).toThrow(/needs the status/);
      for (const classified of ['pending', 'incomplete'] as const) {
        expect(transition(status, action, classified)).toEqual({ action, from: status, to: classified });
      }
    } else {
      expect(transition(status, action)).toEqual({ action, from: status, to: expected });
    }
  });

  it('decides for all records or for none', () => {
    const records = [
      { id: 'a', status: 'pending' as const },
      { id: 'b', status: 'removed' as const },
    ];
    expect(transitionAll(records, 'remove')).toEqual({ refused: [records[1]], moves: [] });
    expect(transitionAll([records[0]!], 'post')).toEqual({
      refused: [],
      moves: [{ id: 'a', transition: { action: 'post', from: 'pending', to: 'queued' } }],
    });
    expect(transitionAll([records[1]!], 'move_to_pending', () => 'incomplete').moves[0]?.transition.to).toBe(
      'incomplete',
    );
  });
});

describe('refusedFor and refusalInWords', () => {
  it('lets the action through when the machine allows it for every record', () => {
    expect(
      refusedFor(
        [
          { id: 'a', status: 'pending' },
          { id: 'b', status: 'incomplete' },
        ],
        'remove',
      ),
    ).toEqual([]);
  });

  it('refuses all of them as invalid_state, naming every refused record in words with what to do instead', () => {
    const records = [
      { id: 'a', status: 'pending' as const },
      { id: 'b', status: 'queued' as const },
      { id: 'c', status: 'posted' as const },
    ];
    const refused = refusedFor(records, 'remove');
    expect(refused.map((r) => r.id)).toEqual(['b', 'c']);
    const error = refusalInWords(
      'remove',
      'remove',
      refused.map((r) => ({ ...r, words: `payer ${r.id}'s payment` })),
      'only pending or incomplete records can be removed',
    );
    expect(error).toMatchObject({
      code: 'invalid_state',
      message:
        "cannot remove: payer b's payment is queued: it is on its way to the MMS and cannot be taken back; void or refund its payment in the Payment Manager; " +
        "payer c's payment is posted: it is in the MMS already; void or refund its payment in the Payment Manager, or change it with Correct allocation " +
        '(only pending or incomplete records can be removed)',
      details: { ids: ['b', 'c'], statuses: { b: 'queued', c: 'posted' } },
    });
  });

  it('has advice for every status each staff action is refused in', () => {
    for (const action of ['edit', 'remove', 'move_to_pending', 'post'] as const)
      for (const status of RECORD_STATUSES.filter((s) => !canDo(s, action))) {
        const message = refusalInWords(action, action, [{ id: 'x', status, words: 'W' }], 'n').message;
        expect(message, `${action} ${status}`).toMatch(new RegExp(`^cannot ${action}: W is ${status}: .+ \\(n\\)$`));
      }
  });
});

describe('batchTransition', () => {
  const EXPECTED_BATCH = { queued: { deliver: 'delivered' }, delivered: { deliver: null } } as const;
  const cases = BATCH_STATUSES.flatMap((status) => BATCH_ACTIONS.map((action) => [status, action] as const));

  it.each(cases)('%s + %s', (status, action) => {
    const to = EXPECTED_BATCH[status][action];
    expect(batchTransition(status, action)).toEqual(to === null ? null : { action, from: status, to });
  });
});

type Command =
  | { kind: 'post'; ids: number[] }
  | { kind: 'acknowledge' }
  | { kind: 'remove'; ids: number[] }
  | { kind: 'move_to_pending'; ids: number[]; verdict: 'pending' | 'incomplete' }
  | { kind: 'edit'; id: number; verdict: 'pending' | 'incomplete' }
  | { kind: 'reverse_payment'; id: number };

const RECORDS = 6;
const id = fc.integer({ min: 0, max: RECORDS - 1 });
const ids = fc.uniqueArray(id, { minLength: 1, maxLength: RECORDS });
const verdict = fc.constantFrom('pending' as const, 'incomplete' as const);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('post' as const), ids }),
  fc.record({ kind: fc.constant('acknowledge' as const) }),
  fc.record({ kind: fc.constant('remove' as const), ids }),
  fc.record({ kind: fc.constant('move_to_pending' as const), ids, verdict }),
  fc.record({ kind: fc.constant('edit' as const), id, verdict }),
  fc.record({ kind: fc.constant('reverse_payment' as const), id }),
);

/** The server's all-or-nothing rule: if any record forbids the action, nothing changes. */
function applyAll(statuses: RecordStatus[], chosen: number[], action: RecordAction, verdict: RecordStatus): boolean {
  const outcomes = chosen.map((index) => nextStatus(statuses[index] ?? 'removed', action));
  if (outcomes.some((outcome) => outcome === null)) return false;
  chosen.forEach((index, position) => {
    const outcome = outcomes[position];
    if (outcome !== null && outcome !== undefined) statuses[index] = outcome === 'reclassify' ? verdict : outcome;
  });
  return true;
}

describe('state machine model', () => {
  it('never puts a record in two batches and never changes a posted record', () => {
    fc.assert(
      fc.property(
        fc.array(verdict, { minLength: RECORDS, maxLength: RECORDS }),
        fc.array(command, { maxLength: 40 }),
        (initial, commands) => {
          const statuses: RecordStatus[] = [...initial];
          const batches: number[][] = [];
          let acknowledged = 0;
          const batchOf = new Map<number, number>();
          for (const step of commands) {
            const postedBefore = statuses.map((status) => status === 'posted');
            if (step.kind === 'post') {
              if (applyAll(statuses, step.ids, 'post', 'queued')) {
                for (const index of step.ids) {
                  expect(batchOf.has(index)).toBe(false);
                  batchOf.set(index, batches.length);
                }
                batches.push(step.ids);
              }
            } else if (step.kind === 'acknowledge') {
              const batch = batches[acknowledged];
              if (batch !== undefined) {
                // Every record of a batch waiting for its acknowledgement must still be queued.
                expect(applyAll(statuses, batch, 'acknowledge', 'posted')).toBe(true);
                acknowledged += 1;
              }
            } else if (step.kind === 'remove') {
              applyAll(statuses, step.ids, 'remove', 'removed');
            } else if (step.kind === 'move_to_pending') {
              applyAll(statuses, step.ids, 'move_to_pending', step.verdict);
            } else if (step.kind === 'edit') {
              applyAll(statuses, [step.id], 'edit', step.verdict);
            } else {
              applyAll(statuses, [step.id], 'reverse_payment', 'removed');
            }
            statuses.forEach((status, index) => {
              if (postedBefore[index] === true) expect(status).toBe('posted');
              const batch = batchOf.get(index);
              expect(batch !== undefined).toBe(status === 'queued' || status === 'posted');
              if (batch !== undefined) expect(status).toBe(batch < acknowledged ? 'posted' : 'queued');
            });
          }
          const batched = batches.flat();
          expect(new Set(batched).size).toBe(batched.length);
        },
      ),
    );
  });
});
