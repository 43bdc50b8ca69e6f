import { transitionAll } from '../../domain/state-machine.ts';
import type { Db } from '../../db/connect.ts';
import { refuseUnless } from './refusal.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { writeRecordStatuses } from '../../db/postings.ts';
import { publish } from '../../db/notify.ts';
import type { Actor } from '../../domain/actor.ts';
import { lockWithPartners, withPartners } from './lock-records.ts';
import { freeClaims } from './reconcile-records.ts';

/**
 * Remove Posts: pending or incomplete records to removed, with an optional note. All or
 * nothing; the other half of a correction not yet posted is removed with either half.
 */
export async function removeRecords(
  db: Db,
  firmId: string,
  actor: Actor,
  ids: string[],
  note: string | null,
  now = new Date(),
) {
  return inTransaction(db, async (tx) => {
    // Either half of a correction not yet posted takes the other with it (SPEC §3.7).
    const records = withPartners(await lockWithPartners(tx, firmId, ids));
    await refuseUnless(tx, firmId, records, 'remove', 'remove', 'only pending or incomplete records can be removed');
    if (records.length === 0) return { removed: 0 };
    await writeRecordStatuses(
      tx,
      firmId,
      { moves: transitionAll(records, 'remove').moves },
      { removalNote: note },
      now,
    );
    await writeAudit(
      tx,
      firmId,
      actor,
      records.map((r) => ({
        action: 'removed',
        recordId: r.id,
        from: r.status,
        to: 'removed',
        detail: note ? { note } : undefined,
      })),
    );
    // What a removed pending record took is free again: records waiting on it may move.
    await freeClaims(
      tx,
      firmId,
      actor,
      records.filter((r) => r.status === 'pending').map((r) => r.id),
      'removal',
      now,
    );
    await publish(tx, firmId, ['postings.changed']);
    return { removed: records.length };
  });
}
