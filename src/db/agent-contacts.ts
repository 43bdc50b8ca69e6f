import { sql } from 'kysely';
import type { AgentSink, AgentSource } from '../domain/types.ts';
import type { Db } from './connect.ts';

/** What an agent says of itself on each request (its X-Paybridge-Agent-* headers); null where it did not say. */
export interface AgentSelfReport {
  version: string | null;
  host: string | null;
  source: AgentSource | null;
  sink: AgentSink | null;
  pollSeconds: number | null;
}

/** An agent's contact is written at most this often per token, whatever the number of server instances. */
export const CONTACT_EVERY_MS = 5_000;

/**
 * Records the token's contact unless one was written less than CONTACT_EVERY_MS before
 * `now` (by this server instance or another): the check is in the statement, on the row.
 * Whether it wrote.
 */
export async function writeContact(
  db: Db,
  firmId: string,
  tokenId: string,
  report: AgentSelfReport,
  now: Date,
): Promise<boolean> {
  const values = {
    last_seen_at: now,
    version: report.version,
    host: report.host,
    source: report.source,
    sink: report.sink,
    poll_seconds: report.pollSeconds,
  };
  const written = await db
    .insertInto('agent_contacts')
    .values({ firm_id: firmId, token_id: tokenId, ...values })
    .onConflict((oc) =>
      oc
        .columns(['firm_id', 'token_id'])
        .doUpdateSet(values)
        .where(
          sql<boolean>`agent_contacts.last_seen_at is null or agent_contacts.last_seen_at <= ${new Date(now.getTime() - CONTACT_EVERY_MS)}`,
        ),
    )
    .returning('token_id')
    .executeTakeFirst();
  return written !== undefined;
}

export interface SyncCounts {
  received: { clients: number; matters: number; invoices: number };
  changed: { clients: number; matters: number; invoices: number; closed: number };
}

/**
 * Records a sync call. The pages of one sync share its readAfter: a page with the same
 * readAfter as the last adds its counts to that sync's, any other starts a new one.
 */
export async function writeSync(
  db: Db,
  firmId: string,
  tokenId: string,
  readAfter: Date | null,
  counts: SyncCounts,
  now: Date,
): Promise<void> {
  const { received, changed } = counts;
  const sameSync = sql<boolean>`agent_contacts.last_sync_read_after = excluded.last_sync_read_after`;
  const add = (column: string) =>
    sql<number>`case when ${sameSync} then ${sql.ref(`agent_contacts.${column}`)} else 0 end + ${sql.ref(`excluded.${column}`)}`;
  await db
    .insertInto('agent_contacts')
    .values({
      firm_id: firmId,
      token_id: tokenId,
      last_seen_at: now,
      last_sync_at: now,
      last_sync_read_after: readAfter,
      sync_received_clients: received.clients,
      sync_received_matters: received.matters,
      sync_received_invoices: received.invoices,
      sync_changed_clients: changed.clients,
      sync_changed_matters: changed.matters,
      sync_changed_invoices: changed.invoices,
      sync_closed_invoices: changed.closed,
    })
    .onConflict((oc) =>
      oc.columns(['firm_id', 'token_id']).doUpdateSet({
        last_seen_at: now,
        last_sync_at: now,
        last_sync_read_after: readAfter,
        sync_received_clients: add('sync_received_clients'),
        sync_received_matters: add('sync_received_matters'),
        sync_received_invoices: add('sync_received_invoices'),
        sync_changed_clients: add('sync_changed_clients'),
        sync_changed_matters: add('sync_changed_matters'),
        sync_changed_invoices: add('sync_changed_invoices'),
        sync_closed_invoices: add('sync_closed_invoices'),
      }),
    )
    .execute();
}

/** Records the delivery the token's agent acknowledged. */
export async function writeDelivery(
  db: Db,
  firmId: string,
  tokenId: string,
  delivery: { seq: number; fileName: string },
  now: Date,
): Promise<void> {
  const values = {
    last_seen_at: now,
    last_delivery_at: now,
    last_delivery_seq: delivery.seq,
    last_delivery_file: delivery.fileName,
  };
  await db
    .insertInto('agent_contacts')
    .values({ firm_id: firmId, token_id: tokenId, ...values })
    .onConflict((oc) => oc.columns(['firm_id', 'token_id']).doUpdateSet(values))
    .execute();
}

/** The firm's agent tokens that are not revoked, each with what it last did (nothing yet for a token never used), the latest first. */
export async function readContacts(db: Db, firmId: string) {
  return db
    .selectFrom('api_tokens as t')
    .leftJoin('agent_contacts as c', (j) => j.onRef('c.firm_id', '=', 't.firm_id').onRef('c.token_id', '=', 't.id'))
    .select([
      't.id',
      't.label',
      't.created_at',
      'c.last_seen_at',
      'c.version',
      'c.host',
      'c.source',
      'c.sink',
      'c.poll_seconds',
      'c.last_sync_at',
      'c.sync_received_clients',
      'c.sync_received_matters',
      'c.sync_received_invoices',
      'c.sync_changed_clients',
      'c.sync_changed_matters',
      'c.sync_changed_invoices',
      'c.sync_closed_invoices',
      'c.last_delivery_at',
      'c.last_delivery_seq',
      'c.last_delivery_file',
    ])
    .where('t.firm_id', '=', firmId)
    .where('t.kind', '=', 'agent')
    .where('t.revoked_at', 'is', null)
    .orderBy(sql`c.last_seen_at desc nulls last`)
    .orderBy('t.created_at')
    .orderBy('t.id')
    .execute();
}
