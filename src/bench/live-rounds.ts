import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { EVENT_STREAM_DEFAULTS } from '../server/routes/events.ts';
import { firmOf, type BenchContext } from './context.ts';
import { startAgentProcess, type AgentProcess, type LogEntry } from './agent-process.ts';
import type { EventStream } from './event-stream.ts';
import { callOk } from './http.ts';
import { ms, percentile, verdict, type Row } from './table.ts';

/** Records per Post of the live rows (issue 18: 20 posts of 100 records). */
export const LIVE_RECORDS = 100;
/** The agents' pollSeconds, far above the targets: a round that finishes in time can only have been woken by the long-poll. */
export const LIVE_POLL_SECONDS = 60;
/** A round that has not finished by then fails its rows (MISS, with the reason), and no more rounds are run. */
export const ROUND_TIMEOUT_MS = 30_000;
/** Payments taken in at once while a round's records are made. */
const INTAKE_CONCURRENCY = 10;
/**
 * After the intake, the pause before the click: the event stream sends more changes of a
 * topic within 250 ms of its last event as one at the window's end, and that event opens
 * another window, so two windows and a margin. Without it, the Post's own event could
 * wait in the intake's window and arrive with the acknowledgement's, which the click of
 * an accountant who has looked at the screen a moment does not see.
 */
const QUIET_MS = 2 * EVENT_STREAM_DEFAULTS.coalesceMs + 100;

/** A firm of the live rows: its accountant's and agent's tokens, and how many clients and invoices it has. */
export interface LiveFirm {
  code: string;
  userToken: string;
  agentToken: string;
  clients: number;
  invoices: number;
}

export function liveFirm(ctx: BenchContext, code: string): LiveFirm {
  const { userToken, agentToken } = firmOf(ctx, code);
  const { plan } = ctx.dataset.firms.get(code)!;
  return { code, userToken, agentToken, clients: plan.clients, invoices: plan.invoices };
}

/**
 * The real agent process of a live firm, configured in `root` to deliver into `sink` and
 * long-poll the bench's server every LIVE_POLL_SECONDS; answered once it has started (and
 * stopped again if it never does).
 */
export async function startLiveAgent(
  ctx: BenchContext,
  root: string,
  firm: LiveFirm,
  sink: Record<string, unknown>,
): Promise<AgentProcess> {
  const agent = await startAgentProcess(root, {
    server: new URL(ctx.server.api).origin,
    token: firm.agentToken,
    stateDir: 'state',
    sink,
    pollSeconds: LIVE_POLL_SECONDS,
  });
  try {
    await agent.started();
  } catch (error) {
    await agent.stop();
    throw error;
  }
  return agent;
}

