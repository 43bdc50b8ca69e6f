import { z } from 'zod';
import type { SyncInput } from '../../contract/agent.ts';
import { sql } from 'kysely';
import type { BenchConnection, BenchDatabase } from '../database.ts';
import { timeCopyRolledBack } from '../copy-in.ts';
import { firmOf, type BenchContext } from '../context.ts';
import { callOk } from '../http.ts';
import { syncFirmCodes } from '../plan.ts';
import { count, judge, ms, quietMachine, ratiosTo, spreadOf, times, withSpread, type Row } from '../table.ts';

/** The agent sends at most this many invoices per call (the route's limit). */
const ROWS_PER_CALL = 50_000;
const TARGET_ROWS_PER_S = 30_000;
/** Issue 18: the sync within 1.5× COPY of the same rows. */
export const MAX_RATIO = 1.5;

/** An invoice as the agent sends it (the sync contract's own type). */
export type SyncInvoice = SyncInput['invoices'][number];

/** What the MMS sends: n invoices over the firm's clients, numbered as the incomplete records expect. */
export function syncInvoices(n: number, clients: number): SyncInvoice[] {
  return Array.from({ length: n }, (_, i) => {
    const g = i + 1;
    const total = 100_000 + ((g * 7919) % 900_000);
    const paid = g % 20 === 0;
    return {
      invoiceNumber: `INV-${String(g).padStart(7, '0')}`,
      clientNumber: `C${String(((g - 1) % clients) + 1).padStart(6, '0')}`,
      matterNumber: 'M01',
      invoiceDate: new Date(Date.UTC(2024, 5, 1 + (g % 500))).toISOString().slice(0, 10),
      totalCents: total,
      balanceCents: paid ? 0 : total,
      status: paid ? 'paid' : 'open',
    };
  });
}

/** The database's own limit: COPY of the same rows into invoices, rolled back. */
export async function copyBaselineMs(bc: BenchConnection, firmId: string, rows: SyncInvoice[]): Promise<number> {
  const now = new Date().toISOString();
  const text = rows
    .map((v) =>
      [
        firmId,
        v.invoiceNumber,
        v.clientNumber,
        v.matterNumber,
        v.invoiceDate,
        v.totalCents,
        v.balanceCents,
        v.status,
        now,
      ].join('\t'),
    )
    .join('\n');
  const copySql =
    'copy invoices (firm_id, invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents, status, updated_at) from stdin';
  return timeCopyRolledBack(bc.copyTarget, copySql, `${text}\n`);
}

const syncAnswer = z.object({ invoices: z.number(), reclassifiedToPending: z.number() });

/**
 * The agent's sync of every invoice of a firm that has none yet, over HTTP in calls of
 * 50,000 (validation, upsert and re-classification of the incomplete records that
 * were waiting for them), once in each sync firm, beside COPY of the same rows (one per
 * run: on PostgreSQL measured just before it, on PGlite given as `measuredCopyMs`).
 */
export async function measureSync(
  ctx: BenchContext,
  rows: SyncInvoice[],
  measuredCopyMs: readonly number[],
  database: BenchDatabase,
): Promise<Row> {
  const runs: number[] = [];
  // On PostgreSQL each run's floor is measured just before it, in its own firm, so the two
  // meet the same load; VACUUM then clears the rolled-back rows the sync would step over.
  // PGlite's floors were measured before the server started (one process at a time).
  const copyMs = [...measuredCopyMs];
  const bc = database.engine === 'postgres' ? await database.open() : undefined;
  let reclassified = 0;
  for (const code of syncFirmCodes(ctx.dataset.firms.keys())) {
    const { id: firmId, agentToken } = firmOf(ctx, code);
    if (bc) {
      copyMs.push(await copyBaselineMs(bc, firmId, rows));
      await sql`vacuum invoices`.execute(bc.conn.db);
    }
    let invoices = 0;
    reclassified = 0;
    const started = performance.now();
    for (let at = 0; at < rows.length; at += ROWS_PER_CALL) {
      const result = await callOk(ctx.server.api, agentToken, 'POST', '/agent/sync', {
        invoices: rows.slice(at, at + ROWS_PER_CALL),
        full: false,
      });
      const answer = syncAnswer.parse(result.json);
      invoices += answer.invoices;
      reclassified += answer.reclassifiedToPending;
    }
    runs.push(performance.now() - started);
    if (invoices !== rows.length) throw new Error(`the sync in ${code} took in ${invoices} invoices of ${rows.length}`);
  }
  await bc?.conn.close();
  const elapsed = spreadOf(runs);
  const floor = spreadOf(copyMs);
  const ratio = ratiosTo(runs, copyMs);
  const rate = (msOf: number) => `${count(rows.length / (msOf / 1000))} rows/s`;
  const absoluteOk = rows.length / (elapsed.median / 1000) >= TARGET_ROWS_PER_S;
  ctx.log(
    `sync: ${count(rows.length)} invoices in ${withSpread(elapsed, ms)}, ${count(reclassified)} incomplete records became pending; COPY ${withSpread(floor, ms)}`,
  );
  return {
    // Every run syncs into a firm of its own that has no invoices yet: all rows are new, as COPY's are.
    metric: `sync of ${count(rows.length)} invoices (HTTP, ${Math.ceil(rows.length / ROWS_PER_CALL)} calls; all new, into a firm without invoices, as COPY's rows; ${count(reclassified)} records re-classified)`,
    measured: `${withSpread(elapsed, ms)}; ${rate(elapsed.median)}`,
    value: elapsed.median,
    target: `≤ ${MAX_RATIO}× COPY of the same rows; ${quietMachine(`≥ ${count(TARGET_ROWS_PER_S)} rows/s`, absoluteOk)}`,
    ratio: `${withSpread(ratio, times)} ${ctx.engine === 'pglite' ? "COPY FROM '/dev/blob'" : 'COPY FROM STDIN'} of the same rows (${withSpread(floor, ms)}, rolled back; ${rate(floor.median)})`,
    verdict: judge({ ratio: ratio.median, limit: MAX_RATIO, bound: 'at most' }, absoluteOk),
  };
}
