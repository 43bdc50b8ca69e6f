import { sql, type RawBuilder } from 'kysely';
import { isUuid } from '../ids.ts';
import type { Db } from './connect.ts';
import { LIVE_TOPICS, type LiveTopic } from '../domain/live-topics.ts';

/**
 * News of a change, for the server instances that hold a waiting agent or an open event
 * stream of the firm. It says only which firm and what kind of thing changed; whoever
 * hears it reads the change itself, through the firm-scoped API.
 *
 * It goes out by PostgreSQL NOTIFY on one channel, from inside the transaction that makes
 * the change: PostgreSQL delivers it only if that transaction commits, and then to every
 * session listening on the database (every server instance; on PGlite, this process).
 * The same message sent twice in one transaction is delivered once.
 */
export const LIVE_CHANNEL = 'paybridge';

export { LIVE_TOPICS, type LiveTopic };

export interface LiveMessage {
  firmId: string;
  topic: LiveTopic;
}

export function livePayload(firmId: string, topic: LiveTopic): string {
  return JSON.stringify({ firm: firmId, topic });
}

/** A payload read back; anything else on the channel (an operator's NOTIFY by hand) is null. */
export function parseLivePayload(payload: string): LiveMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { firm, topic } = value as { firm?: unknown; topic?: unknown };
  if (typeof firm !== 'string' || !isUuid(firm)) return null;
  const known = LIVE_TOPICS.find((t) => t === topic);
  return known ? { firmId: firm.toLowerCase(), topic: known } : null;
}

/**
 * Publishes the firm's changes: call it at the end of a unit of work, inside its
 * transaction (`inTransaction`), so the news goes out only if the change is kept. A unit
 * that inTransaction runs again after a conflict publishes again; the rolled-back run's
 * news was never delivered.
 */
export async function publish(tx: Db, firmId: string, topics: readonly LiveTopic[]): Promise<void> {
  if (!tx.isTransaction) throw new Error('publish inside the transaction that makes the change (inTransaction)');
  const payloads = [...new Set(topics)].map((topic) => livePayload(firmId, topic));
  if (payloads.length === 0) return;
  await sql`select pg_notify(${LIVE_CHANNEL}, p) from unnest(${payloads}::text[]) as p`.execute(tx);
}

/**
 * The NOTIFY as an expression, for a change made by one statement outside any explicit
 * transaction (payment intake's take_payment call): written into that statement, it is
 * part of the statement's own transaction.
 */
export function notifyExpression(firmId: string, topic: LiveTopic): RawBuilder<unknown> {
  return sql`pg_notify(${LIVE_CHANNEL}, ${livePayload(firmId, topic)})`;
}
