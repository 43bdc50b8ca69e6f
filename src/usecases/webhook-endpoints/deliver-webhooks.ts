import { SIGNATURE_HEADER } from '../../contract/webhooks.ts';
import type { Db } from '../../db/connect.ts';
import { leaseDueDeliveries, recordAttempt, type LeasedDelivery } from '../../db/webhook-endpoints.ts';
import { nextAttemptAt, shortError } from '../../domain/outbound-webhooks.ts';

/** How long one endpoint may take to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A claimed delivery is left alone by other runs this long: well past the timeout. */
const LEASE_MS = 60_000;
const BATCH = 50;

/**
 * Makes the signature header's value: src/processor/webhook-signature.ts's signatureHeader,
 * handed in by the scheduler, so deliveries are signed exactly like the processor webhook
 * paybridge receives (a use case imports no adapter).
 */
export type SignatureMaker = (secret: string, timestamp: number, body: string) => string;

export interface DeliverOptions {
  sign: SignatureMaker;
  now?: () => Date;
  timeoutMs?: number;
  limit?: number;
}

/**
 * Sends the due deliveries of every firm's enabled endpoints: each claimed first (see
 * leaseDueDeliveries), signed with its endpoint's secret at the moment of sending, POSTed
 * with Node's fetch under a timeout, and logged. A 2xx delivers it; anything else (or no
 * answer) is tried again later with a doubling wait, and given up after the last attempt.
 * A crash after sending but before logging sends it again once the lease ends: receivers
 * should ignore an event id they have seen.
 */
export async function deliverWebhooks(
  db: Db,
  options: DeliverOptions,
): Promise<{ delivered: number; failed: number; gaveUp: number }> {
  const clock = options.now ?? (() => new Date());
  const start = clock();
  const leased = await leaseDueDeliveries(db, start, new Date(start.getTime() + LEASE_MS), options.limit ?? BATCH);
  const tally = { delivered: 0, failed: 0, gaveUp: 0 };
  await Promise.all(
    leased.map(async (delivery) => {
      const outcome = await send(delivery, options.sign, options.timeoutMs ?? DELIVERY_TIMEOUT_MS, clock);
      const retryAt = outcome.delivered ? null : nextAttemptAt(delivery.attempts, outcome.at);
      await recordAttempt(db, delivery, { ...outcome, retryAt });
      if (outcome.delivered) tally.delivered += 1;
      else if (retryAt) tally.failed += 1;
      else tally.gaveUp += 1;
    }),
  );
  return tally;
}

async function send(delivery: LeasedDelivery, sign: SignatureMaker, timeoutMs: number, clock: () => Date) {
  const at = clock();
  const started = performance.now();
  const elapsed = () => Math.max(0, Math.round(performance.now() - started));
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'paybridge-webhooks/1',
        [SIGNATURE_HEADER]: sign(delivery.secret, Math.floor(Date.now() / 1000), delivery.body),
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only the status matters; the body is read (and dropped) so the connection is freed.
    await response.arrayBuffer().catch(() => undefined);
    const delivered = response.status >= 200 && response.status < 300;
    return {
      at,
      statusCode: response.status,
      error: delivered ? null : shortError(`HTTP ${response.status} ${response.statusText}`.trim()),
      durationMs: elapsed(),
      delivered,
    };
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : error instanceof Error
          ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
          : String(error);
    return { at, statusCode: null, error: shortError(reason), durationMs: elapsed(), delivered: false };
  }
}
