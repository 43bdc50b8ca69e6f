import { z } from 'zod';
import { firmOf, type BenchContext } from '../context.ts';
import { callOk } from '../http.ts';
import { count, judge, ms, percentile, RUNS, spreadOf, withSpread, type Row } from '../table.ts';

/** Issue 18: the Deposits list and a payout's lines, on a year of payouts, each p95 ≤ 30 ms. */
const LIMIT_MS = 30;
/** Payouts whose lines are read in each round: the biggest, a trust one, and others spread over the year. */
const PAYOUTS_READ = 8;
const NO_FLOOR =
  "no floor measured: its floor is the query's own execution in the database (EXPLAIN ANALYZE), a millisecond or two";

const listed = z.object({
  items: z.array(
    z.object({ id: z.string(), account: z.string(), depositAccountId: z.string(), lineCount: z.number() }),
  ),
  nextCursor: z.string().nullable(),
});
const detail = z.object({ lines: z.array(z.unknown()) });

/**
 * The Deposits screen on the big firm's year of payouts (generate.ts), over HTTP, one
 * request at a time: GET /deposits unfiltered and with the screen's filters (a month,
 * which the screen always sends, and an account kind or one deposit account), the first
 * page of 50 and the next few by cursor; then GET /deposits/:id, a payout with all its
 * lines, for the biggest payouts and others over the year. Each round is a run.
 */
export async function measureDeposits(ctx: BenchContext): Promise<Row[]> {
  const { userToken } = firmOf(ctx, 'BIG');
  const get = (path: string) => callOk(ctx.server.api, userToken, 'GET', path);

  // Every payout of the year, to choose the filters' values and the payouts read.
  const payouts: z.infer<typeof listed>['items'] = [];
  let cursor: string | null = null;
  do {
    const page = listed.parse(
      (await get(`/deposits?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json,
    );
    payouts.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const operating = payouts.find((p) => p.account === 'operating');
  if (!operating || payouts.length === 0) throw new Error("the bench's big firm has no operating payouts");
  const lists = [
    { name: 'all', query: '' },
    { name: 'a month', query: 'from=2025-03-01&to=2025-03-31' },
    { name: 'a month, account=trust', query: 'from=2025-03-01&to=2025-03-31&account=trust' },
    {
      name: 'a month, one deposit account',
      query: `from=2025-03-01&to=2025-03-31&depositAccountId=${operating.depositAccountId}`,
    },
    { name: 'account=operating', query: 'account=operating' },
  ];
  const bySize = [...payouts].sort((a, b) => b.lineCount - a.lineCount);
  const trust = payouts.find((p) => p.account === 'trust');
  const step = Math.max(1, Math.floor(payouts.length / PAYOUTS_READ));
  const read = [
    ...new Set([
      bySize[0]!.id,
      ...(trust ? [trust.id] : []),
      ...payouts.filter((_, i) => i % step === 0).map((p) => p.id),
    ]),
  ].slice(0, PAYOUTS_READ);
  const linesRead = read.reduce((sum, id) => sum + payouts.find((p) => p.id === id)!.lineCount, 0);

  // Warm up: the first call of each route compiles its schemas; every list must find payouts.
  for (const list of lists) {
    if (listed.parse((await get(`/deposits?${list.query}&limit=50`)).json).items.length === 0)
      throw new Error(`the bench's Deposits list ${list.name} (${list.query}) found no payout`);
  }
  await get(`/deposits/${read[0]}`);

  const listRounds: number[][] = [];
  const byList = new Map<string, number[]>();
  const lineRounds: number[][] = [];
  for (let round = 0; round < RUNS; round += 1) {
    const samples: number[] = [];
    listRounds.push(samples);
    for (const list of lists) {
      let next: string | null = null;
      for (let n = 0; n < ctx.sizes.listPages; n += 1) {
        const result = await get(
          `/deposits?${list.query}&limit=50${next ? `&cursor=${encodeURIComponent(next)}` : ''}`,
        );
        samples.push(result.ms);
        byList.set(list.name, [...(byList.get(list.name) ?? []), result.ms]);
        next = listed.parse(result.json).nextCursor;
        if (!next) break;
      }
    }
    const lineSamples: number[] = [];
    lineRounds.push(lineSamples);
    for (const id of read) {
      const result = await get(`/deposits/${id}`);
      if (detail.parse(result.json).lines.length === 0) throw new Error(`the bench's payout ${id} has no lines`);
      lineSamples.push(result.ms);
    }
  }
  const listP95 = spreadOf(listRounds.map((s) => percentile(s, 95)));
  const listP50 = spreadOf(listRounds.map((s) => percentile(s, 50)));
  const lineP95 = spreadOf(lineRounds.map((s) => percentile(s, 95)));
  const lineP50 = spreadOf(lineRounds.map((s) => percentile(s, 50)));
  const worst = [...byList.entries()]
    .map(([name, s]) => ({ name, p95: percentile(s, 95) }))
    .sort((a, b) => b.p95 - a.p95)[0]!;
  ctx.log(
    `deposits: ${[...byList.entries()].map(([name, s]) => `${name} p50 ${ms(percentile(s, 50))} p95 ${ms(percentile(s, 95))}`).join('; ')}; ` +
      `a payout's lines p50 ${ms(lineP50.median)} p95 ${ms(lineP95.median)}`,
  );
  return [
    {
      metric: `GET /deposits p95 (${lists.length} lists (a year, a month, by account) × ${ctx.sizes.listPages} pages of 50 × ${RUNS}, a year of ${count(payouts.length)} payouts)`,
      measured: `${withSpread(listP95, ms)}; p50 ${ms(listP50.median)}; slowest list: ${worst.name}, p95 ${ms(worst.p95)}`,
      value: listP95.median,
      target: `≤ ${LIMIT_MS} ms`,
      ratio: NO_FLOOR,
      verdict: judge(null, listP95.median <= LIMIT_MS),
    },
    {
      metric: `GET /deposits/:id p95 (a payout and all its lines: ${read.length} payouts, ${count(linesRead)} lines in all, the biggest ${count(bySize[0]!.lineCount)}, × ${RUNS})`,
      measured: `${withSpread(lineP95, ms)}; p50 ${ms(lineP50.median)}`,
      value: lineP95.median,
      target: `≤ ${LIMIT_MS} ms`,
      ratio: NO_FLOOR,
      verdict: judge(null, lineP95.median <= LIMIT_MS),
    },
  ];
}
