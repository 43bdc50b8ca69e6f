import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { countRequest, deleteEndedRateLimits } from '../../src/db/rate-limits.ts';
import { createTestDb, testEngine } from '../support/db.ts';

/** Issue 17: the request rate limits count in the database (migration 0028), one count for every instance. */
describe(`rate-limit counts on ${testEngine()}`, () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it('counts concurrent requests once each within a window, and opens a new window after it ends', async () => {
    const hits = await Promise.all(Array.from({ length: 20 }, () => countRequest(conn.db, 'POST /x 10.0.0.1', 60_000)));
    expect(hits.map((h) => h.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(hits.every((h) => h.ttlMs > 0 && h.ttlMs <= 60_000)).toBe(true);
    // Another key counts apart.
    expect((await countRequest(conn.db, 'POST /x 10.0.0.2', 60_000)).hits).toBe(1);

    const endWindow = () =>
      sql`update rate_limit_hits set window_ends_at = now() - interval '1 second' where key = 'ended'`.execute(conn.db);
    expect((await countRequest(conn.db, 'ended', 60_000)).hits).toBe(1);
    expect((await countRequest(conn.db, 'ended', 60_000)).hits).toBe(2);
    await endWindow();
    expect(await deleteEndedRateLimits(conn.db)).toBe(1);
    expect((await countRequest(conn.db, 'ended', 60_000)).hits).toBe(1);
    // A window that ended and was not yet deleted is opened again by the next request.
    await endWindow();
    const reopened = await countRequest(conn.db, 'ended', 60_000);
    expect(reopened.hits).toBe(1);
    expect(reopened.ttlMs).toBeGreaterThan(50_000);
    expect((await countRequest(conn.db, 'POST /x 10.0.0.1', 60_000)).hits).toBe(21);
  });
});
