import { lockRecordRows, type LockedRecord } from '../../db/postings.ts';
import type { Db } from '../../db/connect.ts';
import { DomainError } from '../../domain/errors.ts';

export type { LockedRecord };

/**
 * Locks the named records of this firm in id order (so two actions cannot deadlock).
 * Any id that is missing, or another firm's, answers not_found naming it, and nothing changes.
 */
export async function lockRecords(tx: Db, firmId: string, ids: readonly string[]): Promise<LockedRecord[]> {
  const unique = [...new Set(ids)];
  const rows = await lockRecordRows(tx, firmId, unique);
  const found = new Set(rows.map((r) => r.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) {
    throw new DomainError(
      'not_found',
      `posting record${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found`,
      { ids: missing },
    );
  }
  return rows;
}
