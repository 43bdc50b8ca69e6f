import type { z } from 'zod';
import type { editRecordBody } from '../../contract/postings.ts';
import { transition } from '../../domain/state-machine.ts';
import { sameTargets } from '../../domain/terms.ts';
import type { Db } from '../../db/connect.ts';
import { listInWords, refuseUnless } from './refusal.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import {
  loadAllocations,
  loadRecordViews,
  readEditable,
  readReversal,
  saveVerdicts,
  writeMemo,
} from '../../db/postings.ts';
import { DomainError, notFound, staleRecord } from '../../domain/errors.ts';
import type { Actor } from '../../domain/actor.ts';
import { lockRecords } from './lock-records.ts';
import { reconcileRecords } from './reconcile-records.ts';
import { reversalAllocations, reversalVerdict } from '../../domain/reversal.ts';

/** Edit Posting Record / Reallocate Payment's request (the contract's body, defaults applied). */
export type EditInput = z.output<typeof editRecordBody>;

/**
 * Edit Posting Record / Reallocate Payment: new allocations (and memo) on a pending or
 * incomplete record, which is then classified again with the records it competes with.
 * A stale version changes nothing. Lines equal to the ones the record already has keep
 * the payer's terms (saving a record unchanged never changes it); other lines become the
 * accountant's reallocation, which classification checks from then on.
 */
export async function editRecord(db: Db, firmId: string, actor: Actor, id: string, input: EditInput, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const [record] = await lockRecords(tx, firmId, [id]);
    if (!record) throw notFound('posting record', id);
    await refuseUnless(tx, firmId, [record], 'edit', 'edit', 'only pending or incomplete records can be edited');
    if (record.version !== input.version) {
      throw staleRecord(id, record.version, await listInWords(tx, firmId, [id]));
    }
    if (record.reversal_of !== null) return editReversal(tx, firmId, actor, id, input, now);
    const row = await readEditable(tx, firmId, id);
    const before = (await loadAllocations(tx, firmId, [id])).get(id) ?? [];
    const allocations = input.allocations ?? before;
    const unchangedLines = sameTargets(allocations, before);
    const accepted = input.acceptClientMismatch ?? row.client_mismatch_accepted;
    const outcome = (
      await reconcileRecords(
        tx,
        firmId,
        actor,
        {
          invoices: [...before, ...allocations].flatMap((a) => (a.invoiceNumber ? [a.invoiceNumber] : [])),
          acted: [
            {
              id,
              action: 'edit',
              clientMismatchAccepted: accepted,
              mmsProblemFixed: input.mmsProblemFixed === true || !unchangedLines,
              ...(unchangedLines && !row.reallocated ? {} : { reallocation: allocations }),
            },
          ],
        },
        `edit of ${id}`,
        now,
      )
    ).get(id)!;
    if (input.memo !== undefined && input.memo !== row.memo) await writeMemo(tx, firmId, id, input.memo);
    await writeAudit(tx, firmId, actor, [
      {
        action: 'edited',
        recordId: id,
        from: row.status,
        to: outcome.after.status,
        detail: {
          allocations: { before, after: outcome.after.allocations },
          reasons: outcome.after.reasons,
          ...(input.memo !== undefined && input.memo !== row.memo
            ? { memo: { before: row.memo, after: input.memo } }
            : {}),
          ...(accepted !== row.client_mismatch_accepted
            ? { clientMismatchAccepted: { before: row.client_mismatch_accepted, after: accepted } }
            : {}),
          ...(row.mms_status === 'rejected' && !outcome.after.reasons.includes('rejected_by_mms')
            ? { mmsRejectionFixed: true }
            : {}),
        },
      },
    ]);
    await publish(tx, firmId, ['postings.changed']);
    const [view] = await loadRecordViews(tx, firmId, [id]);
    return view!;
  });
}

/**
 * A reversal keeps its original's lines; its memo can change, and a refusal by the MMS
 * can be marked fixed so it goes out again (SPEC §3.5, §5.1).
 */
async function editReversal(tx: Db, firmId: string, actor: Actor, id: string, input: EditInput, now: Date) {
  const row = await readReversal(tx, firmId, id);
  const lines = (await loadAllocations(tx, firmId, [id])).get(id) ?? [];
  // A request's amounts are more than zero and a reversal's lines are negative: its lines
  // are sent as the amounts they take back (or not at all, to keep them).
  if (input.allocations !== undefined && !sameTargets(input.allocations, reversalAllocations(lines))) {
    const words = await listInWords(tx, firmId, [id]);
    throw new DomainError(
      'reversal_not_editable',
      `cannot reallocate ${words}: a reversal keeps its original's allocations; only its memo can change (to apply the payment elsewhere, use Correct allocation on the original)`,
      { id },
    );
  }
  const verdict = reversalVerdict(lines, row.mms_status === 'rejected' && input.mmsProblemFixed !== true);
  const change = transition(row.status, 'edit', verdict.status)!;
  await saveVerdicts(
    tx,
    firmId,
    [
      {
        id,
        transition: change,
        verdict,
        refersTo: row.refers_to,
        reallocated: false,
        clientMismatchAccepted: false,
        rejectedByMms: verdict.status === 'incomplete',
        search: {
          payerName: row.payer_name,
          invoiceNumbers: row.invoice_numbers,
          clientNumber: row.client_number,
          matterNumber: row.matter_number,
        },
      },
    ],
    now,
  );
  if (input.memo !== undefined && input.memo !== row.memo) await writeMemo(tx, firmId, id, input.memo);
  await writeAudit(tx, firmId, actor, [
    {
      action: 'edited',
      recordId: id,
      from: row.status,
      to: verdict.status,
      detail: {
        reasons: verdict.reasons,
        ...(input.memo !== undefined && input.memo !== row.memo
          ? { memo: { before: row.memo, after: input.memo } }
          : {}),
        ...(row.mms_status === 'rejected' && verdict.status === 'pending' ? { mmsRejectionFixed: true } : {}),
      },
    },
  ]);
  await publish(tx, firmId, ['postings.changed']);
  const [view] = await loadRecordViews(tx, firmId, [id]);
  return view!;
}
