import { sql } from 'kysely';
import type { Db } from './connect.ts';

/**
 * The request rate limits' counts (migration 0028), across firms: a limit's key is the
 * route and the caller's address, which name no firm. Counted in the database so every
 * server instance on it adds to one count.
 */

/**
 * Counts one request under `key`, in one statement (PostgreSQL's upsert takes the row's
 * lock, so concurrent requests from any instance each count once): the request opens a
 * window of `windowMs` when the key has none open, on the database's clock, which every
 * instance shares. The requests counted in the window so far, this one included, and the
 * milliseconds left of it.
 */
export async function countRequest(db: Db, key: string, windowMs: number): Promise<{ hits: number; ttlMs: number }> {
  const window = sql`${windowMs}::int * interval '1 millisecond'`;
  const result = await sql<{ hits: number; ttl_ms: number }>`
    insert into rate_limit_hits as r (key, window_ends_at, hits)
    values (${key}, clock_timestamp() + ${window}, 1)
    on conflict (key) do update set
      hits = case when r.window_ends_at <= clock_timestamp() then 1 else r.hits + 1 end,
      window_ends_at = case when r.window_ends_at <= clock_timestamp() then clock_timestamp() + ${window} else r.window_ends_at end
    returning r.hits, greatest(0, ceil(extract(epoch from r.window_ends_at - clock_timestamp()) * 1000))::int as ttl_ms`.execute(
    db,
  );
  const row = result.rows[0]!;
  return { hits: row.hits, ttlMs: row.ttl_ms };
}

/** Deletes the counts whose window has ended (the scheduler's housekeeping). */
export async function deleteEndedRateLimits(db: Db): Promise<number> {
  const result = await sql`delete from rate_limit_hits where window_ends_at <= clock_timestamp()`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
