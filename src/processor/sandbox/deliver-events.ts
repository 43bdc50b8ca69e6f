import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { SIGNATURE_HEADER, signatureHeader } from '../webhook-signature.ts';

/** How the sandbox reaches the firm's webhook: an HTTP POST (in the server, Fastify's inject). */
export type WebhookTransport = (request: { path: string; headers: Record<string, string>; body: string }) => Promise<{ statusCode: number; body: string }>;

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
export async function deliverSandboxEvents(db: Db, send: WebhookTransport, now = new Date(), limit = 50): Promise<{ delivered: number; failed: number }> {
  const leased = await sql<{ id: number; firm_id: string; body: string; attempts: number; type: string; processor_id: string }>`
    update sandbox_events e set leased_until = ${new Date(now.getTime() + LEASE_MS)}, attempts = e.attempts + 1
    where e.id in (
      select id from sandbox_events
      where delivered_at is null and gave_up_at is null and deliver_after <= ${now} and (leased_until is null or leased_until <= ${now})
      order by deliver_after, id
      limit ${limit}
      for update skip locked)
    returning e.id, e.firm_id, e.body::text as body, e.attempts, e.body->>'type' as type, e.body->'data'->>'processorId' as processor_id`.execute(db);
  let delivered = 0;
  let failed = 0;
  for (const event of [...leased.rows].sort((a, b) => a.id - b.id)) {
    const firm = await db.selectFrom('firms').select(['code', 'webhook_secret']).where('id', '=', event.firm_id).executeTakeFirstOrThrow();
    const timestamp = Math.floor(now.getTime() / 1000);
    let outcome: { statusCode: number; body: string };
    try {
      outcome = await send({
        path: `/api/v1/webhooks/processor/${firm.code}`,
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(firm.webhook_secret, timestamp, event.body) },
        body: event.body,
      });
    } catch (error) {
      outcome = { statusCode: 0, body: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.statusCode >= 200 && outcome.statusCode < 300) {
      delivered += 1;
      await db.updateTable('sandbox_events').set({ delivered_at: now, leased_until: null, last_error: null }).where('firm_id', '=', event.firm_id).where('id', '=', event.id).execute();
      const failure = FAILURE_STATUS[event.type];
      if (failure) {
        await db.updateTable('sandbox_charges').set({ status: failure }).where('firm_id', '=', event.firm_id).where('id', '=', event.processor_id).where('status', '=', 'approved').execute();
      }
      continue;
    }
    failed += 1;
    const retryAt = new Date(now.getTime() + Math.min(2 ** event.attempts, 60) * 60_000);
    await db
      .updateTable('sandbox_events')
      .set({
        leased_until: null,
        last_error: `${outcome.statusCode} ${outcome.body}`.slice(0, 500),
        deliver_after: retryAt,
        gave_up_at: event.attempts >= GIVE_UP_AFTER ? now : null,
      })
      .where('firm_id', '=', event.firm_id)
      .where('id', '=', event.id)
      .execute();
  }
  return { delivered, failed };
}
