import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.ts';
import type { Processor } from '../processor/processor.ts';
import { deliverSandboxEvents, type WebhookTransport } from '../processor/sandbox/deliver-events.ts';
import { settleSandboxPayouts } from '../processor/sandbox/settle-payouts.ts';
import { purgeExpiredSessions, purgeOldSignInFailures } from '../usecases/auth/sessions.ts';
import { runDueSchedules } from '../usecases/payment-schedules/run-due-schedules.ts';
import { runAutomaticPosting } from '../usecases/postings/run-automatic-posting.ts';

/**
 * How often the sandbox looks for days to pay out: a day settles once, the day after, so
 * a few minutes late is nothing, and each look reads every firm's unsettled payments.
 */
export const SANDBOX_SETTLEMENT_EVERY_MS = 10 * 60_000;

export interface SchedulerDeps {
  db: Db;
  everySeconds: number;
  logger: FastifyBaseLogger | undefined;
  processor: Processor;
  /** Where the sandbox processor sends its webhook events; absent with a real processor. */
  sandboxWebhook?: WebhookTransport | undefined;
}

/**
 * Runs the jobs that happen without a click every `everySeconds`: automatic posting,
 * due payment schedules, the sandbox processor's payouts and webhook events, and deleting
 * expired sessions. Each job is safe to
 * run on several server instances at once (each claims its work in the database); a
 * failing job does not stop the others. A tick never overlaps the previous one;
 * stop() waits for a running tick to end.
 */
export function startScheduler({ db, everySeconds, logger, processor, sandboxWebhook }: SchedulerDeps) {
  let running: Promise<void> | null = null;
  let settledAt = 0;

  async function job(name: string, work: () => Promise<void>) {
    try {
      await work();
    } catch (error) {
      logger?.error({ err: error }, `${name} failed`);
    }
  }

  const tick = () => {
    if (running) return;
    running = (async () => {
      await job('automatic posting', async () => {
        for (const r of await runAutomaticPosting(db)) {
          if (r.batch)
            logger?.info(
              { firmId: r.firmId, seq: r.batch.seq, records: r.batch.recordCount },
              'automatic posting made a batch',
            );
        }
      });
      await job('payment schedules', async () => {
        for (const run of await runDueSchedules(db, processor)) {
          const log = run.status === 'failed' ? logger?.warn.bind(logger) : logger?.info.bind(logger);
          log?.(
            {
              firmId: run.firmId,
              scheduleId: run.scheduleId,
              runOn: run.runOn,
              attempt: run.attempt,
              status: run.status,
              paymentId: run.paymentId,
              completed: run.completed,
            },
            'payment schedule ran',
          );
        }
      });
      await job('expired sessions', async () => {
        const purged = await purgeExpiredSessions(db);
        if (purged > 0) logger?.info({ purged }, 'deleted expired sessions');
        await purgeOldSignInFailures(db);
      });
      if (sandboxWebhook && Date.now() - settledAt >= SANDBOX_SETTLEMENT_EVERY_MS) {
        settledAt = Date.now();
        await job('sandbox payouts', async () => {
          const payouts = await settleSandboxPayouts(db);
          if (payouts.length > 0) logger?.info({ payouts: payouts.length }, 'sandbox processor paid out settled days');
        });
      }
      if (sandboxWebhook) {
        await job('sandbox webhook events', async () => {
          const sent = await deliverSandboxEvents(db, sandboxWebhook);
          if (sent.delivered + sent.failed > 0) logger?.info(sent, 'sandbox processor sent webhook events');
        });
      }
    })().finally(() => {
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
