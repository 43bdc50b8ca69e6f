import { canDo, type RecordAction } from '../../domain/state-machine.ts';
import { lockRecordRows, type LockedRecord } from '../../db/postings.ts';
import type { Db } from '../../db/connect.ts';
import { DomainError, invalidState } from '../../domain/errors.ts';

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

/**
 * All-or-nothing: the state machine is asked whether each record allows the action; if it
 * refuses any, invalid_state names every such id, and nothing changes.
 */
export function refuseUnless(
  records: readonly LockedRecord[],
  action: RecordAction,
  verb: string,
  needs: string,
): void {
  const refused = records.filter((r) => !canDo(r.status, action));
  if (refused.length) {
    throw invalidState(`cannot ${verb}: ${refused.map((r) => `${r.id} is ${r.status}`).join(', ')} (${needs})`, {
      ids: refused.map((r) => r.id),
      statuses: Object.fromEntries(refused.map((r) => [r.id, r.status])),
    });
  }
}