/** After the rounds: the end of the agent's log, when it logged errors. */
export function logAgentErrors(ctx: BenchContext, agent: AgentProcess): void {
  if (agent.errors() > 0)
    ctx.log(`the agent logged ${agent.errors()} errors; its log ends:\n${agent.log().slice(-4000)}`);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * `LIVE_RECORDS` new payments through POST /payments, each naming one of the firm's open
 * invoices with an amount far below its balance, so each makes one pending record.
 * Processed now, so they are the newest of the firm's records and head the posted view.
 */
export async function makePending(ctx: BenchContext, firm: LiveFirm, round: string): Promise<void> {
  const body = (i: number) => {
    const n = i * 7 + 1;
    // Invoice numbers divisible by 20 are paid (generate.ts): pick among the open ones.
    let g = 1 + (n % firm.invoices);
    if (g % 20 === 0) g -= 1;
    return {
      processorId: `bench_live_${process.pid}_${firm.code}_${round}_${i}`,
      origin: 'connect',
      amountCents: 100 + ((i * 37) % 900),
      method: 'card',
      cardBrand: 'visa',
      last4: '4242',
      account: 'operating',
      payerName: `Live payer ${round}-${i}`,
      invoiceNumbers: [`INV-${pad(g, 7)}`],
      clientNumber: `C${pad(((g - 1) % firm.clients) + 1, 6)}`,
      processedAt: new Date().toISOString(),
    };
  };
  for (let start = 0; start < LIVE_RECORDS; start += INTAKE_CONCURRENCY) {
    const chunk = Array.from({ length: Math.min(INTAKE_CONCURRENCY, LIVE_RECORDS - start) }, (_, k) => start + k);
    await Promise.all(chunk.map((i) => callOk(ctx.server.api, firm.userToken, 'POST', '/payments', body(i))));
  }
  await sleep(QUIET_MS);
}

const postAnswer = z.object({
  batch: z.object({ id: z.string(), seq: z.number(), fileName: z.string(), recordCount: z.number() }),
});

/** The click: Post All. Answers the batch and when its answer arrived (performance.now()). */
export async function postAll(
  ctx: BenchContext,
  firm: LiveFirm,
): Promise<{ batch: z.infer<typeof postAnswer>['batch']; answeredAt: number }> {
  const result = await callOk(ctx.server.api, firm.userToken, 'POST', '/postings/post', { all: true });
  const answeredAt = performance.now();
  const { batch } = postAnswer.parse(result.json);
  if (batch.recordCount !== LIVE_RECORDS)
    throw new Error(`Post All in ${firm.code} batched ${batch.recordCount} records, not ${LIVE_RECORDS}`);
  return { batch, answeredAt };
}

const postedPage = z.object({
  items: z.array(
    z.object({
      batchId: z.string().nullable(),
      status: z.string(),
      mmsStatus: z.string().nullable(),
      updatedAt: z.iso.datetime(),
    }),
  ),
});
export type PostedItem = z.infer<typeof postedPage>['items'][number];

/** Whether a page shows what a clock waits for; if it does, when (ms since the epoch, the server's clock) the change it shows was made. */
export type Shows = (items: PostedItem[]) => number | null;

/** A watch of the posted view: `done` resolves when it shows what was asked for. */
export interface ShownWatch {
  /** The time (performance.now()) at which the read that showed it was answered. */
  done: Promise<number>;
  /** Reads again now, as the screen does when its own Post is answered. */
  read(): void;
  /** Stops watching (a round given up): `done` fails, and no more reads are made. */
  cancel(): void;
}

/**
 * What the Manage Postings screen does with the event stream: each `postings.changed`
 * makes it read the posted view again (one read at a time; events heard during a read
 * make one more read after it). The clock stops at a read that shows the change and
 * follows an event heard after the change was made: an earlier event (the Post's own)
 * whose read happens to find the agent already done does not count, so the figure is
 * that of the news reaching the screen. `done` fails after `timeoutMs`.
 */
export function watchShown(
  api: string,
  stream: EventStream,
  token: string,
  shows: Shows,
  timeoutMs: number,
): ShownWatch {
  let reading = false;
  /** Reads asked for while one was under way: one more read follows it if this grew. */
  let asked = 0;
  let settled = false;
  /** When the last postings.changed was heard, ms since the epoch (the server's clock: the same machine's). */
  let heardAt = Number.NEGATIVE_INFINITY;
  let settle!: (error: Error | null, at?: number) => void;
  const done = new Promise<number>((resolve, reject) => {
    settle = (error, at = 0) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      if (error) reject(error);
      else resolve(at);
    };
  });
  const read = async () => {
    if (reading) {
      asked += 1;
      return;
    }
    reading = true;
    let askedBefore = asked;
    try {
      do {
        askedBefore = asked;
        const after = heardAt;
        const page = await callOk(api, token, 'GET', `/postings?view=posted&limit=${LIVE_RECORDS}`);
        const changedAt = shows(postedPage.parse(page.json).items);
        if (changedAt !== null && after >= changedAt) {
          settle(null, performance.now());
          return;
        }
      } while (asked !== askedBefore && !settled);
    } catch (error) {
      settle(error instanceof Error ? error : new Error(String(error)));
    } finally {
      reading = false;
    }
  };
  const unsubscribe = stream.on((event) => {
    if (event !== 'postings.changed' || settled) return;
    heardAt = Date.now();
    void read();
  });
  const timer = setTimeout(
    () => settle(new Error(`the posted view did not show it within ${timeoutMs} ms`)),
    timeoutMs,
  );
  // Whoever gives the round up may never await `done`; its failure is theirs to read, not the process's.
  done.catch(() => undefined);
  return {
    done,
    read: () => void (settled ? undefined : read()),
    cancel: () => settle(new Error('the watch was cancelled')),
  };
}

/**
 * The batch's records, all on the page with `status` posted (and the MMS's answer, if
 * asked for): shown since the last of them changed (the acknowledgement, or the answer).
 */
export function batchShown(batchId: () => string | undefined, mmsStatus?: string): Shows {
  return (items) => {
    const id = batchId();
    if (id === undefined) return null;
    const own = items.filter(
      (item) =>
        item.batchId === id && item.status === 'posted' && (mmsStatus === undefined || item.mmsStatus === mmsStatus),
    );
    return own.length === LIVE_RECORDS ? Math.max(...own.map((item) => Date.parse(item.updatedAt))) : null;
  };
}

