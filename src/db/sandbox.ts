import { sql, type Insertable } from 'kysely';
import type { Db } from './connect.ts';
import type { SandboxChargesTable, SandboxTokensTable } from './schema.ts';

type SandboxChargeStatus = SandboxChargesTable['status'];

/**
 * The sandbox processor's own tables: its tokens, charges and outgoing webhook events. It
 * stands in for a processor that serves every firm, so tokens (made in a payer's browser
 * before any firm is named) and the event queue (one sender for all firms) are read
 * across firms; charges always name their firm.
 */

export async function insertSandboxToken(
  db: Db,
  token: Omit<Insertable<SandboxTokensTable>, 'created_at'>,
): Promise<void> {
  await db.insertInto('sandbox_tokens').values(token).execute();
}

/**
 * The token with this hash unless another firm owns it: a token is made before any firm
 * is named, and belongs to the first firm that charges it. Reading claims nothing.
 */
export async function findSandboxToken(db: Db, firmId: string, tokenHash: string) {
  return db
    .selectFrom('sandbox_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where((eb) => eb.or([eb('firm_id', 'is', null), eb('firm_id', '=', firmId)]))
    .executeTakeFirst();
}

/** The token with this hash, made this firm's if no firm has it yet; another firm's token is not found. */
export async function claimSandboxToken(db: Db, firmId: string, tokenHash: string) {
  return db
    .updateTable('sandbox_tokens')
    .set({ firm_id: firmId })
    .where('token_hash', '=', tokenHash)
    .where((eb) => eb.or([eb('firm_id', 'is', null), eb('firm_id', '=', firmId)]))
    .returningAll()
    .executeTakeFirst();
}

/** Inserts a charge unless the firm already has one under its idempotency key; true when this one was inserted. */
export async function insertSandboxCharge(
  db: Db,
  firmId: string,
  charge: Omit<Insertable<SandboxChargesTable>, 'firm_id'>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('sandbox_charges')
    .values({ ...charge, firm_id: firmId })
    .onConflict((oc) => oc.columns(['firm_id', 'idempotency_key']).doNothing())
    .returning(['id'])
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findChargeByIdempotencyKey(db: Db, firmId: string, idempotencyKey: string) {
  return db
    .selectFrom('sandbox_charges')
    .selectAll()
    .where('firm_id', '=', firmId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirstOrThrow();
}

/** The charge's status and amount, locked until the transaction ends. */
export async function lockCharge(db: Db, firmId: string, chargeId: string) {
  return db
    .selectFrom('sandbox_charges')
    .select(['status', 'amount_cents', 'refunded_cents', 'created_at'])
    .where('firm_id', '=', firmId)
    .where('id', '=', chargeId)
    .forUpdate()
    .executeTakeFirst();
}

/** Refunds `amount` more of the charge; `full`: nothing is left, and it is refunded. */
export async function refundCharge(
  db: Db,
  firmId: string,
  chargeId: string,
  amount: number,
  full: boolean,
): Promise<void> {
  await db
    .updateTable('sandbox_charges')
    .set((eb) => ({
      refunded_cents: eb('refunded_cents', '+', amount),
      ...(full ? { status: 'refunded' as const } : {}),
    }))
    .where('firm_id', '=', firmId)
    .where('id', '=', chargeId)
    .execute();
}

/** Sets the charge's status; with `from`, only a charge still in that status changes. */
export async function setChargeStatus(
  db: Db,
  firmId: string,
  chargeId: string,
  to: SandboxChargeStatus,
  from?: SandboxChargeStatus,
): Promise<void> {
  let q = db
    .updateTable('sandbox_charges')
    .set({ status: to })
    .where('firm_id', '=', firmId)
    .where('id', '=', chargeId);
  if (from) q = q.where('status', '=', from);
  await q.execute();
}

export async function insertSandboxEvent(
  db: Db,
  firmId: string,
  event: { event_id: string; body: string; deliver_after: Date },
): Promise<void> {
  await db
    .insertInto('sandbox_events')
    .values({ ...event, firm_id: firmId })
    .execute();
}

export interface LeasedEvent {
  id: number;
  firm_id: string;
  body: string;
  attempts: number;
  type: string;
  processor_id: string;
}

/**
 * Leases up to `limit` due events of every firm until `until` (the one sender serves them
 * all; each event carries its firm). Two ticks never lease one event at once.
 */
export async function leaseDueEvents(db: Db, now: Date, until: Date, limit: number): Promise<LeasedEvent[]> {
  const leased = await sql<LeasedEvent>`
    update sandbox_events e set leased_until = ${until}, attempts = e.attempts + 1
    where e.id in (
      select id from sandbox_events
      where delivered_at is null and gave_up_at is null and deliver_after <= ${now} and (leased_until is null or leased_until <= ${now})
      order by deliver_after, id
      limit ${limit}
      for update skip locked)
    returning e.id, e.firm_id, e.body::text as body, e.attempts, e.body->>'type' as type, e.body->'data'->>'processorId' as processor_id`.execute(
    db,
  );
  return leased.rows;
}

export async function markEventDelivered(db: Db, firmId: string, eventId: number, now: Date): Promise<void> {
  await db
    .updateTable('sandbox_events')
    .set({ delivered_at: now, leased_until: null, last_error: null })
    .where('firm_id', '=', firmId)
    .where('id', '=', eventId)
    .execute();
}

/** Releases a refused event to be sent again at `retryAt`, or gives it up (`gaveUpAt`). */
export async function markEventRefused(
  db: Db,
  firmId: string,
  eventId: number,
  failure: { lastError: string; retryAt: Date; gaveUpAt: Date | null },
): Promise<void> {
  await db
    .updateTable('sandbox_events')
    .set({
      leased_until: null,
      last_error: failure.lastError,
      deliver_after: failure.retryAt,
      gave_up_at: failure.gaveUpAt,
    })
    .where('firm_id', '=', firmId)
    .where('id', '=', eventId)
    .execute();
}

/** Keeps a vault reference to a token for the firm. */
export async function insertVaulted(db: Db, firmId: string, ref: string, tokenHash: string): Promise<void> {
  await db.insertInto('sandbox_vault').values({ ref, firm_id: firmId, token_hash: tokenHash }).execute();
}

/** The hash of the token a vault reference keeps, when the reference is this firm's. */
export async function findVaulted(db: Db, firmId: string, ref: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sandbox_vault')
    .select('token_hash')
    .where('ref', '=', ref)
    .where('firm_id', '=', firmId)
    .executeTakeFirst();
  return row?.token_hash;
}
