import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { WebhookEventKind } from '../domain/outbound-webhooks.ts';
import type { Db } from './connect.ts';

const ENDPOINT_COLUMNS = ['id', 'label', 'url', 'kinds', 'enabled', 'created_at'] as const;

export interface EndpointFields {
  label: string;
  url: string;
  kinds: string[];
  enabled: boolean;
}

export async function insertEndpoint(db: Db, firmId: string, fields: EndpointFields & { secret: string }) {
  return db
    .insertInto('webhook_endpoints')
    .values({ firm_id: firmId, ...fields })
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** The firm's endpoint, locked until the transaction ends. */
export async function lockEndpoint(db: Db, firmId: string, id: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select([...ENDPOINT_COLUMNS, 'secret'])
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateEndpoint(
  db: Db,
  firmId: string,
  id: string,
  fields: Partial<EndpointFields & { secret: string }>,
) {
  return db
    .updateTable('webhook_endpoints')
    .set({ ...fields, updated_at: new Date() })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function deleteEndpoint(db: Db, firmId: string, id: string): Promise<void> {
  await db.deleteFrom('webhook_endpoints').where('firm_id', '=', firmId).where('id', '=', id).execute();
}

/** The firm's endpoints, oldest first, each with its deliveries waiting and given up; never a secret. */
export async function listEndpoints(db: Db, firmId: string, id?: string) {
  let query = db
    .selectFrom('webhook_endpoints as e')
    .select(ENDPOINT_COLUMNS.map((c) => `e.${c}` as const))
    .select((eb) => [
      eb
        .selectFrom('webhook_deliveries as d')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('d.firm_id', '=', 'e.firm_id')
        .whereRef('d.endpoint_id', '=', 'e.id')
        .where('d.delivered_at', 'is', null)
        .where('d.gave_up_at', 'is', null)
        .as('waiting'),
      eb
        .selectFrom('webhook_deliveries as d')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('d.firm_id', '=', 'e.firm_id')
        .whereRef('d.endpoint_id', '=', 'e.id')
        .where('d.gave_up_at', 'is not', null)
        .as('gave_up'),
    ])
    .where('e.firm_id', '=', firmId);
  if (id !== undefined) query = query.where('e.id', '=', id);
  return query.orderBy('e.created_at').orderBy('e.id').execute();
}

/** An event's id: `evt_` and 32 hex digits. */
export const newEventId = (): string => `evt_${randomUUID().replaceAll('-', '')}`;

/**
 * Queues an event for every enabled endpoint of the firm that wants its kind. Call it in
 * the transaction of the change it reports, so the event exists exactly when the change
 * does; with no endpoint wanting it, nothing is written.
 */
export async function queueWebhookEvent(
  db: Db,
  firmId: string,
  kind: WebhookEventKind,
  data: Record<string, unknown>,
  now = new Date(),
): Promise<void> {
  const id = newEventId();
  const body = JSON.stringify({ id, type: kind, created: Math.floor(now.getTime() / 1000), data });
  await sql`
    insert into webhook_deliveries (firm_id, endpoint_id, event_id, kind, body, created_at, next_attempt_at)
    select e.firm_id, e.id, ${id}, ${kind}, ${body}, ${now}, ${now}
    from webhook_endpoints e
    where e.firm_id = ${firmId} and e.enabled and ${kind} = any (e.kinds)`.execute(db);
}

/** Queues an event for one endpoint, whatever kinds it wants (a test event). */
export async function queueDelivery(
  db: Db,
  firmId: string,
  endpointId: string,
  event: { id: string; kind: string; body: string },
  now: Date,
) {
  return db
    .insertInto('webhook_deliveries')
    .values({
      firm_id: firmId,
      endpoint_id: endpointId,
      event_id: event.id,
      kind: event.kind,
      body: event.body,
      created_at: now,
      next_attempt_at: now,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export interface LeasedDelivery {
  firm_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints until `until`, across firms,
 * counting the attempt. `for update skip locked` lets several server instances claim at
 * once without waiting on each other or taking the same delivery; the lease keeps a
 * claimed delivery from a later run while it is being sent.
 */
export async function leaseDueDeliveries(db: Db, now: Date, until: Date, limit: number): Promise<LeasedDelivery[]> {
  const leased = await sql<LeasedDelivery>`
    update webhook_deliveries d set leased_until = ${until}, attempts = d.attempts + 1
    from webhook_endpoints e
    where e.firm_id = d.firm_id and e.id = d.endpoint_id
      and (d.firm_id, d.id) in (
        select w.firm_id, w.id from webhook_deliveries w
        join webhook_endpoints we on we.firm_id = w.firm_id and we.id = w.endpoint_id and we.enabled
        where w.delivered_at is null and w.gave_up_at is null and w.next_attempt_at <= ${now}
          and (w.leased_until is null or w.leased_until <= ${now})
        order by w.next_attempt_at, w.id
        limit ${limit}
        for update of w skip locked)
    returning d.firm_id, d.id, d.endpoint_id, d.event_id, d.body, d.attempts, e.url, e.secret`.execute(db);
  return leased.rows;
}

export interface AttemptOutcome {
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** Delivered: the endpoint answered 2xx. */
  delivered: boolean;
  /** When to try again; null with delivered false: given up. */
  retryAt: Date | null;
}

/** Logs an attempt and settles its delivery: delivered, due again at retryAt, or given up. */
export async function recordAttempt(db: Db, delivery: LeasedDelivery, outcome: AttemptOutcome) {
  await db
    .insertInto('webhook_attempts')
    .values({
      firm_id: delivery.firm_id,
      delivery_id: delivery.id,
      attempt: delivery.attempts,
      endpoint_id: delivery.endpoint_id,
      at: outcome.at,
      status_code: outcome.statusCode,
      error: outcome.error,
      duration_ms: outcome.durationMs,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .updateTable('webhook_deliveries')
    .set(
      outcome.delivered
        ? { delivered_at: outcome.at, leased_until: null }
        : outcome.retryAt
          ? { next_attempt_at: outcome.retryAt, leased_until: null }
          : { gave_up_at: outcome.at, leased_until: null },
    )
    .where('firm_id', '=', delivery.firm_id)
    .where('id', '=', delivery.id)
    .execute();
}

/** The endpoint's delivery log, newest attempt first. */
export async function listAttempts(db: Db, firmId: string, endpointId: string, limit: number) {
  return db
    .selectFrom('webhook_attempts as a')
    .innerJoin('webhook_deliveries as d', (j) =>
      j.onRef('d.firm_id', '=', 'a.firm_id').onRef('d.id', '=', 'a.delivery_id'),
    )
    .select([
      'a.delivery_id',
      'a.attempt',
      'a.at',
      'a.status_code',
      'a.error',
      'a.duration_ms',
      'd.event_id',
      'd.kind',
      'd.delivered_at',
      'd.gave_up_at',
      'd.next_attempt_at',
    ])
    .where('a.firm_id', '=', firmId)
    .where('a.endpoint_id', '=', endpointId)
    .orderBy('a.at', 'desc')
    .orderBy('a.delivery_id', 'desc')
    .orderBy('a.attempt', 'desc')
    .limit(limit)
    .execute();
}
