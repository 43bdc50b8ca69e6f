import type { ResponseOf } from '../../contract/endpoint.ts';
import type { getWebhookEndpointDeliveries, getWebhookEndpoints } from '../../contract/webhook-endpoints.ts';
import type { Db } from '../../db/connect.ts';
import { listAttempts, listEndpoints } from '../../db/webhook-endpoints.ts';
import { WEBHOOK_EVENT_KINDS } from '../../domain/outbound-webhooks.ts';
import { isUuid } from '../../domain/ids.ts';
import { notFound } from '../../domain/errors.ts';
import { toEndpointView } from './endpoint-view.ts';

const LOG_LENGTH = 200;

/** The firm's endpoints and the event kinds one may ask for. */
export async function listWebhookEndpoints(db: Db, firmId: string): Promise<ResponseOf<typeof getWebhookEndpoints>> {
  return { items: (await listEndpoints(db, firmId)).map(toEndpointView), kinds: [...WEBHOOK_EVENT_KINDS] };
}

/** An endpoint's delivery log: each attempt, with its delivery's state now. */
export async function listWebhookDeliveries(
  db: Db,
  firmId: string,
  endpointId: string,
): Promise<ResponseOf<typeof getWebhookEndpointDeliveries>> {
  if (!isUuid(endpointId) || (await listEndpoints(db, firmId, endpointId)).length === 0)
    throw notFound('webhook endpoint', endpointId);
  const rows = await listAttempts(db, firmId, endpointId, LOG_LENGTH);
  return {
    items: rows.map((r) => ({
      deliveryId: r.delivery_id,
      eventId: r.event_id,
      kind: r.kind,
      attempt: r.attempt,
      at: r.at.toISOString(),
      statusCode: r.status_code,
      error: r.error,
      durationMs: r.duration_ms,
      deliveryStatus: r.delivered_at ? 'delivered' : r.gave_up_at ? 'gave_up' : 'waiting',
      nextAttemptAt: r.delivered_at || r.gave_up_at ? null : r.next_attempt_at.toISOString(),
    })),
  };
}
