import { transition } from '../../domain/state-machine.ts';
import type { Db } from '../../db/connect.ts';
import { listInWords, refuseUnless } from './refusal.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { DomainError, invalidState } from '../../domain/errors.ts';
import type { Actor } from '../../domain/actor.ts';
import { lockWithPartners, withPartners, type LockedRecord } from './lock-records.ts';
import { reconcileRecords } from './reconcile-records.ts';
import {
  clearRemovalNotes,
  loadAllocations,
  lockRecordRows,
  readReversals,
  readWithPayments,
  saveVerdicts,
} from '../../db/postings.ts';
import { reversalVerdict } from '../../domain/reversal.ts';

/**
 * Move to Pending: removed records are classified again — pending, or incomplete if a
 * conflict remains — against what the records already pending take; an accountant's
 * reallocation, if the record had one, is kept and checked again. A record whose payment
 * was reversed stays removed.
 */
export async function moveToPending(db: Db, firmId: string, actor: Actor, ids: string[], now = new Date()) {
  return inTransaction(db, async (tx) => {
    // Either half of a correction not yet posted takes the other with it (SPEC §3.7).
    const records = withPartners(await lockWithPartners(tx, firmId, ids));
    await refuseUnless(
      tx,
      firmId,
      records,
      'move_to_pending',
      'move to pending',
      'only removed records can be moved to pending',
    );
    if (records.length === 0) return { records: [] };
    await refuseSupersededCorrections(tx, firmId, records);
    const rows = await readWithPayments(
      tx,
      firmId,
      records.map((r) => r.id),
    );
    const reversed = rows.filter((r) => r.payment_status !== 'approved' && r.reversal_of === null);
    if (reversed.length) {
      // Said by payer and what happened, as the list shows them; the ids are in the details.
      const which = reversed.map((r) => `${r.payer_name} (${r.payment_status.replace('_', ' ')})`).join(', ');
      throw new DomainError(
        'payment_reversed',
        reversed.length === 1
          ? `the payment from ${which} was reversed, so its record stays removed`
          : `the payments from ${which} were reversed, so their records stay removed`,
        { ids: reversed.map((r) => r.id) },
      );
    }
    const originals = rows.filter((r) => r.reversal_of === null);
    const reversals = rows.filter((r) => r.reversal_of !== null);
    const outcomes = await reconcileRecords(
      tx,
      firmId,
      actor,
      {
        invoices: originals.flatMap((r) => r.refers_to),
        acted: originals.map((r) => ({ id: r.id, action: 'move_to_pending' as const })),
      },
      'move to pending',
      now,
    );
    // A reversal mirrors its posted original, line for line: it is pending, never judged.
    const reversalLines = await loadAllocations(
      tx,
      firmId,
      reversals.map((r) => r.id),
    );
    await saveVerdicts(
      tx,
      firmId,
      reversals.map((r) => ({
        id: r.id,
        transition: transition(r.status, 'move_to_pending', 'pending')!,
        verdict: reversalVerdict(reversalLines.get(r.id) ?? [], false),
        search: {
          payerName: r.payer_name,
          invoiceNumbers: r.invoice_numbers,
          clientNumber: r.client_number,
          matterNumber: r.matter_number,
        },
        refersTo: r.refers_to,
        reallocated: false,
        clientMismatchAccepted: false,
        rejectedByMms: false,
      })),
      now,
    );
    await clearRemovalNotes(
      tx,
      firmId,
      rows.map((r) => r.id),
    );
    const results = rows.map((r) => {
      const after = outcomes.get(r.id)?.after ?? { status: 'pending' as const, reasons: [] };
      return { id: r.id, status: after.status, reasons: after.reasons };
    });
    await writeAudit(
      tx,
      firmId,
      actor,
      results.map((r) => ({
        action: 'moved_to_pending',
        recordId: r.id,
        from: 'removed',
        to: r.status,
        detail: { reasons: r.reasons },
      })),
    );
    await publish(tx, firmId, ['postings.changed']);
    return { records: results };
  });
}

/**
 * A correction brought back must still be the only thing undoing its original: refused
 * when the original has another reversal that is not removed (a refund, or a correction
 * made since), as the MMS would then take the original back twice.
 */
async function refuseSupersededCorrections(tx: Db, firmId: string, records: readonly LockedRecord[]) {
  const halves = records.filter((r) => r.correction_id !== null && r.reversal_of !== null);
  if (halves.length === 0) return;
  // The originals locked, as a correction of them locks them: one of the two sees the other's work.
  await lockRecordRows(
    tx,
    firmId,
    halves.map((r) => r.reversal_of!),
  );
  const refused: string[] = [];
  for (const r of halves) {
    const others = (await readReversals(tx, firmId, r.reversal_of!)).filter(
      (x) => x.id !== r.id && x.status !== 'removed',
    );
    if (others.length > 0) refused.push(r.id);
  }
  if (refused.length) {
    throw invalidState(
      `cannot move to pending: ${await listInWords(tx, firmId, refused)} undoes a record that was refunded, voided or corrected again since it was removed, so it stays removed (the MMS would otherwise take the payment back twice)`,
      { ids: refused },
    );
  }
}
