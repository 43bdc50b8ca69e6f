import { sql } from 'kysely';
import type { StaffEventKind } from '../domain/mail-messages.ts';
import type { RenderedMail } from '../domain/mail-messages.ts';
import type { Db } from './connect.ts';

/**
 * The mail queue and the staff events it tells of (migration 0020). Rows are claimed
 * across firms by the scheduler (it serves them all); every other query names the firm.
 */

export type NotificationMode = 'none' | 'each' | 'digest';

/** How long a claimed message is left to its sender before another instance may try it. */
export const SEND_LEASE_MS = 5 * 60_000;

/** Queues a message rendered now (a link's): it is sent as it is. */
export async function queueRenderedMail(
  db: Db,
  firmId: string,
  recipient: string,
  message: RenderedMail,
): Promise<string> {
  const row = await db
    .insertInto('mail_queue')
    .values({ firm_id: firmId, kind: 'link', recipient, message: JSON.stringify(message) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records a staff event once (by its natural key) and queues it for each user who wants each event. */
export async function recordStaffEvent(
  db: Db,
  firmId: string,
  event: { kind: StaffEventKind; key: string; detail: Record<string, unknown>; at: Date },
): Promise<void> {
  await sql`select paybridge_staff_event(${firmId}::uuid, ${event.kind}, ${event.key}, ${JSON.stringify(event.detail)}::jsonb, ${event.at})`.execute(
    db,
  );
}

/**
 * Claims up to `limit` due messages for this instance: each is leased (its next attempt
 * moved past the lease) in the statement that finds it, skipping rows another instance
 * holds, so two instances never send the same message.
 */
export async function claimDueMail(db: Db, now: Date, limit: number) {
  const result = await sql<{
    firm_id: string;
    id: string;
    kind: 'receipt' | 'link' | 'event' | 'digest';
    recipient: string;
    payment_id: string | null;
    event_id: string | null;
    user_id: string | null;
    digest_day: string | null;
    message: unknown;
    attempts: number;
  }>`
    update mail_queue q set attempts = q.attempts + 1, next_attempt_at = ${new Date(now.getTime() + SEND_LEASE_MS)}
    from (
      select firm_id, id from mail_queue
      where status = 'queued' and next_attempt_at <= ${now}
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    ) due
    where q.firm_id = due.firm_id and q.id = due.id
    returning q.firm_id, q.id, q.kind, q.recipient, q.payment_id, q.event_id, q.user_id,
      to_char(q.digest_day, 'YYYY-MM-DD') as digest_day, q.message, q.attempts`.execute(db);
  return result.rows;
}

export async function markMailSent(
  db: Db,
  firmId: string,
  id: string,
  sent: { via: string; subject: string },
  now: Date,
): Promise<void> {
  // A link's body holds the payer's token: once sent it is kept nowhere in the database.
  await db
    .updateTable('mail_queue')
    .set({ status: 'sent', via: sent.via, subject: sent.subject, sent_at: now, last_error: null, message: null })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: tried again at `retryAt`, or given up (failed) when there is none. */
export async function markMailFailed(
  db: Db,
  firmId: string,
  id: string,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await db
    .updateTable('mail_queue')
    .set(
      retryAt
        ? { last_error: error.slice(0, 1000), next_attempt_at: retryAt }
        : { last_error: error.slice(0, 1000), status: 'failed', message: null },
    )
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .execute();
}

/** What a receipt says: the payment, its firm's name and time zone. Brand and last 4 only of the card. */
export async function readReceiptFacts(db: Db, firmId: string, paymentId: string) {
  return db
    .selectFrom('payments as p')
    .innerJoin('firms as f', 'f.id', 'p.firm_id')
    .select([
      'f.name as firm_name',
      'f.time_zone',
      'p.payer_name',
      'p.amount_cents',
      'p.surcharge_cents',
      'p.method',
      'p.card_brand',
      'p.last4',
      'p.processed_at',
      'p.processor_id',
      'p.invoice_numbers',
    ])
    .where('p.firm_id', '=', firmId)
    .where('p.id', '=', paymentId)
    .executeTakeFirst();
}

export async function readFirmForMail(db: Db, firmId: string) {
  return db.selectFrom('firms').select(['name', 'time_zone']).where('id', '=', firmId).executeTakeFirstOrThrow();
}

export async function readStaffEvent(db: Db, firmId: string, eventId: string) {
  return db
    .selectFrom('staff_events')
    .select(['kind', 'occurred_at', 'detail'])
    .where('firm_id', '=', firmId)
    .where('id', '=', eventId)
    .executeTakeFirst();
}

/** The firm's staff events in [from, to), oldest first. */
export async function readStaffEventsBetween(db: Db, firmId: string, from: Date, to: Date) {
  return db
    .selectFrom('staff_events')
    .select(['kind', 'occurred_at', 'detail'])
    .where('firm_id', '=', firmId)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

/**
 * Queues yesterday's digest (yesterday on each firm's own calendar) for every user who
 * chose a digest, where the firm had events that day. The unique index on (firm, user,
 * day) makes it once, however many runs or instances queue it.
 */
export async function queueDigests(db: Db, now: Date): Promise<number> {
  const result = await sql`
    insert into mail_queue (firm_id, kind, recipient, user_id, digest_day)
    select p.firm_id, 'digest', u.email, u.id, d.day
    from notification_preferences p
    join users u on u.firm_id = p.firm_id and u.id = p.user_id
    join firms f on f.id = p.firm_id
    cross join lateral (select (${now}::timestamptz at time zone f.time_zone)::date - 1 as day) d
    where p.mode = 'digest' and u.disabled_at is null
      and exists (
        select 1 from staff_events e
        where e.firm_id = p.firm_id
          and e.occurred_at >= (d.day::timestamp at time zone f.time_zone)
          and e.occurred_at < ((d.day + 1)::timestamp at time zone f.time_zone)
      )
    on conflict do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function readPreference(db: Db, firmId: string, userId: string): Promise<NotificationMode> {
  const row = await db
    .selectFrom('notification_preferences')
    .select('mode')
    .where('firm_id', '=', firmId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.mode ?? 'none';
}

export async function writePreference(
  db: Db,
  firmId: string,
  userId: string,
  mode: NotificationMode,
  now: Date,
): Promise<void> {
  await db
    .insertInto('notification_preferences')
    .values({ firm_id: firmId, user_id: userId, mode, updated_at: now })
    .onConflict((oc) => oc.columns(['firm_id', 'user_id']).doUpdateSet({ mode, updated_at: now }))
    .execute();
}

/** The firm's latest queued and sent mail, newest first: what Settings shows beside the outbox. */
export async function listQueuedMail(db: Db, firmId: string, limit: number) {
  return db
    .selectFrom('mail_queue')
    .select(['id', 'kind', 'recipient', 'subject', 'via', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .where('firm_id', '=', firmId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Posting failures: one staff event per record the MMS refused in a batch. */
export async function recordRefusalEvents(
  db: Db,
  firmId: string,
  batch: { id: string; seq: number },
  refusals: readonly { recordId: string; message: string }[],
  at: Date,
): Promise<void> {
  if (refusals.length === 0) return;
  const rows = await db
    .selectFrom('posting_records')
    .select(['id', 'payer_name', 'amount_cents', 'account'])
    .where('firm_id', '=', firmId)
    .where(
      'id',
      'in',
      refusals.map((r) => r.recordId),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const refusal of refusals) {
    const record = byId.get(refusal.recordId);
    await recordStaffEvent(db, firmId, {
      kind: 'posting_failure',
      key: `${batch.id}:${refusal.recordId}`,
      detail: {
        recordId: refusal.recordId,
        batchId: batch.id,
        seq: batch.seq,
        message: refusal.message,
        payerName: record?.payer_name ?? null,
        amountCents: record?.amount_cents ?? null,
        account: record?.account ?? null,
      },
      at,
    });
  }
}
