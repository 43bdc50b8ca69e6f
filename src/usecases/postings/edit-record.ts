import { canDo } from '../../domain/state-machine.ts';
import type { Allocation } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { loadAllocations, loadRecordViews } from '../../db/postings.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../auth/principal.ts';
import { classifyInDb } from './classify-record.ts';
import { lockRecords, refuseUnless } from './lock-records.ts';
import { saveVerdict } from './save-verdict.ts';

export interface EditInput {
  version: number;
  allocations: Allocation[];
  memo?: string | undefined;
}

/**
 * Edit Posting Record / Reallocate Payment: new allocations (and memo) on a pending or
 * incomplete record, which is then classified again. A stale version changes nothing.
 */
export async function editRecord(db: Db, firmId: string, actor: Actor, id: string, input: EditInput, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const [record] = await lockRecords(tx, firmId, [id]);
    if (!record) throw new AppError(404, 'not_found', `posting record ${id} not found`);
    refuseUnless([record], (r) => canDo(r.status, 'edit'), 'edit', 'only pending or incomplete records can be edited');
    if (record.version !== input.version) {
      throw new AppError(409, 'stale_version', `posting record ${id} was changed by someone else (version ${record.version}, you sent ${input.version}); reload it`, {
        id,
        currentVersion: record.version,
      });
    }
    if (record.reversal_of !== null) {
      throw new AppError(409, 'reversal_not_editable', `posting record ${id} is a reversal: it keeps its original's allocations`, { id });
    }
    const row = await tx
      .selectFrom('posting_records as r')
      .innerJoin('payments as p', (j) => j.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'))
      .select(['r.account', 'r.amount_cents', 'r.status', 'r.memo', 'p.invoice_numbers', 'p.client_number', 'p.matter_number', 'p.payer_name'])
      .where('r.firm_id', '=', firmId)
      .where('r.id', '=', id)
      .executeTakeFirstOrThrow();
    const firm = await tx.selectFrom('firms').select('auto_apply').where('id', '=', firmId).executeTakeFirstOrThrow();
    const before = (await loadAllocations(tx, firmId, [id])).get(id) ?? [];
    const context = { payerName: row.payer_name, invoiceNumbers: row.invoice_numbers, clientNumber: row.client_number, matterNumber: row.matter_number };
    const verdict = await classifyInDb(tx, firmId, firm.auto_apply, {
      recordId: id,
      account: row.account,
      receiptCents: row.amount_cents,
      ...context,
      allocations: input.allocations,
    });
    await saveVerdict(tx, firmId, id, verdict, context, { memo: input.memo, statusChanged: verdict.status !== row.status }, now);
    await writeAudit(tx, firmId, actor, [
      {
        action: 'edited',
        recordId: id,
        from: row.status,
        to: verdict.status,
        detail: {
          allocations: { before, after: verdict.allocations },
          reasons: verdict.reasons,
          ...(input.memo !== undefined && input.memo !== row.memo ? { memo: { before: row.memo, after: input.memo } } : {}),
        },
      },
    ]);
    const [view] = await loadRecordViews(tx, firmId, [id]);
    return view!;
  });
}
