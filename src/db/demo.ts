import type { Db } from './connect.ts';

/**
 * The few reads only the first-run demo makes (its agent, the start banner).
 * Kept together rather than in the batches and records modules: they serve a fixture,
 * not the product, and change with it.
 */

/** The ids of the firm's records the MMS applied. */
export async function appliedRecordIds(db: Db, firmId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('posting_records')
    .select('id')
    .where('firm_id', '=', firmId)
    .where('mms_status', '=', 'applied')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The firm's delivered batch files, oldest first. */
export async function deliveredBatchFiles(db: Db, firmId: string) {
  return db
    .selectFrom('batches')
    .select(['content', 'file_format'])
    .where('firm_id', '=', firmId)
    .where('status', '=', 'delivered')
    .orderBy('seq')
    .execute();
}

/** Whether a user has this email (any firm: the demo's users are the only ones with theirs). */
export async function userExists(db: Db, email: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
}
