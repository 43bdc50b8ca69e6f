import { firmOf, type BenchContext } from '../context.ts';
import { postFirmCodes } from '../plan.ts';
import { count, judge, mb, ms, RUNS, scaledLimitMs, spreadOf, withSpread, type Row } from '../table.ts';

const FULL_SIZE = 100_000;
/** Issue 18: 100,000 rows in 3 s, the server's RSS growing by 150 MB at most. */
const LIMIT_MS = 3000;
const RSS_LIMIT_BYTES = 150 * 1024 * 1024;

/**
 * Export to Excel of the first Post All firm's queued view (every record of the batch
 * just made), downloaded to the end over HTTP, RUNS times, with the server process's RSS
 * before and at its peak during each export.
 */
export async function measureExport(ctx: BenchContext): Promise<Row[]> {
  const { userToken } = firmOf(ctx, postFirmCodes(ctx.dataset.firms.keys())[0]!);
  const size = ctx.sizes.postAll;
  const runs: number[] = [];
  const growths: number[] = [];
  let bytes = 0;
  let baseline = 0;
  let peak = 0;
  for (let run = 0; run < RUNS; run += 1) {
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
  const took = spreadOf(runs);
  const growth = spreadOf(growths);
  const limit = scaledLimitMs(LIMIT_MS, FULL_SIZE, size);
  ctx.log(
    `export: ${count(size)} rows, ${mb(bytes)} in ${withSpread(took, ms)}; server RSS ${mb(baseline)} at the first, peak ${mb(peak)}`,
  );
  const noFloor =
    'no floor measured: its floor is the SELECT of the same rows plus deflating the sheet, both CPU in one process';
  return [
    {
      metric: `Export to Excel of ${count(size)} rows (HTTP, ${mb(bytes)} .xlsx)`,
      measured: withSpread(took, ms),
      value: took.median,
      target: `≤ ${ms(limit)} (absolute: no floor)`,
      ratio: noFloor,
      verdict: judge(null, took.median <= limit),
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
