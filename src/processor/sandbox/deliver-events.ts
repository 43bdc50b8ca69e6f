import type { Db } from '../../db/connect.ts';
import { readWebhookTarget } from '../../db/firms.ts';
import { leaseDueEvents, markEventDelivered, markEventRefused, setChargeStatus } from '../../db/sandbox.ts';
import { SIGNATURE_HEADER } from '../../contract/webhooks.ts';
import { signatureHeader } from '../webhook-signature.ts';

/** How the sandbox reaches the firm's webhook: an HTTP POST (in the server, Fastify's inject). */
export type WebhookTransport = (request: {
  path: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<{ statusCode: number; body: string }>;

const LEASE_MS = 60_000;
const GIVE_UP_AFTER = 12;
const FAILURE_STATUS: Record<string, 'charged_back' | 'returned' | undefined> = {
  'payment.charged_back': 'charged_back',
  'payment.returned': 'returned',
};

/**
 * Sends the sandbox's due events to each firm's webhook endpoint, signed with the firm's
 * secret at the moment of sending, exactly as a processor would. Events are leased
 * first so two ticks do not send one event at once; an event may still arrive twice
 * (a crash after sending), which the endpoint ignores by event id. A refused event is
 * retried later, with a growing delay, and given up after 12 attempts.
 */
export async function deliverSandboxEvents(
  db: Db,
  send: WebhookTransport,
  now = new Date(),
  limit = 50,
): Promise<{ delivered: number; failed: number }> {
  const leased = await leaseDueEvents(db, now, new Date(now.getTime() + LEASE_MS), limit);
  let delivered = 0;
  let failed = 0;
  for (const event of [...leased].sort((a, b) => a.id - b.id)) {
    const firm = await readWebhookTarget(db, event.firm_id);
    const timestamp = Math.floor(now.getTime() / 1000);
    let outcome: { statusCode: number; body: string };
    try {
      outcome = await send({
        path: `/api/v1/webhooks/processor/${firm.code}`,
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureHeader(firm.webhook_secret, timestamp, event.body),
        },
        body: event.body,
      });
    } catch (error) {
      outcome = { statusCode: 0, body: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.statusCode >= 200 && outcome.statusCode < 300) {
      delivered += 1;
      await markEventDelivered(db, event.firm_id, event.id, now);
      const failure = FAILURE_STATUS[event.type];
      if (failure) {
        await setChargeStatus(db, event.firm_id, event.processor_id, failure, 'approved');
      }
      continue;
    }
    failed += 1;
    const retryAt = new Date(now.getTime() + Math.min(2 ** event.attempts, 60) * 60_000);
    await markEventRefused(db, event.firm_id, event.id, {
      lastError: `${outcome.statusCode} ${outcome.body}`.slice(0, 500),
      retryAt,
      gaveUpAt: event.attempts >= GIVE_UP_AFTER ? now : null,
    });
  }
  return { delivered, failed };
}
