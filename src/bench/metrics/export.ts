import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { EXPORT_PAGE_SIZE } from '../../usecases/postings/export-records.ts';
import { firmOf, type BenchContext } from '../context.ts';
import type { BenchDatabase } from '../database.ts';
import { postFirmCodes } from '../plan.ts';
import {
  count,
  judge,
  mb,
  ms,
  quietMachine,
  ratiosTo,
  RUNS,
  scaledLimitMs,
  spreadOf,
  times,
  withSpread,
  type Row,
} from '../table.ts';

const FULL_SIZE = 100_000;
/** Issue 18: 100,000 rows in 3 s, the server's RSS growing by 150 MB at most. */
const LIMIT_MS = 3000;
const RSS_LIMIT_BYTES = 150 * 1024 * 1024;
/** The export within 1.5× its floor: the database and ExcelJS doing the same work alone. */
const MAX_RATIO = 1.5;

interface FloorRow {
  processed_at: Date;
  payer_name: string;
  invoice_numbers: string[];
  client_number: string | null;
  matter_number: string | null;
  amount_cents: number;
  surcharge_cents: number;
  method: string;
  card_brand: string | null;
  last4: string | null;
  account: string;
  origin: string;
  status: string;
  reversal_kind: string | null;
  reasons: string[];
  memo: string;
  seq: number | null;
  id: string;
  reversal_of: string | null;
}

/**
 * The export's floor, in the bench's process: the same rows read the same way (pages of
 * EXPORT_PAGE_SIZE by the view's keyset, newest first, with the payment and batch each
 * row shows), and ExcelJS's streaming writer given the same 17 columns of each row (a
 * date, money as dollars, text) with no per-cell work of ours, deflated into a stream that
 * drops the bytes. What is left between it and the export is paybridge's own: the
 * record views, their allocations, the columns' text, the styles and the HTTP answer.
 */
export async function exportFloorMs(db: Db, firmId: string): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  const out = new Writable({ write: (_chunk, _encoding, done) => done() });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Postings', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = Array.from({ length: 17 }, (_, i) => ({ key: `c${i}`, width: 12 }));
  sheet.addRow(Array.from({ length: 17 }, (_, i) => `Column ${i + 1}`)).commit();
  const read = (after: FloorRow | undefined) =>
    sql<FloorRow>`select r.processed_at, r.payer_name, r.invoice_numbers, p.client_number, p.matter_number, r.amount_cents,
        r.surcharge_cents, r.method, p.card_brand, p.last4, r.account, r.origin, r.status, r.reversal_kind, r.reasons,
        coalesce(r.memo, '') as memo, b.seq, r.id, r.reversal_of
      from posting_records r
      join payments p on p.firm_id = r.firm_id and p.id = r.payment_id
      left join batches b on b.firm_id = r.firm_id and b.id = r.batch_id
      where r.firm_id = ${firmId} and r.status = 'queued'
        ${after ? sql`and (r.processed_at, r.id) < (${after.processed_at}, ${after.id}::uuid)` : sql``}
      order by r.processed_at desc, r.id desc
      limit ${EXPORT_PAGE_SIZE}`.execute(db);
  let rows = 0;
  let page = (await read(undefined)).rows;
  while (page.length > 0) {
    const next = page.length === EXPORT_PAGE_SIZE ? read(page.at(-1)) : null;
    for (const r of page) {
      sheet
        .addRow([
          r.processed_at,
          r.processed_at,
          r.payer_name,
          r.invoice_numbers.join(', '),
          r.client_number,
          r.matter_number,
          r.amount_cents / 100,
          r.surcharge_cents / 100,
          r.last4 ? `${r.card_brand ?? r.method} ending ${r.last4}` : r.method,
          r.account,
          r.origin,
          r.status,
          r.reversal_kind,
          r.reasons.join('; '),
          r.memo || null,
          r.seq,
          r.id,
        ])
        .commit();
    }
    rows += page.length;
    page = next ? (await next).rows : [];
  }
  sheet.commit();
  await workbook.commit();
  return { ms: performance.now() - started, rows };
}

/**
 * Export to Excel of the first Post All firm's queued view (every record of the batch
 * just made), downloaded to the end over HTTP, RUNS times, with the server process's RSS
 * before and at its peak during each export.
 */
export async function measureExport(ctx: BenchContext, database: BenchDatabase): Promise<Row[]> {
  const { id: firmId, userToken } = firmOf(ctx, postFirmCodes(ctx.dataset.firms.keys())[0]!);
  const size = ctx.sizes.postAll;
  const bc = await database.open();
  const floors: number[] = [];
  const runs: number[] = [];
  const growths: number[] = [];
  let bytes = 0;
  let baseline = 0;
  let peak = 0;
  for (let run = 0; run < RUNS; run += 1) {
    // The floor just before each export: the two meet the same load.
    const floor = await exportFloorMs(bc.conn.db, firmId);
    if (floor.rows !== size) throw new Error(`the export's floor read ${floor.rows} rows, not the ${size} queued`);
    floors.push(floor.ms);
    const { result, baselineBytes, peakBytes } = await ctx.server.measureRss(async () => {
      const started = performance.now();
      const response = await fetch(`${ctx.server.api}/postings/export.xlsx?view=queued`, {
        headers: { authorization: `Bearer ${userToken}` },
      });
      if (response.status !== 200 || !response.body) throw new Error(`the export answered ${response.status}`);
      let read = 0;
      const reader = response.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) read += chunk.value.byteLength;
      return { ms: performance.now() - started, bytes: read };
    });
    runs.push(result.ms);
    growths.push(peakBytes - baselineBytes);
    bytes = result.bytes;
    if (run === 0) baseline = baselineBytes;
    peak = Math.max(peak, peakBytes);
  }
  await bc.conn.close();
  const took = spreadOf(runs);
  const floor = spreadOf(floors);
  const ratio = ratiosTo(runs, floors);
  const growth = spreadOf(growths);
  const limit = scaledLimitMs(LIMIT_MS, FULL_SIZE, size);
  ctx.log(
    `export: ${count(size)} rows, ${mb(bytes)} in ${withSpread(took, ms)}; floor ${withSpread(floor, ms)}; ${withSpread(ratio, times)}; server RSS ${mb(baseline)} at the first, peak ${mb(peak)}`,
  );
  return [
    {
      metric: `Export to Excel of ${count(size)} rows (HTTP, ${mb(bytes)} .xlsx)`,
      measured: withSpread(took, ms),
      value: took.median,
      target: `≤ ${MAX_RATIO}× its floor; ${quietMachine(`≤ ${ms(limit)}`, took.median <= limit)}`,
      ratio: `${withSpread(ratio, times)} the same rows read by the same keyset pages and written by ExcelJS's streaming writer to a null stream, in the bench's process (${withSpread(floor, ms)})`,
      verdict: judge({ ratio: ratio.median, limit: MAX_RATIO, bound: 'at most' }, took.median <= limit),
    },
    {
      metric: 'Export to Excel: server RSS growth',
      measured: `${withSpread(growth, mb)}; ${mb(baseline)} before the first, peak ${mb(peak)}`,
      value: growth.median / 1024 / 1024,
      target: `≤ ${mb(RSS_LIMIT_BYTES)}`,
      ratio: 'no floor: memory, not time (the sheet streams; what grows is buffers and the zip)',
      verdict: judge(null, growth.median <= RSS_LIMIT_BYTES),
    },
  ];
}
