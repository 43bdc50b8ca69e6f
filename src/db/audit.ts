import type { Actor } from '../domain/actor.ts';
import type { Db } from './connect.ts';

export interface AuditEntry {
  action: string;
  recordId?: string | null;
  batchId?: string | null;
  from?: string | null;
  to?: string | null;
  detail?: unknown;
}

/** Appends audit events; call it inside the transaction that makes the change. */
export async function writeAudit(db: Db, firmId: string, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_events')
    .values(
      entries.map((e) => ({
        firm_id: firmId,
        actor_kind: actor.kind,
        actor_id: actor.id,
        actor_label: actor.label,
        action: e.action,
        record_id: e.recordId ?? null,
        batch_id: e.batchId ?? null,
        from_status: e.from ?? null,
        to_status: e.to ?? null,
        detail: e.detail === undefined ? null : JSON.stringify(e.detail),
      })),
    )
    .execute();
}

/**
 * The actions of the one event Post All (or Post Selected) and the acknowledgement each
 * write for all the records of a batch (record_id null, batch_id set): the batch's lines
 * name its records for good, and each record's history shows the event through its batch.
 * One row per record cost Post All about as much again as the status update itself.
 */
export const BATCH_RECORDS_POSTED = 'posted';
export const BATCH_RECORDS_ACKNOWLEDGED = 'acknowledged';

/** The action of an applied answer for all of a batch's records at once (see readRecordHistory). */
export const BATCH_RECORDS_APPLIED = 'mms_applied';

/**
 * A record's history, oldest event first: its own events, and what happened at once to a
 * whole batch it went out in (posted, acknowledged, applied by the MMS); a record the MMS
 * refused may have gone out again in a later batch.
 */
export async function readRecordHistory(db: Db, firmId: string, recordId: string) {
  return db
    .selectFrom('audit_events')
    .select(['at', 'actor_kind', 'actor_label', 'action', 'from_status', 'to_status', 'detail'])
    .where('firm_id', '=', firmId)
    .where((eb) =>
      eb.or([
        eb('record_id', '=', recordId),
        eb.and([
          eb('record_id', 'is', null),
          eb(
            'batch_id',
            'in',
            eb
              .selectFrom('batch_lines')
              .select('batch_id')
              .where('firm_id', '=', firmId)
              .where('record_id', '=', recordId),
          ),
          eb('action', 'in', [BATCH_RECORDS_POSTED, BATCH_RECORDS_ACKNOWLEDGED, BATCH_RECORDS_APPLIED]),
        ]),
      ]),
    )
    .orderBy('id')
    .execute();
}
