import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Processor } from '../processor/processor.ts';
import { deliverSandboxEvents, type WebhookTransport } from '../processor/sandbox/deliver-events.ts';
import { signatureHeader } from '../processor/webhook-signature.ts';
import { settleSandboxPayouts } from '../processor/sandbox/settle-payouts.ts';
import type { Metrics } from './health.ts';
import { purgeExpiredSessions, purgeOldSignInFailures } from '../usecases/auth/sessions.ts';
import { runDueSchedules } from '../usecases/payment-schedules/run-due-schedules.ts';
import { runAutomaticPosting } from '../usecases/postings/run-automatic-posting.ts';
import { queueDigests } from '../db/mail-queue.ts';
import { deleteEndedRateLimits } from '../db/rate-limits.ts';
import { noticeSilentAgents } from '../usecases/notifications/notice-silent-agents.ts';
import { sendQueuedMail } from '../usecases/notifications/send-queued-mail.ts';
import { deliverWebhooks } from '../usecases/webhook-endpoints/deliver-webhooks.ts';

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
  /** Where mail goes; without one, nothing is sent (it stays queued). */
  mailer?: Mailer | undefined;
  /** Where the sandbox processor sends its webhook events; absent with a real processor. */
  sandboxWebhook?: WebhookTransport | undefined;
  /** Counts each job's runs and failures (GET /metrics). */
  metrics?: Metrics | undefined;
  /** The time each tick runs at: the real clock, or a simulated one. */
  clock?: () => Date;
}

/**
 * The jobs that move money on a clock: automatic posting (SPEC §4) and due payment
 * schedules, both at `now`. Each tick of the scheduler runs them at the real time; the
 * whole-loop simulation (src/sim) runs them at its simulated time. A failing job is
 * logged and counted, and does not stop the other.
 */
export async function runPostingJobs(
  db: Db,
  processor: Processor,
  now: Date,
  logger?: FastifyBaseLogger,
  metrics?: Metrics,
): Promise<void> {
  await runJob('automatic posting', logger, metrics, async () => {
    for (const r of await runAutomaticPosting(db, now)) {
      if (r.batch)
        logger?.info(
          { firmId: r.firmId, seq: r.batch.seq, records: r.batch.recordCount },
          'automatic posting made a batch',
        );
    }
  });
  await runJob('payment schedules', logger, metrics, async () => {
    for (const run of await runDueSchedules(db, processor, now)) {
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
}

async function runJob(
  name: string,
  logger: FastifyBaseLogger | undefined,
  metrics: Metrics | undefined,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
    metrics?.jobRan(name, 'ok');
  } catch (error) {
    metrics?.jobRan(name, 'failed');
    logger?.error({ err: error }, `${name} failed`);
  }
}

/**
 * Runs the jobs that happen without a click every `everySeconds`: automatic posting,
 * due payment schedules, the sandbox processor's payouts and webhook events, the firm's
 * outbound webhooks, deleting expired sessions (and ended rate-limit counts), and mail (agent silence noticed, daily
 * digests queued, queued mail sent; the mail also once at start, so what the demo's
 * seeding queued is sent at once). Each job is safe to
 * run on several server instances at once (each claims its work in the database); a
 * failing job does not stop the others. A tick never overlaps the previous one;
 * stop() waits for a running tick to end.
 */
export function startScheduler({
  db,
  everySeconds,
  logger,
  processor,
  mailer,
  sandboxWebhook,
  metrics,
  clock = () => new Date(),
}: SchedulerDeps) {
  let running: Promise<void> | null = null;
  let settledAt = 0;

  const job = (name: string, work: () => Promise<void>) => runJob(name, logger, metrics, work);

  async function mail() {
    if (!mailer) return;
    await job('agent silence', async () => {
      const firms = await noticeSilentAgents(db);
      if (firms.length > 0) logger?.debug({ firms }, 'agents silent');
    });
    await job('daily digests', async () => {
      const queued = await queueDigests(db, clock());
      if (queued > 0) logger?.info({ queued }, 'queued daily digests');
    });
    await job('mail', async () => {
      const run = await sendQueuedMail(db, mailer);
      for (const e of run.errors)
        logger?.warn({ mailId: e.id, error: e.error }, 'mail not sent; it is tried again later');
      if (run.sent + run.failed > 0) logger?.info({ sent: run.sent, failed: run.failed }, 'sent queued mail');
    });
  }

  const tick = () => {
    if (running) return;
    running = (async () => {
      await runPostingJobs(db, processor, clock(), logger, metrics);
      await job('outbound webhooks', async () => {
        const sent = await deliverWebhooks(db, { sign: signatureHeader });
        if (sent.delivered + sent.failed + sent.gaveUp > 0) logger?.info(sent, 'sent outbound webhooks');
      });
      await job('expired sessions', async () => {
        const purged = await purgeExpiredSessions(db);
        if (purged > 0) logger?.info({ purged }, 'deleted expired sessions');
        await purgeOldSignInFailures(db);
        await deleteEndedRateLimits(db);
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
      // Last: a payment this tick took in (a scheduled charge) has its receipt sent now.
      await mail();
    })().finally(() => {
      running = null;
    });
  };
  running = mail().finally(() => {
    running = null;
  });
  const timer = setInterval(tick, everySeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
