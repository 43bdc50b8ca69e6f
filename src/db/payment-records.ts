import { sql, type Insertable } from 'kysely';
import type { Db } from './connect.ts';
import { cents, type Cents } from '../domain/money.ts';
import type { Allocation } from '../domain/types.ts';
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
    .where('reversal_of', 'is', null)
    .where('replaces', 'is', null);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/**
 * The payment's records that are not reversals (its original, and the replacements of any
 * corrections): what domain/corrections liveRecord walks. Every record of the payment is
 * locked, in id order as every action on records locks them, reversals too (a correction's
 * halves may be removed together).
 */
export async function lockPaymentChain(db: Db, firmId: string, paymentId: string) {
  const rows = await db
    .selectFrom('posting_records')
    .selectAll()
    .where('firm_id', '=', firmId)
    .where('payment_id', '=', paymentId)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.filter((r) => r.reversal_of === null);
}

/** The lines of the record's reversals so far (not removed ones): what has already gone back of it. */
export async function loadReversedLines(db: Db, firmId: string, recordId: string): Promise<Allocation[]> {
  const rows = await db
    .selectFrom('allocations as a')
    .innerJoin('posting_records as r', (j) => j.onRef('r.firm_id', '=', 'a.firm_id').onRef('r.id', '=', 'a.record_id'))
    .select(['a.invoice_number', 'a.client_number', 'a.matter_number', 'a.amount_cents'])
    .where('r.firm_id', '=', firmId)
    .where('a.firm_id', '=', firmId)
    .where('r.reversal_of', '=', recordId)
    .where('r.status', '<>', 'removed')
    .orderBy('r.created_at')
    .orderBy('a.line')
    .execute();
  return rows.map((row) => ({
    invoiceNumber: row.invoice_number,
    clientNumber: row.client_number,
    matterNumber: row.matter_number,
    amountCents: cents(row.amount_cents, 'allocation'),
  }));
}

/** A record's receipt, lowered by a partial refund before it was queued. */
export async function lowerReceipt(db: Db, firmId: string, recordId: string, amountCents: Cents): Promise<void> {
  await db
    .updateTable('posting_records')
    .set((eb) => ({ amount_cents: eb('amount_cents', '-', amountCents) }))
    .where('firm_id', '=', firmId)
    .where('id', '=', recordId)
    .execute();
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
