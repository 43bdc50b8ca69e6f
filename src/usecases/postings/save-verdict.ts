import { sql } from 'kysely';
import type { Verdict } from '../../domain/classify.ts';
import type { Db } from '../../db/connect.ts';
import { replaceAllocations, searchText } from '../../db/postings.ts';

/** Stores a classification verdict on a record and bumps its version. */
export async function saveVerdict(
  tx: Db,
  firmId: string,
  recordId: string,
  verdict: Verdict,
  context: { payerName: string; invoiceNumbers: string[]; clientNumber: string | null; matterNumber: string | null },
  extra: { memo?: string; removalNote?: null; statusChanged: boolean },
  now: Date,
): Promise<void> {
  await tx
    .updateTable('posting_records')
    .set({
      status: verdict.status,
      reasons: verdict.reasons,
      version: sql`version + 1`,
      updated_at: now,
      search_text: searchText({ ...context, allocations: verdict.allocations }),
      ...(extra.memo === undefined ? {} : { memo: extra.memo }),
      ...(extra.removalNote === undefined ? {} : { removal_note: null }),
      ...(extra.statusChanged ? { status_changed_at: now } : {}),
    })
    .where('firm_id', '=', firmId)
    .where('id', '=', recordId)
    .execute();
  await replaceAllocations(tx, firmId, recordId, verdict.allocations);
}
