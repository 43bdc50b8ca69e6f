import type { Selectable } from 'kysely';
import type { LinkKind, LinkStatus } from '../domain/links.ts';
import { cents, type Cents } from '../domain/money.ts';
import type { Db } from './connect.ts';
import type { LinksTable } from './schema.ts';

/**
 * The queries of links (payment links and quick links, one table with a kind). Every
 * staff query names the firm; the payer's queries find a link by its token's hash (the
 * token is the payer's proof, and no firm is known before it) and then name the firm
 * the link belongs to.
 */

export type LinkRow = Selectable<LinksTable>;

/** What every view of a link reads: never the token's hash nor the lease. */
export const LINK_COLUMNS = [
  'id',
  'firm_id',
  'kind',
  'amount_cents',
  'account',
  'deposit_account_id',
  'allocations',
  'client_number',
  'description',
  'payer_name',
  'payer_email',
  'status',
  'payment_id',
  'created_by',
  'created_at',
  'expires_at',
  'paid_at',
  'cancelled_at',
] as const;

/** A row with its amount parsed into Cents here, at the edge. */
type WithCents<R extends { amount_cents: number }> = Omit<R, 'amount_cents'> & { amount_cents: Cents };

function withCents<R extends { amount_cents: number }>(row: R): WithCents<R> {
  return { ...row, amount_cents: cents(row.amount_cents, 'link amount') };
}

/** A link as every view reads it. */
export type LinkViewRow = WithCents<Pick<LinkRow, (typeof LINK_COLUMNS)[number]>>;

export interface NewLinkRow {
  kind: LinkKind;
  tokenHash: string;
  amountCents: number;
  account: 'operating' | 'trust';
  depositAccountId: string;
  allocations?: unknown;
  clientNumber?: string | null;
  description?: string | null;
  payerName: string | null;
  payerEmail: string | null;
  createdBy: string;
  expiresAt: Date;
}

export async function insertLink(db: Db, firmId: string, link: NewLinkRow): Promise<LinkViewRow> {
  const row = await db
    .insertInto('links')
    .values({
      firm_id: firmId,
      kind: link.kind,
      token_hash: link.tokenHash,
      amount_cents: link.amountCents,
      account: link.account,
      deposit_account_id: link.depositAccountId,
      allocations: link.allocations === undefined ? null : JSON.stringify(link.allocations),
      client_number: link.clientNumber ?? null,
      description: link.description ?? null,
      payer_name: link.payerName,
      payer_email: link.payerEmail,
      created_by: link.createdBy,
      expires_at: link.expiresAt,
    })
    .returning(LINK_COLUMNS)
    .executeTakeFirstOrThrow();
  return withCents(row);
}

/** The firm's links of a kind, newest first, optionally of one status as shown (expired included). */
export async function selectLinks(
  db: Db,
  firmId: string,
  kind: LinkKind,
  query: { status?: LinkStatus | undefined; limit: number },
  now: Date,
): Promise<LinkViewRow[]> {
  let q = db.selectFrom('links').select(LINK_COLUMNS).where('firm_id', '=', firmId).where('kind', '=', kind);
  if (query.status === 'expired') q = q.where('status', '=', 'outstanding').where('expires_at', '<=', now);
  else if (query.status === 'outstanding') q = q.where('status', '=', 'outstanding').where('expires_at', '>', now);
  else if (query.status) q = q.where('status', '=', query.status);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(withCents);
}

/** A link of a kind by its token's hash, with the name of its firm. */
export async function selectLinkByToken(
  db: Db,
  kind: LinkKind,
  tokenHash: string,
): Promise<(LinkViewRow & { firm_name: string }) | undefined> {
  const row = await db
    .selectFrom('links as l')
    .innerJoin('firms as f', 'f.id', 'l.firm_id')
    .select([...LINK_COLUMNS.map((c) => `l.${c}` as const), 'f.name as firm_name'])
    .where('l.token_hash', '=', tokenHash)
    .where('l.kind', '=', kind)
    .executeTakeFirst();
  return row && withCents(row);
}

/**
 * Takes the lease of an outstanding, unexpired link not leased already, for one payer's
 * attempt; undefined when the link cannot be paid now (or is not there).
 */
export async function leaseLink(
  db: Db,
  kind: LinkKind,
  tokenHash: string,
  now: Date,
  until: Date,
): Promise<LinkViewRow | undefined> {
  const row = await db
    .updateTable('links')
    .set({ paying_until: until })
    .where('token_hash', '=', tokenHash)
    .where('kind', '=', kind)
    .where('status', '=', 'outstanding')
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('paying_until', 'is', null), eb('paying_until', '<=', now)]))
    .returning(LINK_COLUMNS)
    .executeTakeFirst();
  return row && withCents(row);
}

/** Gives the lease back, for a link still outstanding (a declined or failed attempt). */
export async function releaseLink(db: Db, firmId: string, id: string): Promise<void> {
  await db
    .updateTable('links')
    .set({ paying_until: null })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .where('status', '=', 'outstanding')
    .execute();
}

/** Marks a leased link paid by a payment; call it in the payment's own transaction. */
export async function markLinkPaid(db: Db, firmId: string, id: string, paymentId: string, now: Date): Promise<void> {
  await db
    .updateTable('links')
    .set({ status: 'paid', payment_id: paymentId, paid_at: now, paying_until: null })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .execute();
}

/** A firm's link of a kind, locked for a change in the caller's transaction. */
export async function lockLink(db: Db, firmId: string, kind: LinkKind, id: string) {
  return db
    .selectFrom('links')
    .select(['status', 'expires_at', 'paying_until', 'payer_name', 'payer_email', 'amount_cents', 'description'])
    .where('firm_id', '=', firmId)
    .where('kind', '=', kind)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function markLinkCancelled(db: Db, firmId: string, id: string, now: Date): Promise<LinkViewRow> {
  const row = await db
    .updateTable('links')
    .set({ status: 'cancelled', cancelled_at: now })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .returning(LINK_COLUMNS)
    .executeTakeFirstOrThrow();
  return withCents(row);
}

/** Gives a link a new token (its hash only); the old address stops working. Call it on a link locked by lockLink. */
export async function replaceLinkToken(db: Db, firmId: string, id: string, tokenHash: string): Promise<void> {
  await db
    .updateTable('links')
    .set({ token_hash: tokenHash })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .execute();
}
