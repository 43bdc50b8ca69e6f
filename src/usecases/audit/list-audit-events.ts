import type { z } from 'zod';
import type { auditEventOut, auditFilters, getAuditEvents } from '../../contract/audit.ts';
import type { ResponseOf } from '../../contract/endpoint.ts';
import { listAuditEvents as readAuditEvents } from '../../db/audit-log.ts';
import type { Db } from '../../db/connect.ts';
import { firmDaySpan } from '../../db/paging.ts';
import { badRequest } from '../../domain/errors.ts';
import { checkRange } from '../../domain/paging.ts';

export type AuditFilters = z.output<typeof auditFilters>;
export type AuditEventView = z.output<typeof auditEventOut>;

/** The largest id a bigint identity column holds. */
const MAX_ID = 9_223_372_036_854_775_807n;

/** An audit page's cursor: opaque to the client, the id of the last event the page showed. */
export function auditCursor(id: string): string {
  return Buffer.from(`audit:${id}`).toString('base64url');
}

/** The event id a cursor names; anything else is no cursor this list gave. */
function idCursor(cursor: string): string {
  const id = /^audit:([1-9]\d{0,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[1];
  if (id === undefined || BigInt(id) > MAX_ID)
    throw badRequest(`cursor "${cursor.slice(0, 40)}" is not one this list gave`, { field: 'cursor' });
  return id;
}

/**
 * The firm's audit log under its filters (actor, action, and days in the firm's time
 * zone), newest first, keyset paged by event id.
 */
export async function listAuditEvents(
  db: Db,
  firmId: string,
  query: AuditFilters & { cursor?: string | undefined; limit: number },
): Promise<ResponseOf<typeof getAuditEvents>> {
  checkRange(query);
  const after = query.cursor === undefined ? undefined : idCursor(query.cursor);
  const days = await firmDaySpan(db, firmId, query);
  const rows = await readAuditEvents(db, firmId, {
    actor: query.actor,
    action: query.action,
    days,
    after,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r): AuditEventView => ({
      id: r.id,
      at: r.at.toISOString(),
      actorKind: r.actor_kind,
      actorLabel: r.actor_label,
      action: r.action,
      recordId: r.record_id,
      batchId: r.batch_id,
      from: r.from_status,
      to: r.to_status,
      detail: r.detail ?? null,
    })),
    nextCursor: rows.length > query.limit && page.length > 0 ? auditCursor(page.at(-1)!.id) : null,
  };
}
