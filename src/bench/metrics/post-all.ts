import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { BenchConnection, BenchDatabase } from '../database.ts';
import { firmOf, type BenchContext } from '../context.ts';
import { callOk } from '../http.ts';
import { postFirmCodes } from '../plan.ts';
import {
  count,
  judge,
  ms,
  quietMachine,
  ratiosTo,
  scaledLimitMs,
  spreadOf,
  times,
  withSpread,
  type Row,
} from '../table.ts';

const FULL_SIZE = 100_000;
const LIMIT_MS = 5000;
/** Issue 18: Post All, file included, within 1.5× the bare UPDATE of the same rows. */
export const MAX_RATIO = 1.5;

/**
 * The database's own limit: the UPDATE that claims the same rows for a batch, alone, in
 * a transaction that is rolled back (so the rows stay pending for Post All).
 */
export async function bareUpdateMs(bc: BenchConnection, firmId: string): Promise<number> {
  return bc.conn.db.connection().execute(async (c) => {
    await sql`begin`.execute(c);
    try {
      // The batch the rows point at, so that the reference check passes as in Post All.
      const batchId = randomUUID();
      await sql`insert into batches (id, firm_id, seq, file_name, file_format, content, sha256, line_count, total_cents, record_count, created_by, time_zone)
        values (${batchId}, ${firmId}, 999999, 'baseline', 'paybridge-csv', '\\x00', ${'0'.repeat(64)}, 1, 0, 1, 'bench', 'UTC')`.execute(
        c,
      );
      const started = performance.now();
      await sql`update posting_records set status = 'queued', batch_id = ${batchId}, version = version + 1,
        updated_at = now(), status_changed_at = now()
        where firm_id = ${firmId} and status = 'pending'`.execute(c);
      return performance.now() - started;
    } finally {
      await sql`rollback`.execute(c);
    }
  });
}

const answer = z.object({ batch: z.object({ id: z.string(), recordCount: z.number(), lineCount: z.number() }) });

/**
 * Post All over HTTP, once in each Post All firm: every pending record of the firm into
 * one batch, its file rendered. Each run is paired with the bare UPDATE of its own firm's
 * rows (on PostgreSQL measured just before it; on PGlite given as `measuredUpdateMs`, in
 * the same order).
 */
export async function measurePostAll(
  ctx: BenchContext,
  measuredUpdateMs: readonly number[],
  database: BenchDatabase,
): Promise<{ row: Row; batchIds: string[] }> {
  const size = ctx.sizes.postAll;
  const runs: number[] = [];
  const batchIds: string[] = [];
  // On PostgreSQL each run's floor is measured just before it, in its own firm, so the two
  // meet the same load; VACUUM then clears the rolled-back row versions Post All would step
  // over. PGlite's floors were measured before the server started (one process at a time).
  const updateMs = [...measuredUpdateMs];
  const bc = database.engine === 'postgres' ? await database.open() : undefined;
  for (const code of postFirmCodes(ctx.dataset.firms.keys())) {
    if (bc) {
      updateMs.push(await bareUpdateMs(bc, firmOf(ctx, code).id));
      await sql`vacuum posting_records, posting_record_tallies`.execute(bc.conn.db);
    }
    const result = await callOk(ctx.server.api, firmOf(ctx, code).userToken, 'POST', '/postings/post', { all: true });
    const { batch } = answer.parse(result.json);
    if (batch.recordCount !== size)
      throw new Error(`Post All in ${code} batched ${batch.recordCount} records, not ${size}`);
    runs.push(result.ms);
    batchIds.push(batch.id);
  }
  await bc?.conn.close();
  const limit = scaledLimitMs(LIMIT_MS, FULL_SIZE, size);
  const measured = spreadOf(runs);
  const floor = spreadOf(updateMs);
  const ratio = ratiosTo(runs, updateMs);
  ctx.log(`Post All: ${count(size)} records in ${withSpread(measured, ms)}; bare UPDATE ${withSpread(floor, ms)}`);
  return {
    batchIds,
    row: {
      metric: `Post All of ${count(size)} pending records (HTTP, file rendered)`,
      measured: withSpread(measured, ms),
      value: measured.median,
      target: `≤ ${MAX_RATIO}× the bare UPDATE; ${quietMachine(`≤ ${ms(limit)}`, measured.median <= limit)}`,
      ratio: `${withSpread(ratio, times)} a bare UPDATE of the same rows (${withSpread(floor, ms)}, rolled back)`,
      verdict: judge({ ratio: ratio.median, limit: MAX_RATIO, bound: 'at most' }, measured.median <= limit),
    },
  };
}
