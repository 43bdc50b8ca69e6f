import type { RecordStatus } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { DomainError, invalidState } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';

export interface LockedRecord {
  id: string;
  status: RecordStatus;
  version: number;
  payment_id: string;
  reversal_of: string | null;
}

/**
 * Locks the named records of this firm in id order (so two actions cannot deadlock).
 * Any id that is missing, or another firm's, answers not_found naming it, and nothing changes.
 */
export async function lockRecords(tx: Db, firmId: string, ids: readonly string[]): Promise<LockedRecord[]> {
  const unique = [...new Set(ids)];
  const valid = unique.filter(isUuid);
  const rows = valid.length
    ? await tx
        .selectFrom('posting_records')
        .select(['id', 'status', 'version', 'payment_id', 'reversal_of'])
        .where('firm_id', '=', firmId)
        .where('id', 'in', valid)
        .orderBy('id')
        .forUpdate()
        .execute()
    : [];
  const found = new Set(rows.map((r) => r.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) {
    throw new DomainError('not_found', `posting record${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found`, { ids: missing });
  }
  return rows;
}

/** All-or-nothing: if any record's state forbids the action, invalid_state names every such id. */
export function refuseUnless(records: LockedRecord[], allowed: (r: LockedRecord) => boolean, action: string, needs: string): void {
  const refused = records.filter((r) => !allowed(r));
  if (refused.length) {
    throw invalidState(`cannot ${action}: ${refused.map((r) => `${r.id} is ${r.status}`).join(', ')} (${needs})`,
      { ids: refused.map((r) => r.id), statuses: Object.fromEntries(refused.map((r) => [r.id, r.status])) },
    );
  }
}
