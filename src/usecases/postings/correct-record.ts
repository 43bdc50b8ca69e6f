import type { z } from 'zod';
import { randomUUID } from 'node:crypto';
import type { correctRecordBody } from '../../contract/postings.ts';
import { checkAllocations } from '../../domain/allocations.ts';
import { correctionProblem } from '../../domain/corrections.ts';
import { invalidState, notFound, staleRecord } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { cents, negateCents, type Cents } from '../../domain/money.ts';
import { reversalAllocations } from '../../domain/reversal.ts';
import type { Actor } from '../../domain/actor.ts';
import type { Allocation } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { findPayment } from '../../db/payments.ts';
import { insertReversalRecord } from '../../db/payment-records.ts';
import {
  loadAllocations,
  loadRecordViews,
  readCorrectable,
  readReversals,
  replaceAllocations,
  searchText,
} from '../../db/postings.ts';
import { inTransaction } from '../../db/transaction.ts';
import { lockRecords } from './lock-records.ts';
import { reconcileRecords } from './reconcile-records.ts';
import { listInWords } from './refusal.ts';

/** A correction's request (the contract's body). */
export type CorrectInput = z.output<typeof correctRecordBody>;

/**
 * SPEC §3.7, correcting a posted record the MMS applied without refunding the client: in
 * one transaction, a reversal of its lines (signs flipped, pending) and a replacement with
 * the new allocations (classified as Edit classifies), both with one new correction id, so
 * that they reach the MMS together. The record itself stays posted; the replacement stands
 * for the payment from then on (a later refund reverses the replacement's lines).
 */
export async function correctRecord(
  db: Db,
  firmId: string,
  actor: Actor,
  id: string,
  input: CorrectInput,
  now = new Date(),
) {
  return inTransaction(db, async (tx) => {
    if (!isUuid(id)) throw notFound('posting record', id);
    // The payment first, then the record, as a refund locks them: the two see each other's work.
    const [unlocked] = await loadRecordViews(tx, firmId, [id]);
    if (!unlocked) throw notFound('posting record', id);
    await findPayment(tx, firmId, unlocked.paymentId, true);
    const [locked] = await lockRecords(tx, firmId, [id]);
    const row = await readCorrectable(tx, firmId, id);
    const live = (await readReversals(tx, firmId, id)).filter((r) => r.status !== 'removed').map((r) => r.id);
    const problem = correctionProblem({
      status: row.status,
      reversalOf: row.reversal_of,
      mmsStatus: row.mms_status,
      batchAnswerExpected: row.batch_answer_expected,
      paymentStatus: row.payment_status,
      liveReversals: live.length ? [await listInWords(tx, firmId, live)] : [],
    });
    if (problem) {
      throw invalidState(
        `cannot correct ${await listInWords(tx, firmId, [id])}: ${problem}`,
        live.length ? { ids: [id], reversalIds: live } : { ids: [id] },
      );
    }
    if (locked!.version !== input.version) {
      throw staleRecord(id, locked!.version, await listInWords(tx, firmId, [id]));
    }
    const receipt = cents(row.amount_cents, 'receipt');
    const allocations = checkAllocations(row.account, receipt, input.allocations);
    const original = (await loadAllocations(tx, firmId, [id])).get(id) ?? [];
    const correctionId = randomUUID();
    const surcharge = cents(row.surcharge_cents, 'surcharge');
    const search = (lines: readonly Allocation[]) =>
      searchText({
        payerName: row.payer_name,
        invoiceNumbers: row.invoice_numbers,
        clientNumber: row.payment_client_number,
        matterNumber: row.payment_matter_number,
        allocations: lines,
      });
    // Both halves carry the surcharge (taken back, restated), so the replacement stands for
    // the whole payment, as the original did, when it is reversed in its turn.
    const half = (amount: Cents, surchargeCents: Cents, memo: string, lines: readonly Allocation[]) => ({
      payment_id: row.payment_id,
      correction_id: correctionId,
      from_payment_page: row.from_payment_page,
      amount_cents: amount,
      surcharge_cents: surchargeCents,
      account: row.account,
      memo,
      processed_at: now,
      payer_name: row.payer_name,
      origin: row.origin,
      method: row.method,
      invoice_numbers: row.invoice_numbers,
      search_text: search(lines),
    });
    const reversalLines = reversalAllocations(original);
    const reversalId = await insertReversalRecord(tx, firmId, {
      ...half(negateCents(receipt), negateCents(surcharge), '', reversalLines),
      reversal_of: id,
      reversal_kind: 'correction',
      status: 'pending',
      reasons: [],
    });
    await replaceAllocations(tx, firmId, reversalId, reversalLines);
    // Pending only until the classification below decides, as an edit's does, in this transaction.
    const replacementId = await insertReversalRecord(tx, firmId, {
      ...half(receipt, surcharge, input.memo ?? row.memo, allocations),
      replaces: id,
      status: 'pending',
      reasons: [],
      client_mismatch_accepted: row.client_mismatch_accepted,
    });
    const verdict = (
      await reconcileRecords(
        tx,
        firmId,
        actor,
        {
          invoices: allocations.flatMap((a) => (a.invoiceNumber ? [a.invoiceNumber] : [])),
          acted: [{ id: replacementId, action: 'edit', reallocation: allocations }],
        },
        `correction of ${id}`,
        now,
      )
    ).get(replacementId)!.after;
    const link = { correctionId, of: id, reversalId, replacementId };
    await writeAudit(tx, firmId, actor, [
      { action: 'corrected', recordId: id, detail: { ...link, allocations: { before: original, after: allocations } } },
      { action: 'correction_created', recordId: reversalId, to: 'pending', detail: { ...link, half: 'reversal' } },
      {
        action: 'correction_created',
        recordId: replacementId,
        to: verdict.status,
        detail: { ...link, half: 'replacement', reasons: verdict.reasons },
      },
    ]);
    await publish(tx, firmId, ['postings.changed']);
    const views = await loadRecordViews(tx, firmId, [reversalId, replacementId]);
    return {
      correctionId,
      reversal: views.find((v) => v.id === reversalId)!,
      replacement: views.find((v) => v.id === replacementId)!,
    };
  });
}
