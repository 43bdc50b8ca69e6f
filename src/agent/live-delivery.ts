import type { LongPoll } from './client.ts';
import { AnswerRefusedError, type DeliveryResult } from './deliver.ts';
import type { Repeating } from './repeat.ts';

/**
 * How long each long-poll asks the server to hold it: well under the 60 s at which many
 * proxies and firewalls drop a quiet connection, and long enough that an idle agent makes
 * about two requests a minute.
 */
export const LONG_POLL_SECONDS = 25;

export interface LiveDeliveryOptions {
  /** One delivery round (deliverWaitingBatches), its list of waiting batches being the long-poll. */
  round: (wait: LongPoll) => Promise<DeliveryResult>;
  /** Whether some delivered batch still waits for the MMS's answer. */
  awaitingAnswers: () => boolean;
  /** The config's pollSeconds, in milliseconds: the fallback interval. */
  pollMs: number;
  longPollSeconds?: number;
  onError: (error: unknown) => void;
}

/**
 * SPEC §5 live delivery: one long-poll always open, a round the moment it answers with
 * batches, and the next long-poll at once. pollSeconds is the fallback:
 * - after a failed round (the server down, the connection dropped, a 5xx, a delivery that
 *   could not be made) the next waits pollSeconds; a round whose only failure was an MMS
 *   answer the server refused is not a failed one (it is logged, and offered again);
 * - a long-poll that comes back empty before its wait was up (an older server that
 *   answers at once, or one shutting down) is not followed by another sooner than
 *   pollSeconds after it began, so the agent never spins;
 * - while an MMS answer is awaited no long-poll waits longer than pollSeconds, as each
 *   round first looks for the answers.
 * stop() ends the open long-poll at once and waits for a round under way to finish.
 */
export function deliverLive({
  round,
  awaitingAnswers,
  pollMs,
  longPollSeconds = LONG_POLL_SECONDS,
  onError,
}: LiveDeliveryOptions): Repeating {
  const controller = new AbortController();
  // stop() aborts the controller; a function, so that no check is narrowed to a constant.
  const stopping = () => controller.signal.aborted;
  let wake: (() => void) | undefined;
  const rest = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const running = (async () => {
    while (!stopping()) {
      const startedAt = Date.now();
      const waitSeconds = awaitingAnswers()
        ? Math.max(1, Math.min(longPollSeconds, Math.floor(pollMs / 1000)))
        : longPollSeconds;
      let result: DeliveryResult | null = null;
      try {
        result = await round({ waitSeconds, signal: controller.signal });
      } catch (error) {
        // The long-poll ended by stop(): nothing failed.
        if (
          stopping() &&
          (error === controller.signal.reason || (error instanceof Error && error.name === 'AbortError'))
        )
          break;
        onError(error);
        // A refused answer is offered again every round, and must not slow every delivery
        // after it to pollSeconds: that round ran to its end like any other.
        if (error instanceof AnswerRefusedError) result = error.result;
      }
      const elapsed = Date.now() - startedAt;
      const waitMs = waitSeconds * 1000;
      let pause = 0;
      if (result === null) pause = pollMs;
      else if (result.waiting === 0 && elapsed < waitMs - Math.min(1000, waitMs / 10)) pause = pollMs - elapsed;
      if (pause > 0 && !stopping()) await rest(pause);
    }
  })();

  return {
    async stop() {
      controller.abort();
      wake?.();
      await running;
    },
  };
}
