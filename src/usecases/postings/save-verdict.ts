import { sql } from 'kysely';
import type { Verdict } from '../../domain/classify.ts';
import type { Db } from '../../db/connect.ts';
import { searchText } from '../../db/postings.ts';

/** A verdict to store on a record, with what else changes with it. */
export interface VerdictWrite {
  id: string;
  verdict: Verdict;
  /** What the list search matches: the payment's fields with the verdict's lines. */
  search: { payerName: string; invoiceNumbers: string[]; clientNumber: string | null; matterNumber: string | null };
  refersTo: string[];
  reallocated: boolean;
  clientMismatchAccepted: boolean;
  /** False clears the MMS's refusal (an accountant fixed it); true keeps it. */
  rejectedByMms: boolean;
  statusChanged: boolean;
}

const CHUNK = 5000;

/**
 * Stores verdicts on records, bumping each one's version, in a fixed number of statements
 * however many records: the status, reasons, search text and choices in one update, the
 * lines replaced in bulk.
 */
export async function saveVerdicts(tx: Db, firmId: string, writes: readonly VerdictWrite[], now: Date): Promise<void> {
  if (writes.length === 0) return;
  const ids = writes.map((w) => w.id);
  await sql`
    update posting_records r
    set status = c.status, reasons = string_to_array(c.reasons, ',')::text[], search_text = c.search,
        refers_to = array(select jsonb_array_elements_text(c.refers)), reallocated = c.reallocated, client_mismatch_accepted = c.accepted,
        mms_status = case when r.mms_status = 'rejected' and not c.rejected then null else r.mms_status end,
        version = r.version + 1, updated_at = ${now},
        status_changed_at = case when c.status_changed then ${now}::timestamptz else r.status_changed_at end
    from unnest(${ids}::uuid[], ${writes.map((w) => w.verdict.status)}::text[], ${writes.map((w) => w.verdict.reasons.join(','))}::text[],
                ${writes.map((w) => searchText({ ...w.search, allocations: w.verdict.allocations }))}::text[],
                ${writes.map((w) => JSON.stringify(w.refersTo))}::jsonb[], ${writes.map((w) => w.reallocated)}::boolean[],
                ${writes.map((w) => w.clientMismatchAccepted)}::boolean[], ${writes.map((w) => w.statusChanged)}::boolean[],
                ${writes.map((w) => w.rejectedByMms)}::boolean[])
      as c(id, status, reasons, search, refers, reallocated, accepted, status_changed, rejected)
    where r.firm_id = ${firmId} and r.id = c.id
  `.execute(tx);
  await tx.deleteFrom('allocations').where('firm_id', '=', firmId).where(sql<boolean>`record_id = any(${ids}::uuid[])`).execute();
  const lines = writes.flatMap((w) =>
    w.verdict.allocations.map((a, i) => ({
      firm_id: firmId,
      record_id: w.id,
      line: i + 1,
      invoice_number: a.invoiceNumber,
      client_number: a.clientNumber,
      matter_number: a.matterNumber,
      amount_cents: a.amountCents,
    })),
  );
  for (let i = 0; i < lines.length; i += CHUNK) await tx.insertInto('allocations').values(lines.slice(i, i + CHUNK)).execute();
}
