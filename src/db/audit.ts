import { sql } from 'kysely';
import type { Actor } from '../usecases/auth/principal.ts';
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
 * The action of the one event that the acknowledgement writes for all the records of a
 * batch (record_id null, batch_id set): part of the history of each of them.
 */
export const BATCH_RECORDS_ACKNOWLEDGED = 'acknowledged';

/**
 * One audit event per record of a batch, written by one statement however many
 * records the batch holds (Post All of 100,000 records makes no 100,000 round trips).
 * The batch's records are found through its lines, in file order.
 */
export async function writeBatchAudit(
  db: Db,
  firmId: string,
  actor: Actor,
  batchId: string,
  action: string,
  from: string,
  to: string,
): Promise<void> {
  await sql`
    insert into audit_events (firm_id, actor_kind, actor_id, actor_label, action, record_id, batch_id, from_status, to_status)
    select ${firmId}, ${actor.kind}, ${actor.id}, ${actor.label}, ${action}, l.record_id, ${batchId}, ${from}, ${to}
    from batch_lines l
    where l.firm_id = ${firmId} and l.batch_id = ${batchId}
    group by l.record_id
    order by min(l.file_line)
  `.execute(db);
}
