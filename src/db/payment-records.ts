import { sql, type Insertable } from 'kysely';
import type { Db } from './connect.ts';
import type { PostingRecordsTable } from './schema.ts';

/**
 * A payment's own posting records: the original it was taken in with, and the negative
 * record a reversal makes. The rest of a record's life is in db/postings.ts.
 */

/** The payment's original record (not a reversal), if it made one; `lock` holds it. */
export async function findOriginalRecord(db: Db, firmId: string, paymentId: string, lock = false) {
  const q = db
    .selectFrom('posting_records')
    .selectAll()
    .where('firm_id', '=', firmId)
    .where('payment_id', '=', paymentId)
    .where('reversal_of', 'is', null);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** Inserts the negative record that mirrors a queued or posted one; returns its id. */
export async function insertReversalRecord(
  db: Db,
  firmId: string,
  record: Omit<Insertable<PostingRecordsTable>, 'firm_id'>,
): Promise<string> {
  const row = await db
    .insertInto('posting_records')
    .values({ ...record, firm_id: firmId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The open records the auto-apply setting decides: originals in operating money whose
 * payment names several invoices, with no reallocation or split of their own.
 */
export async function findAutoApplyRecords(db: Db, firmId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('posting_records as r')
    .innerJoin('payments as p', (j) => j.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'))
    .select('r.id')
    .where('r.firm_id', '=', firmId)
    .where('p.firm_id', '=', firmId)
    .where('r.status', 'in', ['pending', 'incomplete'])
    .where('r.reversal_of', 'is', null)
    .where('r.reallocated', '=', false)
    .where('r.account', '=', 'operating')
    .where('p.payer_allocations', 'is', null)
    .where(sql<boolean>`cardinality(p.invoice_numbers) > 1`)
    .execute();
  return rows.map((r) => r.id);
}
