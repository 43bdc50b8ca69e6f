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
