import { z } from 'zod';
import { VIEWS } from '../../usecases/postings/list-records.ts';
import { firmOf, type BenchContext } from '../context.ts';
import { callOk } from '../http.ts';
import { judge, ms, percentile, RUNS, spreadOf, withSpread, type Row } from '../table.ts';

const page = z.object({ nextCursor: z.string().nullable() });
const found = z.object({ items: z.array(z.unknown()) });
const ROUNDS = RUNS;
const COUNT_REPEATS = 4;
const NO_FLOOR =
  "no floor measured: its floor is the query's own execution in the database (EXPLAIN ANALYZE), a millisecond or two";

/** Filters a person types into Manage Postings, and orders, each tried on a view. */
const FILTERED = [
  { name: 'pending_incomplete q=payer', query: 'view=pending_incomplete&q=parker%20holdings%2042' },
  { name: 'all q=invoice number', query: 'view=all&q=inv-0000042' },
  // The search box's other meanings (issue 16), each a key in the indexed text (migration 0030).
  { name: 'all q=amount', query: 'view=all&q=%2416.13' },
  { name: 'all q=last 4', query: 'view=all&q=0042' },
  { name: 'all q=client / matter', query: 'view=all&q=C000042%20%2F%20M01' },
  { name: 'pending account=trust', query: 'view=pending&account=trust' },
  { name: 'all from..to (a month)', query: 'view=all&from=2025-03-01&to=2025-03-31' },
  { name: 'pending minCents=40000', query: 'view=pending&minCents=40000' },
  // The orders a header click asks for (issue 16), each read in order by an index of migration 0027.
  { name: 'pending_incomplete sort=-amount', query: 'view=pending_incomplete&sort=-amount' },
  { name: 'all sort=payer', query: 'view=all&sort=payer' },
  { name: 'posted sort=amount', query: 'view=posted&sort=amount' },
  { name: 'all sort=-status', query: 'view=all&sort=-status' },
  // The Payment Manager's search box, through its own trigram-indexed search table (migration 0033).
  { name: 'payments q=payer', query: 'q=parker%20holdings%2042', path: '/payments' },
  { name: 'payments q=amount', query: 'q=%2416.13', path: '/payments' },
];

/**
 * GET /postings, a page of 50, for every view unfiltered and for several filters, and the
 * Payment Manager's search (GET /payments), on the firm with the biggest pending view: the first page and the next few by cursor, over
 * HTTP, one request at a time. Then GET /postings/counts, unfiltered and filtered.
 */
export async function measureListLatency(ctx: BenchContext): Promise<Row[]> {
  const { userToken } = firmOf(ctx, 'BIG');
  const lists: { name: string; query: string; path?: string }[] = [
    ...VIEWS.map((view) => ({ name: view, query: `view=${view}` })),
    ...FILTERED,
  ];
  const byList = new Map<string, number[]>();
  const byRound: number[][] = [];
  // Warm up: the first call of each route compiles its schemas. A search must find something,
  // or its row would time an empty answer.
  for (const list of lists) {
    const first = await callOk(ctx.server.api, userToken, 'GET', `${list.path ?? '/postings'}?${list.query}&limit=50`);
    if (list.query.includes('q=') && found.parse(first.json).items.length === 0)
      throw new Error(`the bench's search ${list.name} (${list.query}) found no record in the generated data`);
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    const samples: number[] = [];
    byRound.push(samples);
    for (const list of lists) {
      let cursor: string | null = null;
      for (let n = 0; n < ctx.sizes.listPages; n += 1) {
        const path: string = `${list.path ?? '/postings'}?${list.query}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const result = await callOk(ctx.server.api, userToken, 'GET', path);
        byList.set(list.name, [...(byList.get(list.name) ?? []), result.ms]);
        samples.push(result.ms);
        cursor = page.parse(result.json).nextCursor;
        if (!cursor) break;
      }
    }
  }
  // Each round is a run: its p50 and p95 over every list's pages; the table has their median and spread.
  const p50 = spreadOf(byRound.map((samples) => percentile(samples, 50)));
  const p95 = spreadOf(byRound.map((samples) => percentile(samples, 95)));
  const worst = [...byList.entries()]
    .map(([name, samples]) => ({ name, p95: percentile(samples, 95) }))
    .sort((a, b) => b.p95 - a.p95)[0]!;
  ctx.log(
    `lists: ${[...byList.entries()].map(([name, s]) => `${name} p50 ${ms(percentile(s, 50))} p95 ${ms(percentile(s, 95))}`).join('; ')}`,
  );

  const countQueries = ['', '?q=parker%20holdings%2042', '?account=trust'];
  for (const query of countQueries) await callOk(ctx.server.api, userToken, 'GET', `/postings/counts${query}`);
  const countRuns: number[] = [];
  for (let run = 0; run < ROUNDS; run += 1) {
    const samples: number[] = [];
    for (let round = 0; round < COUNT_REPEATS; round += 1) {
      for (const query of countQueries)
        samples.push((await callOk(ctx.server.api, userToken, 'GET', `/postings/counts${query}`)).ms);
    }
    countRuns.push(percentile(samples, 95));
  }
  const countsP95 = spreadOf(countRuns);
  const firmSize = ctx.dataset.firms.get('BIG')!.plan;
  const views = `${lists.length} lists (7 views, ${FILTERED.length} filters) × ${ctx.sizes.listPages} pages × ${ROUNDS}, firm of ${(firmSize.pending / 1000).toFixed(0)}k pending`;
  return [
    {
      metric: `GET /postings p50 (${views})`,
      measured: withSpread(p50, ms),
      value: p50.median,
      target: '≤ 10 ms',
      ratio: NO_FLOOR,
      verdict: judge(null, p50.median <= 10),
    },
    {
      metric: 'GET /postings p95',
      measured: `${withSpread(p95, ms)}; slowest list: ${worst.name}, p95 ${ms(worst.p95)}`,
      value: p95.median,
      target: '≤ 30 ms',
      ratio: NO_FLOOR,
      verdict: judge(null, p95.median <= 30),
    },
    {
      metric: `GET /postings/counts p95 (${countQueries.length} filters × ${COUNT_REPEATS} × ${ROUNDS})`,
      measured: withSpread(countsP95, ms),
      value: countsP95.median,
      target: '≤ 30 ms',
      ratio: NO_FLOOR,
      verdict: judge(null, countsP95.median <= 30),
    },
  ];
}