/** A round's watch of the firm's posted view, as its screen keeps it, until it shows the round's batch (with `mmsStatus`). */
export function watchBatch(
  ctx: BenchContext,
  events: EventStream,
  firm: LiveFirm,
  batchId: () => string | undefined,
  mmsStatus?: string,
): ShownWatch {
  return watchShown(ctx.server.api, events, firm.userToken, batchShown(batchId, mmsStatus), ROUND_TIMEOUT_MS);
}

/** One round as a metric sees it: armed before the click, told the batch once Post All has answered. */
export interface Round {
  /** The times (performance.now()) at which each of the metric's clocks stops. */
  finished(batch: { id: string; seq: number; fileName: string }): Promise<number[]>;
  /** The round failed: stop watching. */
  cancel(): void;
}

/** The samples of a metric's clocks over the rounds measured (ms from Post All's answer), and why the rounds stopped early, if they did. */
export interface LiveSamples {
  ms: number[][];
  rounds: number;
  failure: string | null;
  /** Each measured round's batch, and when Post All answered (ms since the epoch, the agent log's clock). */
  posts: { seq: number; answeredAt: number }[];
}

/**
 * A warm-up round (the agent's first delivery, the server's plans), then `rounds` measured
 * ones, each: the firm's records made, the metric's watches armed, Post All, and the wait
 * for each clock to stop. Every clock starts when Post All's answer arrives. A failed
 * round (a timeout, an error) ends the rounds: what was measured stays, and the failure is
 * shown in the rows.
 */
export async function runRounds(
  ctx: BenchContext,
  firm: LiveFirm,
  rounds: number,
  clocks: number,
  arm: (batchId: () => string | undefined) => Round,
): Promise<LiveSamples> {
  const samples: LiveSamples = { ms: Array.from({ length: clocks }, () => []), rounds, failure: null, posts: [] };
  for (let round = 0; round <= rounds; round += 1) {
    await makePending(ctx, firm, String(round));
    let batchId: string | undefined;
    const watch = arm(() => batchId);
    try {
      const { batch, answeredAt } = await postAll(ctx, firm);
      batchId = batch.id;
      const stops = await watch.finished(batch);
      if (round === 0) continue;
      stops.forEach((at, k) => samples.ms[k]!.push(Math.max(0, at - answeredAt)));
      samples.posts.push({ seq: batch.seq, answeredAt: performance.timeOrigin + answeredAt });
    } catch (error) {
      watch.cancel();
      samples.failure = `${round === 0 ? 'the warm-up round' : `round ${round}`} failed: ${error instanceof Error ? error.message : String(error)}`;
      ctx.log(`${firm.code}: ${samples.failure}`);
      break;
    }
  }
  return samples;
}

/** One row of one clock: p95 (the target's figure), p50, and the spread over the rounds measured. */
export function liveRow(metric: string, samples: LiveSamples, clock: number, limitMs: number): Row {
  const values = samples.ms[clock] ?? [];
  const p95 = percentile(values, 95);
  const p50 = percentile(values, 50);
  const spread = values.length > 0 ? `, min–max ${ms(Math.min(...values))}–${ms(Math.max(...values))}` : '';
  const failure = samples.failure ? `; ${samples.failure}` : '';
  return {
    metric,
    measured: `p95 ${ms(p95)}, p50 ${ms(p50)} (${values.length} of ${samples.rounds} rounds${spread}${failure})`,
    value: p95,
    target: `p95 ≤ ${ms(limitMs)}`,
    ratio:
      "no floor measured: its floor is the long-poll's answer to the agent plus the delivery of a 100-line batch (as in the agent delivery row)",
    verdict: verdict(samples.failure === null && p95 <= limitMs),
  };
}

/**
 * Where the rounds' time goes, from the agent's log: for each step (a log message), the
 * median over the rounds of the time from Post All's answer to the agent logging it for
 * the round's batch. The agent logs in whole milliseconds of the same machine's clock.
 */
export function agentSplit(
  samples: LiveSamples,
  entries: LogEntry[],
  steps: [label: string, message: (msg: string) => boolean][],
): string {
  return steps
    .map(([label, message]) => {
      const times = samples.posts.flatMap(({ seq, answeredAt }) => {
        const entry = entries.find((e) => e.seqs.includes(seq) && message(e.msg));
        return entry ? [Math.max(0, entry.time - answeredAt)] : [];
      });
      return `${label} ${times.length > 0 ? ms(percentile(times, 50)) : '(not in the log)'}`;
    })
    .join(', ');
}
