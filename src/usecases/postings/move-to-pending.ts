import { canDo } from '../../domain/state-machine.ts';
import type { Allocation } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { loadAllocations } from '../../db/postings.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../auth/principal.ts';
import { classifyInDb } from './classify-record.ts';
import { lockRecords, refuseUnless } from './lock-records.ts';
import { saveVerdict } from './save-verdict.ts';

/**
 * Move to Pending: removed records are classified again — pending, or incomplete
 * if a conflict remains. A record whose payment was reversed stays removed.
 */
export async function moveToPending(db: Db, firmId: string, actor: Actor, ids: string[], now = new Date()) {
  return inTransaction(db, async (tx) => {
    const records = await lockRecords(tx, firmId, ids);
    refuseUnless(records, (r) => canDo(r.status, 'move_to_pending'), 'move to pending', 'only removed records can be moved to pending');
    const firm = await tx.selectFrom('firms').select('auto_apply').where('id', '=', firmId).executeTakeFirstOrThrow();
    const rows = await tx
      .selectFrom('posting_records as r')
      .innerJoin('payments as p', (j) => j.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'))
      .select(['r.id', 'r.account', 'r.amount_cents', 'r.reversal_of', 'p.status as payment_status', 'p.invoice_numbers', 'p.client_number', 'p.matter_number', 'p.payer_name', 'p.payer_allocations'])
      .where('r.firm_id', '=', firmId)
      .where('r.id', 'in', records.map((r) => r.id))
      .orderBy('r.id')
      .execute();
    const reversed = rows.filter((r) => r.payment_status !== 'approved' && r.reversal_of === null);
    if (reversed.length) {
      throw new AppError(409, 'payment_reversed', `cannot move to pending: the payment of ${reversed.map((r) => r.id).join(', ')} was reversed`, {
        ids: reversed.map((r) => r.id),
      });
    }
    const current = await loadAllocations(tx, firmId, rows.map((r) => r.id));
    const results: { id: string; status: string; reasons: string[] }[] = [];
    for (const row of rows) {
      const context = { payerName: row.payer_name, invoiceNumbers: row.invoice_numbers, clientNumber: row.client_number, matterNumber: row.matter_number };
      // An accountant's reallocation, if the record had one, is kept and checked again;
      // otherwise the payer's own split or invoice numbers are classified afresh.
      const allocations = current.get(row.id) ?? (row.payer_allocations as Allocation[] | null) ?? null;
      const verdict =
        row.reversal_of !== null
          ? { status: 'pending' as const, reasons: [], allocations: allocations ?? [] } // a reversal mirrors its posted original
          : await classifyInDb(tx, firmId, firm.auto_apply, { recordId: row.id, account: row.account, receiptCents: row.amount_cents, ...context, allocations });
      await saveVerdict(tx, firmId, row.id, verdict, context, { removalNote: null, statusChanged: true }, now);
      await writeAudit(tx, firmId, actor, [
        { action: 'moved_to_pending', recordId: row.id, from: 'removed', to: verdict.status, detail: { reasons: verdict.reasons } },
      ]);
      results.push({ id: row.id, status: verdict.status, reasons: verdict.reasons });
    }
    return { records: results };
  });
}
