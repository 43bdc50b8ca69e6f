import { sql } from 'kysely';
import type { DaySpan } from '../domain/paging.ts';
import type { Db } from './connect.ts';

export interface AuditLogQuery {
  actor?: string | undefined;
  action?: string | undefined;
  /** The from/to days as instants in the firm's time zone (firmDaySpan). */
  days: DaySpan;
  /** The id of the last event of the previous page. */
  after?: string | undefined;
  limit: number;
}

/** A page of the firm's audit events, newest first by id (the order they were written). */
export async function listAuditEvents(db: Db, firmId: string, q: AuditLogQuery) {
  let query = db
    .selectFrom('audit_events')
    .select([
      sql<string>`id::text`.as('id'),
      'at',
      'actor_kind',
      'actor_label',
      'action',
      'record_id',
      'batch_id',
      'from_status',
      'to_status',
      'detail',
    ])
    .where('firm_id', '=', firmId);
  if (q.actor !== undefined) query = query.where('actor_label', '=', q.actor);
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  if (q.days.start) query = query.where('at', '>=', q.days.start);
  if (q.days.end) query = query.where('at', '<', q.days.end);
  if (q.after !== undefined) query = query.where(sql<boolean>`id < ${q.after}::bigint`);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}

/** The distinct actions and actor labels in the firm's log, for the filters' choices. */
export async function auditFacets(db: Db, firmId: string) {
  const actions = await db
    .selectFrom('audit_events')
    .select('action')
    .distinct()
    .where('firm_id', '=', firmId)
    .orderBy('action')
    .execute();
  const actors = await db
    .selectFrom('audit_events')
    .select('actor_label')
    .distinct()
    .where('firm_id', '=', firmId)
    .orderBy('actor_label')
    .execute();
  return { actions: actions.map((r) => r.action), actors: actors.map((r) => r.actor_label) };
}
