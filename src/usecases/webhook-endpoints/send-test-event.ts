import { writeAudit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { lockEndpoint, newEventId, queueDelivery } from '../../db/webhook-endpoints.ts';
import type { Actor } from '../../domain/actor.ts';
import { notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { TEST_EVENT_KIND } from '../../domain/outbound-webhooks.ts';

/** Queues a test event for one endpoint (enabled or not: it is sent once the endpoint is on). */
export async function sendTestEvent(
  db: Db,
  firmId: string,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<{ deliveryId: string; eventId: string }> {
  return inTransaction(db, async (tx) => {
    const row = isUuid(id) ? await lockEndpoint(tx, firmId, id) : undefined;
    if (!row) throw notFound('webhook endpoint', id);
    const eventId = newEventId();
    const body = JSON.stringify({
      id: eventId,
      type: TEST_EVENT_KIND,
      created: Math.floor(now.getTime() / 1000),
      data: { endpointId: row.id, label: row.label, sentBy: actor.label },
    });
    const made = await queueDelivery(tx, firmId, row.id, { id: eventId, kind: TEST_EVENT_KIND, body }, now);
    await writeAudit(tx, firmId, actor, [{ action: 'webhook_test_sent', detail: { endpointId: row.id, eventId } }]);
    return { deliveryId: made.id, eventId };
  });
}
