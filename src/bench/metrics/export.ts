import { firmOf, type BenchContext } from '../context.ts';
import { count, mb, ms, scaledLimitMs, verdict, type Row } from '../table.ts';

const FULL_SIZE = 100_000;
const LIMIT_MS = 6000;
const RSS_LIMIT_BYTES = 250 * 1024 * 1024;

/**
 * Export to Excel of the Post All firm's queued view (every record of the batch just
 * made), downloaded to the end over HTTP, with the server process's RSS before and at
 * its peak during the export.
 */
export async function measureExport(ctx: BenchContext): Promise<Row[]> {
  const { userToken } = firmOf(ctx, 'POSTALL');
  const size = ctx.sizes.postAll;
  const { result, baselineBytes, peakBytes } = await ctx.server.measureRss(async () => {
    const started = performance.now();
    const response = await fetch(`${ctx.server.api}/postings/export.xlsx?view=queued`, {
      headers: { authorization: `Bearer ${userToken}` },
    });
    if (response.status !== 200 || !response.body) throw new Error(`the export answered ${response.status}`);
    let bytes = 0;
    const reader = response.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength;
    return { ms: performance.now() - started, bytes };
  });
  const growth = peakBytes - baselineBytes;
  const limit = scaledLimitMs(LIMIT_MS, FULL_SIZE, size);
  ctx.log(
    `export: ${count(size)} rows, ${mb(result.bytes)} in ${ms(result.ms)}; server RSS ${mb(baselineBytes)} → peak ${mb(peakBytes)}`,
  );
  return [
    {
      metric: `Export to Excel of ${count(size)} rows (HTTP, ${mb(result.bytes)} .xlsx)`,
      measured: ms(result.ms),
      value: result.ms,
      target: `≤ ${ms(limit)}`,
      ratio: '—',
      verdict: verdict(result.ms <= limit),
    },
    {
      metric: 'Export to Excel: server RSS growth',
      measured: `${mb(growth)} (${mb(baselineBytes)} → ${mb(peakBytes)})`,
      value: growth / 1024 / 1024,
      target: `≤ ${mb(RSS_LIMIT_BYTES)}`,
      ratio: '—',
      verdict: verdict(growth <= RSS_LIMIT_BYTES),
    },
  ];
}
