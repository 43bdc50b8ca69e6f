import type { Db } from './connect.ts';

/**
 * Runs `work` in a transaction, or in the caller's when `db` already is one: a use case
 * that makes its own transaction (takePayment, reversePayment) can then also be one step
 * of a larger one, such as a webhook event that must be recorded with its effect.
 */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}
