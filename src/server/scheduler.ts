import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.ts';
import { runAutomaticPosting } from '../usecases/postings/run-automatic-posting.ts';

/**
 * Runs the jobs that happen without a click (automatic posting) every `everySeconds`.
 * A tick never overlaps the previous one; stop() waits for a running tick to end.
 */
export function startScheduler(db: Db, everySeconds: number, logger: FastifyBaseLogger | undefined) {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = runAutomaticPosting(db)
      .then((results) => {
        for (const r of results) if (r.batch) logger?.info({ firmId: r.firmId, seq: r.batch.seq, records: r.batch.recordCount }, 'automatic posting made a batch');
      })
      .catch((error: unknown) => logger?.error({ err: error }, 'automatic posting failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, everySeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
