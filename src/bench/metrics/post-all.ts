import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { BenchConnection } from '../database.ts';
import { firmOf, type BenchContext } from '../context.ts';
import { callOk } from '../http.ts';
import { count, ms, scaledLimitMs, verdict, type Row } from '../table.ts';

const FULL_SIZE = 100_000;
const LIMIT_MS = 5000;
const MAX_RATIO = 3;

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

/** Post All over HTTP: every pending record of the firm into one batch, its file rendered. */
export async function measurePostAll(ctx: BenchContext, updateMs: number): Promise<{ row: Row; batchId: string }> {
  const { userToken } = firmOf(ctx, 'POSTALL');
  const size = ctx.sizes.postAll;
  const result = await callOk(ctx.server.api, userToken, 'POST', '/postings/post', { all: true });
  const { batch } = answer.parse(result.json);
  if (batch.recordCount !== size) throw new Error(`Post All batched ${batch.recordCount} records, not ${size}`);
  const limit = scaledLimitMs(LIMIT_MS, FULL_SIZE, size);
  const ratio = result.ms / updateMs;
  ctx.log(`Post All: ${count(size)} records in ${ms(result.ms)}; bare UPDATE ${ms(updateMs)}`);
  return {
    batchId: batch.id,
    row: {
      metric: `Post All of ${count(size)} pending records (HTTP, file rendered)`,
      measured: ms(result.ms),
      value: result.ms,
      target: `≤ ${ms(limit)} and ≤ ${MAX_RATIO}× the bare UPDATE`,
      ratio: `${ratio.toFixed(2)}× a bare UPDATE of the same rows (${ms(updateMs)}, rolled back)`,
      verdict: verdict(result.ms <= limit && ratio <= MAX_RATIO),
    },
  };
}
