import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentProcess } from '../agent-process.ts';
import type { BenchContext } from '../context.ts';
import { openEventStream, type EventStream } from '../event-stream.ts';
import { watchFolder, type FolderWatch } from '../folder-watch.ts';
import {
  agentSplit,
  LIVE_POLL_SECONDS,
  LIVE_RECORDS,
  liveFirm,
  liveRow,
  logAgentErrors,
  ROUND_TIMEOUT_MS,
  runRounds,
  startLiveAgent,
  watchBatch,
} from '../live-rounds.ts';
import { count, ms, percentile, type Row } from '../table.ts';

/** Issue 18: click → file p95 ≤ 2 s, click → Posted shown p95 ≤ 3 s. */
const FILE_LIMIT_MS = 2000;
const SHOWN_LIMIT_MS = 3000;

/**
 * SPEC §5 live delivery, as the accountant sees it: the real agent process (`paybridge
 * agent --config …`, file-drop sink into a temporary folder, pollSeconds 60) long-polling
 * the bench's server for a fresh firm; each round makes 100 pending records, posts them
 * all, and times from Post All's answer (the click) to
 * - the batch file in the drop folder under its final name (fs.watch, and a stat every 5 ms);
 * - Posted shown: an /events subscriber (over HTTP, as the browser's) has heard
 *   postings.changed after the acknowledgement, and the posted view it then reads shows
 *   the batch's records posted.
 */
export async function measureLiveDelivery(ctx: BenchContext): Promise<Row[]> {
  const firm = liveFirm(ctx, 'LIVE');
  const rounds = ctx.sizes.liveRounds;
  const root = await mkdtemp(join(tmpdir(), 'pb-bench-live-'));
  let agent: AgentProcess | undefined;
  let stream: EventStream | undefined;
  let folder: FolderWatch | undefined;
  try {
    const inbox = join(root, 'inbox');
    await mkdir(inbox);
    agent = await startLiveAgent(ctx, root, firm, { type: 'file-drop', folder: 'inbox' });
    stream = await openEventStream(ctx.server.api, firm.userToken);
    folder = watchFolder(inbox);
    const files = folder;
    const events = stream;
    ctx.log(
      `live delivery: ${rounds} rounds (and a warm-up) of Post All of ${LIVE_RECORDS} records, the real agent process on a file-drop sink`,
    );
    const samples = await runRounds(ctx, firm, rounds, 2, (batchId) => {
      const shown = watchBatch(ctx, events, firm, batchId);
      return {
        async finished(batch) {
          shown.read();
          const fileAt = await files.arrival(batch.fileName, ROUND_TIMEOUT_MS);
          return [fileAt, await shown.done];
        },
        cancel: () => shown.cancel(),
      };
    });

    // Checked after the clocks: one file per round, each once.
    const delivered = (await readdir(inbox)).filter((name) => !name.startsWith('.'));
    const made = samples.failure === null ? rounds + 1 : null;
    if (made !== null && delivered.length !== made)
      throw new Error(
        `the drop folder holds ${delivered.length} files after ${made} Post All: ${JSON.stringify(delivered)}`,
      );
    logAgentErrors(ctx, agent);
    const [file, shown] = [0, 1].map((k) => samples.ms[k]!);
    ctx.log(
      `live delivery: click → file p50 ${ms(percentile(file!, 50))} p95 ${ms(percentile(file!, 95))}; ` +
        `click → Posted shown p50 ${ms(percentile(shown!, 50))} p95 ${ms(percentile(shown!, 95))} (${count(file!.length)} rounds); ` +
        `median from the click, by the agent's log: ${agentSplit(samples, agent.entries(), [
          ['its long-poll answered', (msg) => msg === 'batches waiting for delivery'],
          ['acknowledged', (msg) => msg === 'batch acknowledged'],
        ])}`,
    );
    return [
      liveRow(
        `click → file in the MMS folder (${rounds} Post All of ${LIVE_RECORDS} records; real agent process, file-drop sink, pollSeconds ${LIVE_POLL_SECONDS})`,
        samples,
        0,
        FILE_LIMIT_MS,
      ),
      liveRow(
        'click → Posted shown (an /events subscriber hears postings.changed after the ack, then GET /postings?view=posted shows the batch posted)',
        samples,
        1,
        SHOWN_LIMIT_MS,
      ),
    ];
  } finally {
    folder?.close();
    stream?.close();
    await agent?.stop();
    await rm(root, { recursive: true, force: true });
  }
}
